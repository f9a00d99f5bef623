"""The queue page costs the same number of queries for 3 rows as for 25."""
from portal.db import database
from staff_helpers import login, new_complaint


def queries_for_queue(client, monkeypatch):
    count = 0
    real = database.obj.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        nonlocal count
        count += 1
        return real(sql, params, *args, **kwargs)

    monkeypatch.setattr(database.obj, "execute_sql", counting)
    assert client.get("/staf/antrean").status_code == 200
    monkeypatch.setattr(database.obj, "execute_sql", real)
    return count


def test_queue_queries_do_not_grow_with_rows(app, demo, client, monkeypatch):
    login(client, "admin", demo["admin"])
    for _ in range(3):
        new_complaint()
    few = queries_for_queue(client, monkeypatch)
    for _ in range(22):
        new_complaint()
    many = queries_for_queue(client, monkeypatch)
    assert many == few
