from huey.storage import RedisStorage
from peewee import SqliteDatabase

from portal.db import database
from portal.tasks import app as queue


def test_healthy_instance_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["checks"] == {"database": "ok", "queue": "ok"}


def test_unreachable_database_is_503(client, tmp_path):
    database.initialize(SqliteDatabase(str(tmp_path / "missing-dir" / "aduan.db")))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "error"
    assert response.json["checks"]["database"].startswith("error")


def test_unreachable_queue_is_503(client, monkeypatch):
    # A real Redis client pointed at a port where nothing listens.
    monkeypatch.setattr(queue.huey, "storage", RedisStorage("aduan", port=1, socket_timeout=0.5))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json["checks"] == {"database": "ok", "queue": "error: ConnectionError"}
