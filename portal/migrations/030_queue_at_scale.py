"""030: the staff queue bounded by the page, not by the table.

- Composite indexes for each way the queue filters and sorts (OPD, status,
  creation, due date), so a page reads about as many index entries as it shows.
- `complaint_tally`: complaints per (OPD, status, channel), kept by triggers,
  so the status counts, the task total and the channel list read a few dozen
  rows instead of counting an OPD's whole history.
- `queue_version`: a counter per OPD bumped by every write to a complaint in
  the same transaction, so the queue's 304 answer is one primary-key read.
- Full-text search: SQLite FTS5 over title and body (external content, kept
  by triggers), or on PostgreSQL a GIN index over a `simple` tsvector (no
  stemming: Indonesian affixes would be mangled by any built-in stemmer).

Triggers, not application code, keep the aggregates: complaints are written
by the web app, the worker, the sync engine and bulk scripts alike.

Caution for later migrations on SQLite: an operation that makes the migrator
rebuild `complaint` (changing a column, adding a NOT NULL one) drops these
triggers; recreate them (tests/test_queue_scale.py notices a missing one).
"""
import peewee as pw
from peewee_migrate import Migrator

INDEXES = (
    ("complaint_opd_created", "opd_id, created_at"),
    ("complaint_opd_status_created", "opd_id, status, created_at"),
    ("complaint_status_created", "status, created_at"),
    ("complaint_opd_due", "opd_id, due_at"),
    # Covering for the digest's overdue count and the deadline passes.
    ("complaint_status_due", "status, due_at, due_stage, opd_id"),
    ("disposition_bidang", "bidang_id, complaint_id"),
)

SQLITE = [
    """CREATE TABLE complaint_tally (
         opd_id INTEGER NOT NULL, status VARCHAR(24) NOT NULL, channel VARCHAR(32) NOT NULL,
         n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (opd_id, status, channel)) WITHOUT ROWID""",
    """CREATE TABLE queue_version (opd_id INTEGER PRIMARY KEY, version INTEGER NOT NULL)""",
    """INSERT INTO complaint_tally (opd_id, status, channel, n)
       SELECT COALESCE(opd_id, 0), status, channel, COUNT(*) FROM complaint
       GROUP BY 1, 2, 3""",
    """INSERT INTO queue_version (opd_id, version)
       SELECT DISTINCT COALESCE(opd_id, 0), 1 FROM complaint""",
    """CREATE TRIGGER complaint_tally_ai AFTER INSERT ON complaint BEGIN
         INSERT INTO complaint_tally (opd_id, status, channel, n)
           VALUES (COALESCE(NEW.opd_id, 0), NEW.status, NEW.channel, 1)
           ON CONFLICT (opd_id, status, channel) DO UPDATE SET n = n + 1;
         INSERT INTO queue_version (opd_id, version) VALUES (COALESCE(NEW.opd_id, 0), 1)
           ON CONFLICT (opd_id) DO UPDATE SET version = version + 1;
       END""",
    """CREATE TRIGGER complaint_tally_ad AFTER DELETE ON complaint BEGIN
         UPDATE complaint_tally SET n = n - 1 WHERE opd_id = COALESCE(OLD.opd_id, 0)
           AND status = OLD.status AND channel = OLD.channel;
         INSERT INTO queue_version (opd_id, version) VALUES (COALESCE(OLD.opd_id, 0), 1)
           ON CONFLICT (opd_id) DO UPDATE SET version = version + 1;
       END""",
    """CREATE TRIGGER complaint_tally_au AFTER UPDATE ON complaint BEGIN
         UPDATE complaint_tally SET n = n - 1 WHERE opd_id = COALESCE(OLD.opd_id, 0)
           AND status = OLD.status AND channel = OLD.channel;
         INSERT INTO complaint_tally (opd_id, status, channel, n)
           VALUES (COALESCE(NEW.opd_id, 0), NEW.status, NEW.channel, 1)
           ON CONFLICT (opd_id, status, channel) DO UPDATE SET n = n + 1;
         INSERT INTO queue_version (opd_id, version) VALUES (COALESCE(OLD.opd_id, 0), 1)
           ON CONFLICT (opd_id) DO UPDATE SET version = version + 1;
         INSERT INTO queue_version (opd_id, version) VALUES (COALESCE(NEW.opd_id, 0), 1)
           ON CONFLICT (opd_id) DO UPDATE SET version = version + 1;
       END""",
    """CREATE VIRTUAL TABLE complaint_fts USING fts5(
         title, body, content='complaint', content_rowid='id',
         tokenize='unicode61 remove_diacritics 2')""",
    "INSERT INTO complaint_fts (complaint_fts) VALUES ('rebuild')",
    # How many complaints hold each word: search picks its plan by it.
    "CREATE VIRTUAL TABLE complaint_fts_vocab USING fts5vocab('complaint_fts', 'row')",
    """CREATE TRIGGER complaint_fts_ai AFTER INSERT ON complaint BEGIN
         INSERT INTO complaint_fts (rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body);
       END""",
    """CREATE TRIGGER complaint_fts_ad AFTER DELETE ON complaint BEGIN
         INSERT INTO complaint_fts (complaint_fts, rowid, title, body)
           VALUES ('delete', OLD.id, OLD.title, OLD.body);
       END""",
    # Only when the text changes: status updates must not rewrite the index.
    """CREATE TRIGGER complaint_fts_au AFTER UPDATE OF title, body ON complaint BEGIN
         INSERT INTO complaint_fts (complaint_fts, rowid, title, body)
           VALUES ('delete', OLD.id, OLD.title, OLD.body);
         INSERT INTO complaint_fts (rowid, title, body) VALUES (NEW.id, NEW.title, NEW.body);
       END""",
]

