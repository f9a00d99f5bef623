"""080: leased locks for sync pulls (a crashed worker's lock expires), and
per outbox row how often it was claimed and what remote status it caused."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class Lease(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=200, unique=True)
        owner = pw.CharField(max_length=120)
        acquired_at = pw.DateTimeField()
        expires_at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "sync_lease"

    migrator.add_fields('sync_outbox', claims=pw.IntegerField(default=0),
                        sent_status=pw.CharField(max_length=64, default=''))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('sync_outbox', 'claims', 'sent_status')
    migrator.remove_model('sync_lease')
