"""040: the statistics tables (portal/statistics/models.py): per-complaint
facts and the aggregates the public figures are read from."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    complaints = migrator.orm['complaint']

    @migrator.create_model
    class StatFact(pw.Model):
        complaint = pw.ForeignKeyField(column_name='complaint_id', field='id', model=complaints,
                                       primary_key=True, on_delete='CASCADE')
        year = pw.IntegerField()
        month = pw.IntegerField()
        opd_id = pw.IntegerField(default=0)
        category_id = pw.IntegerField(default=0)
        channel = pw.CharField(max_length=32)
        confidential = pw.BooleanField(default=False)
        forwarded = pw.BooleanField(default=False)
        followed_up = pw.BooleanField(default=False)
        resolved_photo = pw.BooleanField(default=False)
        first_opening_days = pw.IntegerField(null=True)
        first_response_days = pw.IntegerField(null=True)
        resolution_days = pw.IntegerField(null=True)
        waiting_budget_year = pw.IntegerField(null=True)
        rating = pw.IntegerField(null=True)
        updated_at = pw.DateTimeField()

        class Meta:
            table_name = "stat_fact"
            indexes = [(('year', 'month', 'opd_id'), False),
                       (('year', 'month', 'category_id'), False),
                       (('year', 'month', 'channel'), False)]

    @migrator.create_model
    class StatCell(pw.Model):
        id = pw.AutoField()
        year = pw.IntegerField()
        month = pw.IntegerField()
        dimension = pw.CharField(max_length=16)
        key = pw.CharField(max_length=32)
        received = pw.IntegerField(default=0)
        confidential = pw.IntegerField(default=0)
        forwarded = pw.IntegerField(default=0)
        followed_up = pw.IntegerField(default=0)
        resolved_photo = pw.IntegerField(default=0)
        rating_n = pw.IntegerField(default=0)
        rating_sum = pw.IntegerField(default=0)

        class Meta:
            table_name = "stat_cell"
            indexes = [(('year', 'month', 'dimension', 'key'), True)]

    @migrator.create_model
    class StatDist(pw.Model):
        id = pw.AutoField()
        year = pw.IntegerField()
        month = pw.IntegerField()
        opd_id = pw.IntegerField(default=0)
        metric = pw.CharField(max_length=16)
        value = pw.IntegerField()
        n = pw.IntegerField()

        class Meta:
            table_name = "stat_dist"
            indexes = [(('year', 'month', 'opd_id', 'metric', 'value'), True)]

    @migrator.create_model
    class StatOverdue(pw.Model):
        id = pw.AutoField()
        year = pw.IntegerField()
        month = pw.IntegerField()
        opd_id = pw.IntegerField(default=0)
        n = pw.IntegerField()

        class Meta:
            table_name = "stat_overdue"
            indexes = [(('year', 'month', 'opd_id'), True)]

    @migrator.create_model
    class StatDirty(pw.Model):
        complaint_id = pw.IntegerField(primary_key=True)
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "stat_dirty"

    @migrator.create_model
    class StatState(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=32, unique=True)
        at = pw.DateTimeField()

        class Meta:
            table_name = "stat_state"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    for table in ("stat_state", "stat_dirty", "stat_overdue", "stat_dist", "stat_cell", "stat_fact"):
        migrator.remove_model(table)
