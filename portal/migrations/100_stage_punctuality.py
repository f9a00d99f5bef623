"""100: per complaint, when each step of the chain was due and done, and when
the OPD's queue was opened after the complaint reached it (the leaders'
dashboard: on time per step, queue-opening punctuality).  The facts of
existing complaints are filled by the next `flask statistik rebuild` (also
run nightly)."""

import peewee as pw
from peewee_migrate import Migrator

STEPS = ("penerusan", "laporan", "disposisi", "tindak_lanjut", "publikasi")
MOMENTS = ("queue_arrived_at", "queue_opened_at", "queue_day_due", "queue_slot_due")


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    fields = {f"{step}_{end}": pw.DateTimeField(null=True) for step in STEPS
              for end in ("due", "at")}
    fields.update({name: pw.DateTimeField(null=True) for name in MOMENTS})
    fields["queue_wait_minutes"] = pw.IntegerField(null=True)
    migrator.add_fields('stat_fact', **fields)
    migrator.add_index('stat_fact', 'opd_id', 'queue_opened_at')


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.drop_index('stat_fact', 'opd_id', 'queue_opened_at')
    migrator.remove_fields('stat_fact', *[f"{step}_{end}" for step in STEPS
                                          for end in ("due", "at")],
                           *MOMENTS, 'queue_wait_minutes')
