"""PostgreSQL: the counter tables stay a page or two however many complaints
were written (migration 140 and the nightly optimisation)."""
import pytest
from peewee import SqliteDatabase

from portal import schema
from portal.db import database
from staff_helpers import new_complaint


def test_the_nightly_optimisation_shrinks_the_counter_tables(app, demo):
    if isinstance(database.obj, SqliteDatabase):
        pytest.skip("SQLite updates rows in place")
    with app.app_context():
        new_complaint()
        with database.atomic():  # one bulk transaction: nothing can be pruned during it
            for _ in range(3000):
                database.execute_sql("UPDATE queue_version SET version = version + 1")
                database.execute_sql("UPDATE complaint_tally SET n = n + 0")

        def size(table):
            return database.execute_sql("SELECT pg_relation_size(%s)", (table,)).fetchone()[0]

        assert size("queue_version") > 8192 * 10  # thousands of dead versions
        options = database.execute_sql(
            "SELECT reloptions FROM pg_class WHERE relname = 'queue_version'").fetchone()[0]
        assert "fillfactor=20" in options
        schema.optimize(database.obj)
        assert size("queue_version") <= 8192 and size("complaint_tally") <= 8192 * 2
        assert new_complaint().id  # and the triggers still count
