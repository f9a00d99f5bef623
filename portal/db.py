"""The database binding.

Models sit on a proxy so that the web app, the Huey worker and scripts all
import them without Flask; whoever starts first calls `open_database`.

Connections come from a pool and go back to it at the end of each request
or task: a new SQLite connection pays four PRAGMAs and starts with a cold
page cache, a new PostgreSQL one a TCP and authentication handshake.  A
pooled PostgreSQL connection is checked on the way out (peewee's pool runs
`SELECT 1` unless a transaction state already shows it broken), so one the
server dropped (restart, `pg_terminate_backend`) is replaced, not handed to
a request.
"""
import threading

from peewee import DatabaseProxy, Model, OperationalError, SqliteDatabase
from playhouse.db_url import parse
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

database = DatabaseProxy()

# WAL lets the web server read while the worker writes; foreign keys are off
# by default in SQLite and we rely on them.  The busy timeout is how long a
# writer queues for the write lock before it gives up.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 5000,
    "synchronous": "normal",
}

# Pool bounds.  More connections than this wait (up to POOL_WAIT seconds)
# for one to come back instead of overloading the database server.
POOL_MAX = 32
POOL_STALE = 600  # seconds; a connection older than this is reopened
POOL_WAIT = 10
WRITER_WAIT = 30  # seconds a writer queues behind this process's others


class SqlitePool(PooledSqliteDatabase):
    """SQLite with every transaction taking the write lock when it begins.

    Why: in a deferred transaction that reads and then writes, SQLite cannot
    wait for the lock (the read snapshot would be stale) and answers "database
    is locked" at once, whatever the busy timeout.  BEGIN IMMEDIATE queues
    the writer at the start instead, where the busy timeout applies.  Reads
    outside a transaction are unaffected (WAL readers never wait).

    Writers of one process also queue on a lock of their own before BEGIN:
    SQLite's busy handler polls (every 100 ms once it has waited a while),
    so among many threads of one server a writer can lose every poll until
    its busy timeout runs out, while the lock holder is slowed by the same
    threads.  A blocked thread is woken when the lock is released instead.
    The busy timeout still orders this process against others (the worker).
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._writer = threading.Lock()
        self._writing = threading.local()

    def begin(self, lock_type=None):
        if not self._writer.acquire(timeout=WRITER_WAIT):
            raise OperationalError("database is locked (waited for this server's writers)")
        self._writing.held = True
        try:
            super().begin(lock_type or "IMMEDIATE")
        except BaseException:
            self._release_writer()
            raise

    def commit(self):
        try:
            super().commit()
        finally:
            self._release_writer()

    def rollback(self):
        try:
            super().rollback()
        finally:
            self._release_writer()

    def _release_writer(self):
        if getattr(self._writing, "held", False):
            self._writing.held = False
            self._writer.release()


class PostgresqlPool(PooledPostgresqlDatabase):
    pass


def open_database(url: str, max_connections: int | None = None):
    """Connect the proxy to the database at `url` and return the real database.

    `max_connections` bounds the pool (default POOL_MAX) per process.
    """
    previous = database.obj
    if previous is not None and hasattr(previous, "close_idle"):
        # A second app in one process (tests, scripts) must not strand the
        # first one's idle connections and their file handles.
        previous.close_idle()
    kwargs = parse(url)
    pool = {"max_connections": max_connections or POOL_MAX, "stale_timeout": POOL_STALE,
            "timeout": POOL_WAIT}
    if url.startswith("sqlite"):
        real = SqlitePool(kwargs.pop("database"), pragmas=SQLITE_PRAGMAS,
                          check_same_thread=False, **pool, **kwargs)
    elif url.startswith(("postgres", "postgresql")):
        real = PostgresqlPool(kwargs.pop("database"), **pool, **kwargs)
    else:
        from playhouse.db_url import connect

        real = connect(url)
    database.initialize(real)
    return real


def is_sqlite() -> bool:
    return isinstance(database.obj, SqliteDatabase)


def write_transaction():
    """A transaction for work that reads and then writes.

    On SQLite it begins IMMEDIATE, so the writer waits its turn (busy
    timeout) before it reads, instead of failing when it comes to write; on
    PostgreSQL it is a plain transaction (row locks and the conditional
    updates of `perform` already serialise there).  Nested, it is a
    savepoint of the outer transaction.
    """
    if is_sqlite():
        return database.atomic("IMMEDIATE")
    return database.atomic()


class BaseModel(Model):
    class Meta:
        database = database


def init_app(app):
    open_database(app.config["DATABASE_URL"], app.config.get("DATABASE_POOL_MAX"))

    # Connections open on first query (peewee's autoconnect), so a page that
    # needs no database still answers when the database is down, and
    # /healthz can report it instead of failing with it.  At the end of the
    # request the connection goes back to the pool, still open: the next
    # request (on whichever thread) reuses it.
    @app.teardown_appcontext
    def _release(exc):
        if not database.is_closed():
            database.close()


_COMPILED_SQL: dict = {}


def first_compiled(name: str, query, *values):
    """`query.first()` for a query whose parameters are `values`, with its SQL
    text compiled once per (name, kind of database) and only the values bound.

    Why: compiling a select of the complaint's 40-odd columns cost peewee
    0.3-0.7 ms, more than running it, on pages and submissions that run it
    on every request; the text is the same for every value.  `name` must
    stand for one query shape; a query whose parameters are not exactly
    `values` (in order) is not cached, only run.
    """
    key = (name, type(database.obj))
    sql = _COMPILED_SQL.get(key)
    if sql is None:
        sql, params = query.sql()
        if list(params) != list(values):
            return query.first()
        _COMPILED_SQL[key] = sql
    return next(iter(query._get_cursor_wrapper(database.obj.execute_sql(sql, values))), None)

