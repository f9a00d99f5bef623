"""110: on PostgreSQL, complaint search reads a stored tsvector column.

Why: migration 030 indexed the expression `to_tsvector('simple', title ||
' ' || body)` with GIN.  PostgreSQL keeps no statistics on the words inside
an expression, so it cannot tell a rare word ("kucing", 1 in 10,000) from a
common one and walked the creation order testing every row: 2.7 s at
100,000 complaints.  A stored generated column gets per-word statistics
from ANALYZE (most_common_elems), and the planner then fetches a rare
word's few matches from the GIN index.  SQLite keeps its FTS5 table
(migration 030); nothing changes there.

Adding a stored column rewrites the table once (about a minute per million
complaints).
"""
import peewee as pw
from peewee_migrate import Migrator


def _is_sqlite(database) -> bool:
    return isinstance(getattr(database, "obj", None) or database, pw.SqliteDatabase)


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    def run():
        if _is_sqlite(database):
            return
        database.execute_sql(
            "ALTER TABLE complaint ADD COLUMN search_doc tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(body, ''))) STORED")
        database.execute_sql("CREATE INDEX complaint_search_doc ON complaint USING GIN (search_doc)")
        database.execute_sql("DROP INDEX IF EXISTS complaint_fts")
        database.execute_sql("ANALYZE complaint")

    migrator.run(run)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    def run():
        if _is_sqlite(database):
            return
        database.execute_sql(
            "CREATE INDEX IF NOT EXISTS complaint_fts ON complaint USING GIN "
            "(to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(body, '')))")
        database.execute_sql("ALTER TABLE complaint DROP COLUMN IF EXISTS search_doc")

    migrator.run(run)
