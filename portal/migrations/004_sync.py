"""004: tables of the connector sync engine."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class SyncState(pw.Model):
        id = pw.AutoField()
        connector = pw.CharField(max_length=64, unique=True)
        cursor = pw.TextField(null=True)
        last_pull_at = pw.DateTimeField(null=True)
        last_success_at = pw.DateTimeField(null=True)
        last_error = pw.TextField(default='')
        last_error_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "sync_state"

    @migrator.create_model
    class ExternalRef(pw.Model):
        id = pw.AutoField()
        complaint = pw.ForeignKeyField(column_name='complaint_id', field='id', model=migrator.orm['complaint'], on_delete='CASCADE')
        channel = pw.CharField(max_length=64)
        external_id = pw.CharField(max_length=100)
        remote_updated_at = pw.DateTimeField(null=True)
        remote_status = pw.CharField(default='', max_length=64)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "external_ref"
            indexes = [(('channel', 'external_id'), True)]

    @migrator.create_model
    class RemoteMessage(pw.Model):
        id = pw.AutoField()
        channel = pw.CharField(max_length=64)
        external_id = pw.CharField(max_length=100)
        complaint = pw.ForeignKeyField(column_name='complaint_id', field='id', model=migrator.orm['complaint'], on_delete='CASCADE')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "remote_message"
            indexes = [(('channel', 'external_id'), True)]

    @migrator.create_model
    class OutboxItem(pw.Model):
        id = pw.AutoField()
        connector = pw.CharField(index=True, max_length=64)
        complaint = pw.ForeignKeyField(column_name='complaint_id', field='id', model=migrator.orm['complaint'], on_delete='CASCADE')
        kind = pw.CharField(max_length=16)
        payload = pw.TextField(default='{}')
        state = pw.CharField(default='pending', index=True, max_length=16)
        attempts = pw.IntegerField(default=0)
        next_attempt_at = pw.DateTimeField(index=True)
        last_error = pw.TextField(default='')
        remote_id = pw.CharField(max_length=100, null=True)
        created_at = pw.DateTimeField()
        delivered_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "sync_outbox"

    @migrator.create_model
    class SyncRun(pw.Model):
        id = pw.AutoField()
        connector = pw.CharField(index=True, max_length=64)
        started_at = pw.DateTimeField()
        finished_at = pw.DateTimeField(null=True)
        fetched = pw.IntegerField(default=0)
        created = pw.IntegerField(default=0)
        updated = pw.IntegerField(default=0)
        conflicts = pw.IntegerField(default=0)
        pushed = pw.IntegerField(default=0)
        failed = pw.IntegerField(default=0)
        error = pw.TextField(default='')

        class Meta:
            table_name = "sync_run"

    @migrator.create_model
    class DuplicateFlag(pw.Model):
        id = pw.AutoField()
        complaint = pw.ForeignKeyField(column_name='complaint_id', field='id', model=migrator.orm['complaint'], on_delete='CASCADE')
        other = pw.ForeignKeyField(column_name='other_id', field='id', model=migrator.orm['complaint'], on_delete='CASCADE')
        reason = pw.CharField(max_length=200)
        state = pw.CharField(default='open', index=True, max_length=16)
        created_at = pw.DateTimeField()
        resolved_by = pw.ForeignKeyField(column_name='resolved_by_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')
        resolved_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "duplicate_flag"
            indexes = [(('complaint', 'other'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('duplicate_flag')
    migrator.remove_model('sync_run')
    migrator.remove_model('sync_outbox')
    migrator.remove_model('remote_message')
    migrator.remove_model('external_ref')
    migrator.remove_model('sync_state')
