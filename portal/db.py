"""The database binding.

Models sit on a proxy so that the web app, the Huey worker and scripts all
import them without Flask; whoever starts first calls `open_database`.
"""
from peewee import DatabaseProxy, Model
from playhouse.db_url import connect

database = DatabaseProxy()

# WAL lets the web server read while the worker writes; foreign keys are off
# by default in SQLite and we rely on them.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
}


def open_database(url: str):
    """Connect the proxy to the database at `url` and return the real database."""
    if url.startswith("sqlite"):
        real = connect(url, pragmas=SQLITE_PRAGMAS)
    else:
        real = connect(url)
    database.initialize(real)
    return real


class BaseModel(Model):
    class Meta:
        database = database


def init_app(app):
    open_database(app.config["DATABASE_URL"])

    # Connections open on first query (peewee's autoconnect), so a page that
    # needs no database still answers when the database is down, and
    # /healthz can report it instead of failing with it.
    @app.teardown_appcontext
    def _close(exc):
        if not database.is_closed():
            database.close()
