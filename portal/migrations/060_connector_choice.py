"""060: settings an admin chooses for a connector on its page (SP4N's
template code per kind of follow-up), stored so every worker reads them."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class ConnectorChoice(pw.Model):
        id = pw.AutoField()
        connector = pw.CharField(max_length=64)
        key = pw.CharField(max_length=64)
        value = pw.TextField(default='')
        updated_at = pw.DateTimeField()
        updated_by = pw.ForeignKeyField(column_name='updated_by_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "connector_choice"
            indexes = [(('connector', 'key'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('connector_choice')