POSTGRES = [
    """CREATE TABLE complaint_tally (
         opd_id INTEGER NOT NULL, status VARCHAR(24) NOT NULL, channel VARCHAR(32) NOT NULL,
         n INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (opd_id, status, channel))""",
    """CREATE TABLE queue_version (opd_id INTEGER PRIMARY KEY, version BIGINT NOT NULL)""",
    """INSERT INTO complaint_tally (opd_id, status, channel, n)
       SELECT COALESCE(opd_id, 0), status, channel, COUNT(*) FROM complaint GROUP BY 1, 2, 3""",
    """INSERT INTO queue_version (opd_id, version)
       SELECT DISTINCT COALESCE(opd_id, 0), 1 FROM complaint""",
    """CREATE FUNCTION complaint_tally_bump(o INTEGER, s VARCHAR, c VARCHAR, d INTEGER)
       RETURNS void AS $$
       BEGIN
         INSERT INTO complaint_tally (opd_id, status, channel, n) VALUES (COALESCE(o, 0), s, c, d)
           ON CONFLICT (opd_id, status, channel) DO UPDATE SET n = complaint_tally.n + d;
         INSERT INTO queue_version (opd_id, version) VALUES (COALESCE(o, 0), 1)
           ON CONFLICT (opd_id) DO UPDATE SET version = queue_version.version + 1;
       END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION complaint_tally_trigger() RETURNS trigger AS $$
       BEGIN
         IF TG_OP IN ('UPDATE', 'DELETE') THEN
           PERFORM complaint_tally_bump(OLD.opd_id, OLD.status, OLD.channel, -1);
         END IF;
         IF TG_OP IN ('UPDATE', 'INSERT') THEN
           PERFORM complaint_tally_bump(NEW.opd_id, NEW.status, NEW.channel, 1);
         END IF;
         RETURN NULL;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER complaint_tally AFTER INSERT OR UPDATE OR DELETE ON complaint
       FOR EACH ROW EXECUTE FUNCTION complaint_tally_trigger()""",
    """CREATE INDEX complaint_fts ON complaint USING GIN
       (to_tsvector('simple', coalesce(title, '') || ' ' || coalesce(body, '')))""",
]


def _is_sqlite(database) -> bool:
    return isinstance(getattr(database, "obj", None) or database, pw.SqliteDatabase)


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    def run():
        for name, columns in INDEXES:
            table = "disposition" if name.startswith("disposition") else "complaint"
            database.execute_sql(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
        for statement in SQLITE if _is_sqlite(database) else POSTGRES:
            database.execute_sql(statement)
        database.execute_sql("ANALYZE")

    migrator.run(run)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    def run():
        if _is_sqlite(database):
            for trigger in ("complaint_tally_ai", "complaint_tally_ad", "complaint_tally_au",
                            "complaint_fts_ai", "complaint_fts_ad", "complaint_fts_au"):
                database.execute_sql(f"DROP TRIGGER IF EXISTS {trigger}")
            database.execute_sql("DROP TABLE IF EXISTS complaint_fts_vocab")
            database.execute_sql("DROP TABLE IF EXISTS complaint_fts")
        else:
            database.execute_sql("DROP TRIGGER IF EXISTS complaint_tally ON complaint")
            database.execute_sql("DROP FUNCTION IF EXISTS complaint_tally_trigger()")
            database.execute_sql("DROP FUNCTION IF EXISTS complaint_tally_bump(INTEGER, VARCHAR, VARCHAR, INTEGER)")
            database.execute_sql("DROP INDEX IF EXISTS complaint_fts")
        database.execute_sql("DROP TABLE IF EXISTS complaint_tally")
        database.execute_sql("DROP TABLE IF EXISTS queue_version")
        for name, _columns in INDEXES:
            database.execute_sql(f"DROP INDEX IF EXISTS {name}")

    migrator.run(run)
