import pytest
from peewee import SqliteDatabase

from conftest import hidden_fields, make_test_app
from portal import schema
from portal.complaints.models import Complaint
from portal.db import database


def test_migrations_create_every_core_table_once(app):
    with app.app_context():
        tables = set(database.get_tables())
        assert {"complaint", "timeline_event", "attachment", "opd", "bidang", "category",
                "user_account", "schema_migrations"} <= tables
        assert schema.upgrade(database.obj) == []
        assert schema.pending(database.obj) == []


def test_sqlite_runs_with_wal_and_foreign_keys(app):
    if not isinstance(database.obj, SqliteDatabase):
        pytest.skip("SQLite pragmas; this run is on PostgreSQL")
    with app.app_context():
        assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1


def test_channel_and_external_id_are_unique_together(app):
    import peewee
    import pytest

    with app.app_context():
        base = dict(title="t" * 5, body="b" * 20, channel="rabeg", external_id="RBG-1")
        Complaint.create(code="A" * 10, **base)
        Complaint.create(code="B" * 10, **{**base, "channel": "sp4n"})
        Complaint.create(code="C" * 10, **{**base, "external_id": None})
        Complaint.create(code="D" * 10, **{**base, "external_id": None})
        with pytest.raises(peewee.IntegrityError):
            Complaint.create(code="E" * 10, **base)


def test_postgresql_by_setting_one_variable(tmp_path, postgres_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", postgres_url)
    app = make_test_app(tmp_path, DATABASE_URL=None)
    assert app.config["DATABASE_URL"] == postgres_url
    with app.app_context():
        assert type(database.obj).__name__.startswith("Postgres")
        from portal import seed

        seed.seed_demo()
    client = app.test_client()
    tokens = hidden_fields(client.get("/lapor").text)
    from portal.directory.models import Category

    response = client.post("/lapor", data={
        **tokens, "judul": "Jalan berlubang", "kategori": str(Category.get(Category.name == "Jalan rusak").id),
        "klasifikasi": "pengaduan", "isi": "Jalan berlubang besar\x00 di depan pasar, bahaya untuk motor.",
    })
    assert response.status_code == 303
    complaint = Complaint.get()
    assert "\x00" not in complaint.body
    assert client.get(response.headers["Location"]).status_code == 200
    assert client.get("/healthz").json["checks"]["database"] == "ok"
