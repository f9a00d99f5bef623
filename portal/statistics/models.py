"""The statistics tables.

`StatFact` holds what the figures need to know about one complaint, derived
from its timeline once (working days need the calendar, which SQL cannot
do).  `StatCell` sums the facts per month and per value of one dimension
(OPD, category or channel) - the breakdowns the page shows - and `StatDist`
keeps the working-day and budget-year distributions per month and OPD.  The
public page reads only those: about 12 x (OPDs + categories + channels) rows
a year, whether the city has a thousand complaints or a million.  0 stands
for "no OPD" and "no category" so keys are unique in every database (NULLs
are distinct in unique indexes).
"""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from portal.complaints.models import Complaint
from portal.db import BaseModel

# Distributions kept per cell: value -> number of complaints.
FIRST_RESPONSE = "tanggapan_awal"  # working days, forwarded -> first OPD step
RESOLUTION = "penyelesaian"  # working days, received -> response published
BUDGET_YEAR = "tahun_anggaran"  # fiscal year awaited, complaints waiting now
METRICS = (FIRST_RESPONSE, RESOLUTION, BUDGET_YEAR)


# The dimensions of StatCell; every complaint has exactly one channel, so
# the channel rows also give the totals.
OPD, CATEGORY, CHANNEL = "opd", "category", "channel"
DIMENSIONS = {OPD: "opd_id", CATEGORY: "category_id", CHANNEL: "channel"}


class StatFact(BaseModel):
    complaint = ForeignKeyField(Complaint, primary_key=True, on_delete="CASCADE")
    year = IntegerField()
    month = IntegerField()
    opd_id = IntegerField(default=0)
    category_id = IntegerField(default=0)
    channel = CharField(max_length=32)
    confidential = BooleanField(default=False)
    forwarded = BooleanField(default=False)
    followed_up = BooleanField(default=False)
    resolved_photo = BooleanField(default=False)
    first_opening_days = IntegerField(null=True)  # forwarded -> first opened by the OPD
    first_response_days = IntegerField(null=True)
    resolution_days = IntegerField(null=True)
    waiting_budget_year = IntegerField(null=True)
    rating = IntegerField(null=True)
    updated_at = DateTimeField()
    # Each step of the chain: when it was due and when it was done
    # (portal.statistics.stages; naive UTC like every moment stored).
    penerusan_due = DateTimeField(null=True)
    penerusan_at = DateTimeField(null=True)
    laporan_due = DateTimeField(null=True)
    laporan_at = DateTimeField(null=True)
    disposisi_due = DateTimeField(null=True)
    disposisi_at = DateTimeField(null=True)
    tindak_lanjut_due = DateTimeField(null=True)
    tindak_lanjut_at = DateTimeField(null=True)
    publikasi_due = DateTimeField(null=True)
    publikasi_at = DateTimeField(null=True)
    # The OPD's queue: when the complaint reached it and when it was first opened after.
    queue_arrived_at = DateTimeField(null=True)
    queue_opened_at = DateTimeField(null=True)
    queue_wait_minutes = IntegerField(null=True)  # on working days only
    queue_day_due = DateTimeField(null=True)  # end of the working day it arrived
    queue_slot_due = DateTimeField(null=True)  # next opening hour + grace; None without hours

    class Meta:
        table_name = "stat_fact"
        indexes = ((("year", "month", "opd_id"), False), (("year", "month", "category_id"), False),
                   (("year", "month", "channel"), False), (("opd_id", "queue_opened_at"), False))


class StatCell(BaseModel):
    year = IntegerField()
    month = IntegerField()
    dimension = CharField(max_length=16)
    key = CharField(max_length=32)  # an OPD or category id, or a channel name
    received = IntegerField(default=0)
    confidential = IntegerField(default=0)
    forwarded = IntegerField(default=0)
    followed_up = IntegerField(default=0)
    resolved_photo = IntegerField(default=0)
    rating_n = IntegerField(default=0)
    rating_sum = IntegerField(default=0)

    class Meta:
        table_name = "stat_cell"
        indexes = ((("year", "month", "dimension", "key"), True),)


class StatDist(BaseModel):
    year = IntegerField()
    month = IntegerField()
    opd_id = IntegerField(default=0)
    metric = CharField(max_length=16)
    value = IntegerField()
    n = IntegerField()

    class Meta:
        table_name = "stat_dist"
        indexes = ((("year", "month", "opd_id", "metric", "value"), True),)


class StatOverdue(BaseModel):
    """Open complaints past their deadline, per month and OPD, as of
    `StatState` "overdue".  Time makes complaints overdue without any event,
    so this is recounted periodically rather than kept from the facts."""

    year = IntegerField()
    month = IntegerField()
    opd_id = IntegerField(default=0)
    n = IntegerField()

    class Meta:
        table_name = "stat_overdue"
        indexes = ((("year", "month", "opd_id"), True),)


class StatDirty(BaseModel):
    """Complaints whose facts must be derived again: written in the same
    transaction as the event that changed them (so none is ever missed, even
    with the queue down), and worked off by the periodic task.  `version`
    grows with every new mark, so the worker only clears the mark it read."""

    complaint_id = IntegerField(primary_key=True)
    version = IntegerField(default=1)

    class Meta:
        table_name = "stat_dirty"


class StatState(BaseModel):
    name = CharField(max_length=32, unique=True)
    at = DateTimeField()

    class Meta:
        table_name = "stat_state"
