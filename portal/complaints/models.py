"""A complaint, its append-only timeline and its photos.

Later areas (deadlines, sync) keep their own tables in their own packages,
on the same `BaseModel`."""
from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    FloatField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from portal.accounts.models import User
from portal.clock import utcnow
from portal.complaints import tracking, workflow
from portal.db import BaseModel
from portal.directory.models import Category, Opd


class Complaint(BaseModel):
    code = CharField(max_length=10, unique=True)  # public tracking code, Crockford base32
    title = CharField(max_length=200)
    body = TextField()
    classification = CharField(max_length=16, default="pengaduan")
    category = ForeignKeyField(Category, null=True, backref="complaints", on_delete="SET NULL")
    location = CharField(max_length=300, default="")
    lat = FloatField(null=True)
    lon = FloatField(null=True)
    anonymous = BooleanField(default=False)  # reporter hidden from OPD staff and public
    confidential = BooleanField(default=False)  # content never on a public page
    reporter_name = CharField(max_length=120, default="")
    reporter_contact = CharField(max_length=200, default="")
    channel = CharField(max_length=32, default="web")
    external_id = CharField(max_length=100, null=True)  # id in the channel's own system
    opd = ForeignKeyField(Opd, null=True, backref="complaints", on_delete="SET NULL")
    read_at = DateTimeField(null=True)  # first opened by the OPD's staff (dibaca)
    status = CharField(max_length=24, default=workflow.INITIAL_STATUS, index=True)
    budget_year = IntegerField(null=True)  # follow-up planned in this fiscal year
    rating = IntegerField(null=True)  # 1..5, given by the reporter
    submission_token = CharField(max_length=64, null=True, unique=True)  # form idempotency
    # The same content sent again (Back, then submit with a fresh token): see
    # portal.complaints.resubmission.  `submitter` hashes the browser session.
    content_hash = CharField(max_length=64, null=True)
    submitter = CharField(max_length=32, null=True)
    created_at = DateTimeField(default=utcnow, index=True)
    updated_at = DateTimeField(default=utcnow)
    # Deadlines (portal/deadlines.py): the next due moment, whose stage and
    # SLA rule it follows, and when the city admin is alerted (twice the limit).
    due_at = DateTimeField(null=True, index=True)
    due_stage = CharField(max_length=24, null=True)
    due_rule_id = IntegerField(null=True)  # an SlaRule id; the rule shown beside the date
    escalate_admin_at = DateTimeField(null=True)
    field_inspection = BooleanField(default=False)  # pengaduan berkadar pengawasan: 60 HK
    severity = CharField(max_length=8, default="")  # portal.severity; "" = unknown
    # The "balasan baru" badge (portal.replies): the reporter's latest message
    # and the last time the staff holding the complaint opened it.
    reply_at = DateTimeField(null=True)
    opd_seen_at = DateTimeField(null=True)
    notify_whatsapp = BooleanField(default=False)  # the reporter asked for WhatsApp updates
    # What the periodic passes did for the current due date (portal.deadlines
    # escalation and reminders); a trigger resets both when due_at moves.
    escalation_level = IntegerField(default=0)
    reminder_sent = BooleanField(default=False)

    class Meta:
        table_name = "complaint"
        indexes = ((("channel", "external_id"), True), (("content_hash", "created_at"), False))

    @property
    def display_code(self) -> str:
        return tracking.format_code(self.code)

    @property
    def status_label(self) -> str:
        return workflow.status_label(self.status)


class TimelineEvent(BaseModel):
    """Append-only history of a complaint.  Never updated or deleted."""

    complaint = ForeignKeyField(Complaint, backref="events", on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow, index=True)
    actor = CharField(max_length=120)  # shown name: a staff name, "Pelapor", "Sistem"
    actor_user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    kind = CharField(max_length=32)  # a workflow action, or "dibuat", "catatan", ...
    text = TextField(default="")
    public = BooleanField(default=False)
    status_after = CharField(max_length=24, null=True)
    opd_code = CharField(max_length=32, null=True)  # where the event sent the complaint

    class Meta:
        table_name = "timeline_event"


class Attachment(BaseModel):
    complaint = ForeignKeyField(Complaint, backref="attachments", on_delete="CASCADE")
    event = ForeignKeyField(TimelineEvent, null=True, backref="attachments", on_delete="SET NULL")
    filename = CharField(max_length=64, unique=True)  # generated; the client's name is never used
    width = IntegerField()
    height = IntegerField()
    size = IntegerField()
    public = BooleanField(default=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "attachment"
