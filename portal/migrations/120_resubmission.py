"""120: a complaint's content hash and the browser session it came from, so a
form sent again after Back (with a fresh token) leads to the first complaint.
The index answers "this content, within the last hour" without a scan."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    # Nullable: on SQLite a NOT NULL column makes the migrator rebuild the
    # table, which would drop the triggers of 030 and 031.
    migrator.add_fields('complaint',
                        content_hash=pw.CharField(max_length=64, null=True),
                        submitter=pw.CharField(max_length=32, null=True))
    migrator.add_index('complaint', 'content_hash', 'created_at')


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.drop_index('complaint', 'content_hash', 'created_at')
    migrator.remove_fields('complaint', 'content_hash', 'submitter')
