"""031: what the periodic passes already did for the current deadline.

`escalation_level` (0 none, 1 pimpinan told, 2 admin told) and
`reminder_sent` let each pass read only complaints that crossed a threshold
and were not handled yet, through partial indexes, instead of every overdue
complaint every quarter of an hour.  A trigger resets both whenever the due
date moves (a new stage, a recomputed rule): a new deadline is escalated and
reminded afresh, exactly as the notification keys (which carry the due date)
already said.
"""
import peewee as pw
from peewee_migrate import Migrator

SQLITE = [
    """CREATE TRIGGER complaint_due_moved AFTER UPDATE OF due_at ON complaint
       WHEN OLD.due_at IS NOT NEW.due_at BEGIN
         UPDATE complaint SET escalation_level = 0, reminder_sent = 0 WHERE id = NEW.id;
       END""",
]

POSTGRES = [
    """CREATE FUNCTION complaint_due_moved() RETURNS trigger AS $$
       BEGIN
         IF NEW.due_at IS DISTINCT FROM OLD.due_at THEN
           NEW.escalation_level := 0;
           NEW.reminder_sent := false;
         END IF;
         RETURN NEW;
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER complaint_due_moved BEFORE UPDATE ON complaint
       FOR EACH ROW EXECUTE FUNCTION complaint_due_moved()""",
]

# The queries repeat these predicates literally (not as bound parameters): a
# planner can only use a partial index when it can prove the query implies it.
INDEXES = [
    # Not yet escalated: the pass reads those whose due date has passed.
    "CREATE INDEX complaint_escalate_due ON complaint (due_at) WHERE escalation_level = 0",
    # Told the pimpinan: the pass reads those past twice the limit.
    "CREATE INDEX complaint_escalate_admin ON complaint (escalate_admin_at) "
    "WHERE escalation_level = 1",
    "CREATE INDEX complaint_remind_due ON complaint (due_at) WHERE NOT reminder_sent",
]


def _is_sqlite(database) -> bool:
    return isinstance(getattr(database, "obj", None) or database, pw.SqliteDatabase)


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    # Through the migrator, so later migrations know the columns exist; as
    # nullable columns (filled with the default), because on SQLite a NOT NULL
    # one makes the migrator rebuild the table, which drops its triggers.
    migrator.add_fields('complaint', escalation_level=pw.IntegerField(null=True, default=0),
                        reminder_sent=pw.BooleanField(null=True, default=False))

    def run():
        for statement in (SQLITE if _is_sqlite(database) else POSTGRES) + INDEXES:
            database.execute_sql(statement)

    migrator.run(run)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    def run():
        if _is_sqlite(database):
            database.execute_sql("DROP TRIGGER IF EXISTS complaint_due_moved")
        else:
            database.execute_sql("DROP TRIGGER IF EXISTS complaint_due_moved ON complaint")
            database.execute_sql("DROP FUNCTION IF EXISTS complaint_due_moved()")
        for name in ("complaint_escalate_due", "complaint_escalate_admin", "complaint_remind_due"):
            database.execute_sql(f"DROP INDEX IF EXISTS {name}")

    migrator.run(run)
    migrator.remove_fields('complaint', 'escalation_level', 'reminder_sent')
