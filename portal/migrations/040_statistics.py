"""040: the statistics tables (portal/statistics/models.py): per-complaint
facts and the per-cell aggregates the public figures are read from."""

import peewee as pw
from peewee_migrate import Migrator

KEY = ("year", "month", "opd_id", "category_id", "channel")


def _key_fields():
    return {"year": pw.IntegerField(), "month": pw.IntegerField(),
            "opd_id": pw.IntegerField(default=0), "category_id": pw.IntegerField(default=0),
            "channel": pw.CharField(max_length=32)}


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    complaint = migrator.orm['complaint']

    class Meta:
        table_name = "stat_fact"
        indexes = [(KEY, False)]

    migrator.create_model(type("StatFact", (pw.Model,), {
        **_key_fields(), "Meta": Meta,
        "complaint": pw.ForeignKeyField(column_name='complaint_id', field='id', model=complaint,
                                        primary_key=True, on_delete='CASCADE'),
        "confidential": pw.BooleanField(default=False),
        "forwarded": pw.BooleanField(default=False),
        "followed_up": pw.BooleanField(default=False),
        "resolved_photo": pw.BooleanField(default=False),
        "first_response_days": pw.IntegerField(null=True),
        "resolution_days": pw.IntegerField(null=True),
        "waiting_budget_year": pw.IntegerField(null=True),
        "rating": pw.IntegerField(null=True),
        "updated_at": pw.DateTimeField(),
    }))

    class CellMeta:
        table_name = "stat_cell"
        indexes = [(KEY, True)]

    migrator.create_model(type("StatCell", (pw.Model,), {
        "id": pw.AutoField(), **_key_fields(), "Meta": CellMeta,
        **{name: pw.IntegerField(default=0) for name in (
            "received", "confidential", "forwarded", "followed_up", "resolved_photo",
            "rating_n", "rating_sum")},
    }))

    class DistMeta:
        table_name = "stat_dist"
        indexes = [(KEY + ("metric", "value"), True)]

    migrator.create_model(type("StatDist", (pw.Model,), {
        "id": pw.AutoField(), **_key_fields(), "Meta": DistMeta,
        "metric": pw.CharField(max_length=16), "value": pw.IntegerField(),
        "n": pw.IntegerField(),
    }))

    class OverdueMeta:
        table_name = "stat_overdue"
        indexes = [(KEY, True)]

    migrator.create_model(type("StatOverdue", (pw.Model,), {
        "id": pw.AutoField(), **_key_fields(), "Meta": OverdueMeta, "n": pw.IntegerField(),
    }))

    @migrator.create_model
    class StatState(pw.Model):
        id = pw.AutoField()
        name = pw.CharField(max_length=32, unique=True)
        at = pw.DateTimeField()

        class Meta:
            table_name = "stat_state"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    for table in ("stat_state", "stat_overdue", "stat_dist", "stat_cell", "stat_fact"):
        migrator.remove_model(table)
