"""050: handoff notices — each staff member's notification settings, where a
notice waits (quiet hours, batching), what a channel's provider said about
it (WhatsApp message id and delivery status), and a citizen's WhatsApp
opt-in."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class NotifyPreference(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id',
                                  model=migrator.orm['user_account'], on_delete='CASCADE',
                                  unique=True)
        channel = pw.CharField(default='email', max_length=16)
        phone = pw.CharField(default='', max_length=20)
        quiet_start = pw.TimeField(null=True)
        quiet_end = pw.TimeField(null=True)
        batch_minutes = pw.IntegerField(default=0)
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "notify_preference"

    migrator.add_fields(
        'notification',
        hold_until=pw.DateTimeField(null=True),
        provider_id=pw.CharField(max_length=128, null=True, index=True),
        provider_status=pw.CharField(max_length=16, null=True),
        provider_status_at=pw.DateTimeField(null=True),
    )
    # Nullable (filled with the default): on SQLite a NOT NULL column makes the
    # migrator rebuild the table, which would drop the triggers of 030 and 031.
    migrator.add_fields('complaint', notify_whatsapp=pw.BooleanField(null=True, default=False))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('complaint', 'notify_whatsapp')
    migrator.remove_fields('notification', 'hold_until', 'provider_id', 'provider_status',
                           'provider_status_at')
    migrator.remove_model('notify_preference')
