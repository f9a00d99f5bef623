"""`flask backup` and `flask restore` round-trip a populated instance:
every row of every table, every photo, checked against the manifest.  On
SQLite, and on PostgreSQL with ADUAN_TEST_DATABASE=postgres."""
import io
import json
import os

import pytest

from conftest import make_test_app, scratch_database
from portal import seed
from portal.complaints.photos import store_photo
from portal.complaints.storage import storage_for
from portal.db import database
from staff_helpers import advance, login, new_complaint, photo_bytes
from test_citizen import form_data


@pytest.fixture
def second_url(tmp_path):
    """Where to restore: a second, empty database of the same kind."""
    if os.environ.get("ADUAN_TEST_DATABASE") != "postgres":
        yield f"sqlite:///{tmp_path / 'other' / 'instance' / 'aduan.db'}"
        return
    with scratch_database("aduan_test") as (_admin, _name, url):
        yield url


def snapshot(db):
    """Every row of every table, in a comparable form (the full-text index's
    own pages are compared by what they find, not byte for byte)."""
    from portal.backup import _derived

    tables = {}
    for table in sorted(db.get_tables()):
        if _derived(table):
            continue
        rows = db.execute_sql(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
        tables[table] = [tuple(str(v) for v in row) for row in rows]
    return tables


def populate(app, demo):
    client = app.test_client()
    data = form_data(client)
    data["foto"] = [(io.BytesIO(photo_bytes("blue")), "a.png")]
    assert client.post("/lapor", data=data, content_type="multipart/form-data").status_code == 303
    with app.app_context():
        photo = store_photo(io.BytesIO(photo_bytes("green")), app.config["UPLOAD_FOLDER"])
        advance(new_complaint(confidential=True), "ditindaklanjuti", photo)
        new_complaint(anonymous=True)
    login(client, "admin", demo["admin"])  # a session generation and a login on record


def test_backup_and_restore_round_trip(app, demo, tmp_path, second_url):
    populate(app, demo)
    dest = tmp_path / "cadangan"
    result = app.test_cli_runner().invoke(args=["backup", str(dest)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        before = snapshot(database.obj)
    photos_before = {n: storage_for(app.config["UPLOAD_FOLDER"]).read(n)
                     for n in storage_for(app.config["UPLOAD_FOLDER"]).names()}
    assert len(photos_before) == 2 and sum(len(rows) for rows in before.values()) > 50
    manifest = json.loads((dest / "manifest.json").read_text())
    assert manifest["rows"]["complaint"] == 3 and manifest["photos"] == 2
    assert all(len(checksum) == 64 for checksum in manifest["files"].values())

    other = make_test_app(tmp_path / "other", DATABASE_URL=second_url)
    restored = other.test_cli_runner().invoke(args=["restore", "--yes", str(dest)])
    assert restored.exit_code == 0, restored.output
    with other.app_context():
        assert snapshot(database.obj) == before
        # The derived search index and counts were rebuilt from the rows.
        tally = dict(((o, st, ch), n) for o, st, ch, n in database.obj.execute_sql(
            "SELECT opd_id, status, channel, n FROM complaint_tally WHERE n > 0").fetchall())
        recount = dict(((o, st, ch), n) for o, st, ch, n in database.obj.execute_sql(
            "SELECT COALESCE(opd_id, 0), status, channel, COUNT(*) FROM complaint "
            "GROUP BY 1, 2, 3").fetchall())
        assert tally == recount
        from portal.workspace import queue as queues
        from staff_helpers import user

        found = queues.page(user("admin"), queues.Filters(q="Ciceri"))[0]
        assert len(found) == len([r for r in before["complaint"] if "Ciceri" in str(r)])
        # New rows continue after the restored ids (PostgreSQL sequences).
        assert new_complaint().id == 4
    store = storage_for(other.config["UPLOAD_FOLDER"])
    assert {n: store.read(n) for n in store.names()} == photos_before
    # The restored instance works: the admin logs in, the photo is served.
    client = other.test_client()
    login(client, "admin", demo["admin"])
    assert client.get(f"/foto/{next(iter(photos_before))}").status_code == 200


def test_a_damaged_backup_is_refused_and_changes_nothing(app, demo, tmp_path, second_url):
    populate(app, demo)
    dest = tmp_path / "cadangan"
    assert app.test_cli_runner().invoke(args=["backup", str(dest)]).exit_code == 0
    table = dest / "database" / "complaint.jsonl"
    table.write_text(table.read_text().replace("Ciceri", "Cicero"))
    other = make_test_app(tmp_path / "other", DATABASE_URL=second_url)
    with other.app_context():
        seed.seed_demo()
        before = snapshot(database.obj)
    result = other.test_cli_runner().invoke(args=["restore", "--yes", str(dest)])
    assert result.exit_code != 0 and "checksum mismatch: database/complaint.jsonl" in result.output
    with other.app_context():
        assert snapshot(database.obj) == before


def test_backup_refuses_a_folder_that_is_not_empty(app, tmp_path):
    dest = tmp_path / "penuh"
    dest.mkdir()
    (dest / "x").write_text("x")
    result = app.test_cli_runner().invoke(args=["backup", str(dest)])
    assert result.exit_code != 0 and "not empty" in result.output
