"""051: Web Push subscriptions of staff browsers (one row per browser)."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class PushSubscription(pw.Model):
        id = pw.AutoField()
        user = pw.ForeignKeyField(column_name='user_id', field='id',
                                  model=migrator.orm['user_account'], on_delete='CASCADE')
        endpoint = pw.CharField(max_length=500, unique=True)
        p256dh = pw.CharField(max_length=200)
        auth = pw.CharField(max_length=64)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "push_subscription"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('push_subscription')
