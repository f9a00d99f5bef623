"""130: a change counter per complaint for its public tracking page.

Why: the tracking page is the page citizens open most, and rendering it (three
queries and the template) cost about ten "hello" requests.  `page_version`
counts every write that can change what the page shows: the complaint row,
its timeline events and its attachments.  Triggers bump it in the writing
transaction, whoever writes (the web app, the worker, the sync engine, bulk
scripts), so a page rendered for (complaint, version) can be served again
until the version moves (portal.web.tracking_page).  Row 0 counts changes to
the OPDs and categories, whose names every page shows.

A derived table: backups skip it, and a missing row reads as version 0.
"""
import peewee as pw
from peewee_migrate import Migrator

# (table, the complaint it belongs to): an OPD or category counts for row 0.
SOURCES = (("complaint", "id"), ("timeline_event", "complaint_id"), ("attachment", "complaint_id"),
           ("opd", "0"), ("category", "0"))


def _is_sqlite(database) -> bool:
    return isinstance(getattr(database, "obj", None) or database, pw.SqliteDatabase)


def _sqlite() -> list[str]:
    statements = ["CREATE TABLE page_version (complaint_id INTEGER PRIMARY KEY, version INTEGER NOT NULL)"]
    for table, column in SOURCES:
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            statements.append(
                f"""CREATE TRIGGER {table}_page_{event.lower()} AFTER {event} ON {table} BEGIN
                      INSERT INTO page_version (complaint_id, version)
                        VALUES ({column if column == "0" else row + "." + column}, 1)
                        ON CONFLICT (complaint_id) DO UPDATE SET version = version + 1;
                    END""")
    return statements


def _pg_target(column: str) -> str:
    if column == "0":
        return "target := 0;"
    return f"IF TG_OP = 'DELETE' THEN target := OLD.{column}; ELSE target := NEW.{column}; END IF;"


def _postgres() -> list[str]:
    statements = ["CREATE TABLE page_version (complaint_id INTEGER PRIMARY KEY, version BIGINT NOT NULL)"]
    for table, column in SOURCES:
        statements += [
            f"""CREATE FUNCTION {table}_page_bump() RETURNS trigger AS $$
                  DECLARE target INTEGER;
                  BEGIN
                    {_pg_target(column)}
                    INSERT INTO page_version (complaint_id, version) VALUES (target, 1)
                      ON CONFLICT (complaint_id) DO UPDATE SET version = page_version.version + 1;
                    RETURN NULL;
                  END $$ LANGUAGE plpgsql""",
            f"""CREATE TRIGGER {table}_page AFTER INSERT OR UPDATE OR DELETE ON {table}
                  FOR EACH ROW EXECUTE FUNCTION {table}_page_bump()""",
        ]
    return statements


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    def run():
        for statement in _sqlite() if _is_sqlite(database) else _postgres():
            database.execute_sql(statement)

    migrator.run(run)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    def run():
        for table, _column in SOURCES:
            if _is_sqlite(database):
                for event in ("insert", "update", "delete"):
                    database.execute_sql(f"DROP TRIGGER IF EXISTS {table}_page_{event}")
            else:
                database.execute_sql(f"DROP TRIGGER IF EXISTS {table}_page ON {table}")
                database.execute_sql(f"DROP FUNCTION IF EXISTS {table}_page_bump()")
        database.execute_sql("DROP TABLE IF EXISTS page_version")

    migrator.run(run)
