"""007: when an outbox row was first attempted, so a forwarded complaint
whose answer was lost can be recognised when SP4N lists it back."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('sync_outbox', attempted_at=pw.DateTimeField(null=True))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('sync_outbox', 'attempted_at')
