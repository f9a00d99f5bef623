"""041: Open311 API keys (portal/open311/keys.py), stored as SHA-256 only."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class ApiKey(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=100, unique=True)
        key_hash = pw.CharField(max_length=64, unique=True)
        created_at = pw.DateTimeField()
        revoked_at = pw.DateTimeField(null=True)
        last_used_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "open311_key"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('open311_key')
