"""Hot lookups compile their SQL once and bind only the values."""
from portal.complaints import service as complaints
from portal.complaints.models import Complaint
from portal.db import first_compiled
from staff_helpers import new_complaint


def test_each_value_gets_its_own_row_from_sql_compiled_once(app, demo, monkeypatch):
    with app.app_context():
        a, b = new_complaint(title="Lampu padam di Cipare"), new_complaint(title="Pohon tumbang")
        compiled = []
        real = type(Complaint.select()).sql

        def counting(query):
            compiled.append(query)
            return real(query)

        monkeypatch.setattr(type(Complaint.select()), "sql", counting)
        name = "test:by_title"
        first = first_compiled(name, Complaint.select().where(Complaint.title == a.title), a.title)
        second = first_compiled(name, Complaint.select().where(Complaint.title == b.title), b.title)
        missing = first_compiled(name, Complaint.select().where(Complaint.title == "x"), "x")
        assert (first.id, second.id, missing) == (a.id, b.id, None)
        assert len(compiled) == 1
        assert complaints.by_code(a.code).id == a.id and complaints.by_code(b.code).id == b.id


def test_a_query_whose_parameters_differ_is_run_not_cached(app, demo):
    with app.app_context():
        a = new_complaint()
        query = Complaint.select().where((Complaint.id == a.id) & (Complaint.title == a.title))
        assert first_compiled("test:two", query, a.id).id == a.id  # values do not match: run
        assert first_compiled("test:two", Complaint.select().where(Complaint.id == -1), -1) is None
