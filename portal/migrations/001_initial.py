"""001: the core tables of the walking skeleton."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class Opd(pw.Model):
        id = pw.AutoField()
        code = pw.CharField(max_length=32, unique=True)
        name = pw.CharField(max_length=200)

        class Meta:
            table_name = "opd"

    @migrator.create_model
    class Category(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=120, unique=True)
        default_opd = pw.ForeignKeyField(column_name='default_opd_id', field='id', model=migrator.orm['opd'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "category"

    @migrator.create_model
    class Complaint(pw.Model):
        id = pw.AutoField()
        code = pw.CharField(max_length=10, unique=True)
        title = pw.CharField(max_length=200)
        body = pw.TextField()
        classification = pw.CharField(default='pengaduan', max_length=16)
        category = pw.ForeignKeyField(column_name='category_id', field='id', model=migrator.orm['category'], null=True, on_delete='SET NULL')
        location = pw.CharField(default='', max_length=300)
        lat = pw.FloatField(null=True)
        lon = pw.FloatField(null=True)
        anonymous = pw.BooleanField(default=False)
        confidential = pw.BooleanField(default=False)
        reporter_name = pw.CharField(default='', max_length=120)
        reporter_contact = pw.CharField(default='', max_length=200)
        channel = pw.CharField(default='web', max_length=32)
        external_id = pw.CharField(max_length=100, null=True)
        opd = pw.ForeignKeyField(column_name='opd_id', field='id', model=migrator.orm['opd'], null=True, on_delete='SET NULL')
        status = pw.CharField(default='baru', index=True, max_length=24)
        rating = pw.IntegerField(null=True)
        submission_token = pw.CharField(max_length=64, null=True, unique=True)
        created_at = pw.DateTimeField(index=True)
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "complaint"
            indexes = [(('channel', 'external_id'), True)]

    @migrator.create_model
    class Bidang(pw.Model):
        id = pw.AutoField()
        opd = pw.ForeignKeyField(column_name='opd_id', field='id', model=migrator.orm['opd'], on_delete='CASCADE')
        name = pw.CharField(max_length=200)

        class Meta:
            table_name = "bidang"
            indexes = [(('opd', 'name'), True)]

    @migrator.create_model
    class User(pw.Model):
        id = pw.AutoField()
        username = pw.CharField(max_length=64, unique=True)
        password_hash = pw.CharField(max_length=255)
        full_name = pw.CharField(default='', max_length=200)
        role = pw.CharField(max_length=16)
        opd = pw.ForeignKeyField(column_name='opd_id', field='id', model=migrator.orm['opd'], null=True, on_delete='SET NULL')
        bidang = pw.ForeignKeyField(column_name='bidang_id', field='id', model=migrator.orm['bidang'], null=True, on_delete='SET NULL')
        email = pw.CharField(max_length=200, null=True)
        active = pw.BooleanField(default=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "user_account"

    @migrator.create_model
    class TimelineEvent(pw.Model):
        id = pw.AutoField()
        complaint = pw.ForeignKeyField(column_name='complaint_id', field='id', model=migrator.orm['complaint'], on_delete='CASCADE')
        created_at = pw.DateTimeField(index=True)
        actor = pw.CharField(max_length=120)
        actor_user = pw.ForeignKeyField(column_name='actor_user_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')
        kind = pw.CharField(max_length=32)
        text = pw.TextField(default='')
        public = pw.BooleanField(default=False)
        status_after = pw.CharField(max_length=24, null=True)

        class Meta:
            table_name = "timeline_event"

    @migrator.create_model
    class Attachment(pw.Model):
        id = pw.AutoField()
        complaint = pw.ForeignKeyField(column_name='complaint_id', field='id', model=migrator.orm['complaint'], on_delete='CASCADE')
        event = pw.ForeignKeyField(column_name='event_id', field='id', model=migrator.orm['timeline_event'], null=True, on_delete='SET NULL')
        filename = pw.CharField(max_length=64, unique=True)
        width = pw.IntegerField()
        height = pw.IntegerField()
        size = pw.IntegerField()
        public = pw.BooleanField(default=True)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "attachment"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('attachment')
    migrator.remove_model('timeline_event')
    migrator.remove_model('user_account')
    migrator.remove_model('bidang')
    migrator.remove_model('complaint')
    migrator.remove_model('category')
    migrator.remove_model('opd')
