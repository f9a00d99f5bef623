"""070: the OPD an event sent the complaint to, as its code read then, so the
timeline can say "Diteruskan ke DPUPR" for every forwarding, not only the
last one, and keeps saying it after the OPD is renamed."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('timeline_event', opd_code=pw.CharField(max_length=32, null=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('timeline_event', 'opd_code')
