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
    return pending


def pending(db) -> list[str]:
    return router(db).diff
