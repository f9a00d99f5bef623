"""140: PostgreSQL keeps the counter tables small under heavy writing.

Why: `complaint_tally` and `queue_version` hold a few hundred rows, but
every complaint written updates one of them, and PostgreSQL writes each
update as a new row version.  After a million complaints the 9 rows of
`queue_version` filled 42 MB, and every queue page (which reads them whole)
took 10 ms more per table.  Free space on each page (fillfactor) lets an
update stay on its page and the old versions be pruned there, and vacuuming
after a few hundred dead rows instead of a share of the table keeps them
from piling up.  The nightly optimisation also rewrites the two tables
(portal.schema.optimize).  SQLite updates in place: nothing to do there.
"""
import peewee as pw
from peewee_migrate import Migrator

TABLES = ("complaint_tally", "queue_version")


def _is_sqlite(database) -> bool:
    return isinstance(getattr(database, "obj", None) or database, pw.SqliteDatabase)


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    def run():
        if _is_sqlite(database):
            return
        for table in TABLES:
            database.execute_sql(
                f"ALTER TABLE {table} SET (fillfactor = 20, autovacuum_vacuum_scale_factor = 0, "
                "autovacuum_vacuum_threshold = 200, autovacuum_analyze_threshold = 200)")

    migrator.run(run)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    def run():
        if _is_sqlite(database):
            return
        for table in TABLES:
            database.execute_sql(
                f"ALTER TABLE {table} RESET (fillfactor, autovacuum_vacuum_scale_factor, "
                "autovacuum_vacuum_threshold, autovacuum_analyze_threshold)")

    migrator.run(run)
