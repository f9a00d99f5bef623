"""Disposisi: which bidang of the OPD a complaint is currently disposed to.

The timeline keeps the history; these rows are the present assignment, so
a new disposition replaces the previous one.
"""
from peewee import DateTimeField, ForeignKeyField, TextField

from portal.accounts.models import User
from portal.clock import utcnow
from portal.complaints.models import Complaint
from portal.db import BaseModel
from portal.directory.models import Bidang


class Disposition(BaseModel):
    complaint = ForeignKeyField(Complaint, backref="dispositions", on_delete="CASCADE")
    bidang = ForeignKeyField(Bidang, on_delete="CASCADE")
    instruction = TextField(default="")
    disposed_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "disposition"
        indexes = ((("complaint", "bidang"), True),)


def bidang_ids(complaint) -> set[int]:
    return {d.bidang_id for d in Disposition.select(Disposition.bidang)
            .where(Disposition.complaint == complaint)}


def bidang_by_complaint(complaint_ids: list[int]) -> dict[int, set[int]]:
    """{complaint id: its bidang ids} for many complaints in one query."""
    result: dict = {}
    for start in range(0, len(complaint_ids), 10000):
        for complaint_id, bidang_id in (Disposition.select(Disposition.complaint, Disposition.bidang)
                                        .where(Disposition.complaint.in_(complaint_ids[start:start + 10000]))
                                        .tuples()):
            result.setdefault(complaint_id, set()).add(bidang_id)
    return result


def replace(complaint, bidang, instruction: str, user=None) -> None:
    Disposition.delete().where(Disposition.complaint == complaint).execute()
    for b in bidang:
        Disposition.create(complaint=complaint, bidang=b, instruction=instruction,
                           disposed_by=user)
