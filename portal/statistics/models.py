"""The statistics tables.

`StatFact` holds what the figures need to know about one complaint, derived
from its timeline once (working days need the calendar, which SQL cannot
do).  `StatCell` and `StatDist` sum the facts per (year, month, OPD,
category, channel) cell; the public page reads only those, so its cost
depends on the number of cells, not of complaints.  0 stands for "no OPD"
and "no category" so the cell key is unique in every database (NULLs are
distinct in unique indexes).
"""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from portal.complaints.models import Complaint
from portal.db import BaseModel

# Distributions kept per cell: value -> number of complaints.
FIRST_RESPONSE = "tanggapan_awal"  # working days, forwarded -> first OPD step
RESOLUTION = "penyelesaian"  # working days, received -> response published
BUDGET_YEAR = "tahun_anggaran"  # fiscal year awaited, complaints waiting now
METRICS = (FIRST_RESPONSE, RESOLUTION, BUDGET_YEAR)


class CellKey(BaseModel):
    year = IntegerField()
    month = IntegerField()
    opd_id = IntegerField(default=0)
    category_id = IntegerField(default=0)
    channel = CharField(max_length=32)

    def key(self) -> tuple:
        return (self.year, self.month, self.opd_id, self.category_id, self.channel)


class StatFact(CellKey):
    complaint = ForeignKeyField(Complaint, primary_key=True, on_delete="CASCADE")
    confidential = BooleanField(default=False)
    forwarded = BooleanField(default=False)
    followed_up = BooleanField(default=False)
    resolved_photo = BooleanField(default=False)
    first_response_days = IntegerField(null=True)
    resolution_days = IntegerField(null=True)
    waiting_budget_year = IntegerField(null=True)
    rating = IntegerField(null=True)
    updated_at = DateTimeField()

    class Meta:
        table_name = "stat_fact"
        indexes = ((("year", "month", "opd_id", "category_id", "channel"), False),)


class StatCell(CellKey):
    received = IntegerField(default=0)
    confidential = IntegerField(default=0)
    forwarded = IntegerField(default=0)
    followed_up = IntegerField(default=0)
    resolved_photo = IntegerField(default=0)
    rating_n = IntegerField(default=0)
    rating_sum = IntegerField(default=0)

    class Meta:
        table_name = "stat_cell"
        indexes = ((("year", "month", "opd_id", "category_id", "channel"), True),)


class StatDist(CellKey):
    metric = CharField(max_length=16)
    value = IntegerField()
    n = IntegerField()

    class Meta:
        table_name = "stat_dist"
        indexes = ((("year", "month", "opd_id", "category_id", "channel", "metric", "value"),
                    True),)


class StatOverdue(CellKey):
    """Open complaints past their deadline, per cell, as of `StatState.overdue_at`.
    Time makes complaints overdue without any event, so this is recomputed
    periodically rather than kept from the facts."""

    n = IntegerField()

    class Meta:
        table_name = "stat_overdue"
        indexes = ((("year", "month", "opd_id", "category_id", "channel"), True),)


class StatState(BaseModel):
    name = CharField(max_length=32, unique=True)
    at = DateTimeField()

    class Meta:
        table_name = "stat_state"
