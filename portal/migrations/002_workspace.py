"""002: the OPD workspace: dispositions, login failures, response templates,
and when a complaint was first read and which budget year it waits for."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields(
        "complaint",
        read_at=pw.DateTimeField(null=True),
        budget_year=pw.IntegerField(null=True),
    )

    @migrator.create_model
    class Disposition(pw.Model):
        id = pw.AutoField()
        complaint = pw.ForeignKeyField(column_name='complaint_id', field='id', model=migrator.orm['complaint'], on_delete='CASCADE')
        bidang = pw.ForeignKeyField(column_name='bidang_id', field='id', model=migrator.orm['bidang'], on_delete='CASCADE')
        instruction = pw.TextField(default='')
        disposed_by = pw.ForeignKeyField(column_name='disposed_by_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "disposition"
            indexes = [(('complaint', 'bidang'), True)]

    @migrator.create_model
    class LoginFailure(pw.Model):
        id = pw.AutoField()
        username = pw.CharField(max_length=64)
        address = pw.CharField(max_length=64)
        count = pw.IntegerField(default=0)
        locked_until = pw.DateTimeField(null=True)
        last_failed_at = pw.DateTimeField()

        class Meta:
            table_name = "login_failure"
            indexes = [(('username', 'address'), True)]

    @migrator.create_model
    class ResponseTemplate(pw.Model):
        id = pw.AutoField()
        category = pw.ForeignKeyField(column_name='category_id', field='id', model=migrator.orm['category'], null=True, on_delete='CASCADE')
        title = pw.CharField(max_length=120)
        body = pw.TextField()
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "response_template"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('response_template')
    migrator.remove_model('login_failure')
    migrator.remove_model('disposition')
    migrator.remove_fields('complaint', 'read_at', 'budget_year')
