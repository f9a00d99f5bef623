"""Versioned schema migrations (peewee_migrate), applied in name order.

`flask --app portal db upgrade` and `make run` call `upgrade`; tests call it
on a fresh database each time, so the migrations are what is tested.
"""
import logging
from pathlib import Path

from peewee_migrate import Router

MIGRATIONS = Path(__file__).parent / "migrations"
HISTORY_TABLE = "schema_migrations"


def router(db) -> Router:
    logger = logging.getLogger("aduan.schema")
    return Router(db, migrate_dir=MIGRATIONS, migrate_table=HISTORY_TABLE, logger=logger)


def upgrade(db) -> list[str]:
    """Apply every pending migration; return the names applied."""
    r = router(db)
    pending = r.diff
    if pending:
        r.run()
        optimize(db)
    return pending


def optimize(db) -> None:
    """Refresh the planner's statistics (and on PostgreSQL shrink the counter tables).

    Without them SQLite guesses, and at a million complaints a wrong guess
    turns a 4 ms queue page into a 500 ms one (a sort of a whole OPD instead
    of an index walk).  `PRAGMA optimize` only re-analyses what changed
    enough, so running it often is cheap; PostgreSQL's ANALYZE samples.
    """
    from peewee import SqliteDatabase

    if isinstance(db, SqliteDatabase):
        db.execute_sql("PRAGMA optimize")
        return
    if not db.in_transaction():
        # The counter tables take every complaint's write as a new row
        # version (migration 140): rewritten, their few hundred rows fit a
        # page again.  Milliseconds, but it cannot run inside a transaction.
        counters = [t for t in ("complaint_tally", "queue_version") if db.table_exists(t)]
        if counters:
            db.execute_sql(f"VACUUM FULL {', '.join(counters)}")
    db.execute_sql("ANALYZE")


def pending(db) -> list[str]:
    return router(db).diff
