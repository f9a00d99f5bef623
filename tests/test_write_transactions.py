"""SQLite writers queue for the write lock instead of failing: every
transaction takes it when it begins (BEGIN IMMEDIATE), so a read-then-write
path never finds its snapshot stale when it comes to write."""
import sqlite3
import threading
import time

import pytest

from portal import db
from portal.accounts.models import User
from portal.complaints import service as complaints, severity_changes
from portal.db import database, write_transaction


@pytest.fixture
def sqlite_app(app):
    if not db.is_sqlite():
        pytest.skip("SQLite locking; this run is on PostgreSQL")
    return app


def other_writer_blocked(app) -> bool:
    """Whether a second connection is refused the write lock right now."""
    path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return True
    finally:
        other.close()


@pytest.mark.parametrize("begin", [write_transaction, lambda: database.atomic()])
def test_a_transaction_holds_the_write_lock_from_its_first_statement(sqlite_app, begin):
    with sqlite_app.app_context():
        assert not other_writer_blocked(sqlite_app)
        with begin():
            database.execute_sql("SELECT 1").fetchone()  # a read only, so far
            assert other_writer_blocked(sqlite_app)
        assert not other_writer_blocked(sqlite_app)


def test_a_read_then_write_waits_for_a_busy_writer_instead_of_failing(sqlite_app, demo):
    """Another process commits while a severity change is pending: the
    change waits for the lock (busy timeout) and then succeeds."""
    with sqlite_app.test_request_context():
        complaint, _ = complaints.submit({"title": "Saluran tersumbat", "body": "Air meluap."})
        admin = User.get(User.username == "admin")
    path = sqlite_app.config["DATABASE_URL"].removeprefix("sqlite:///")
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE complaint SET updated_at = updated_at")

    def release():
        time.sleep(0.3)
        holder.execute("COMMIT")

    thread = threading.Thread(target=release)
    thread.start()
    try:
        with sqlite_app.test_request_context():
            event = severity_changes.change(complaint, admin, "berat")
            assert event is not None and event.kind == "tingkat"
    finally:
        thread.join(5)
        holder.close()
