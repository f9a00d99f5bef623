"""Tables of the sync engine (migration 004)."""
import json

from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from portal.accounts.models import User
from portal.clock import utcnow
from portal.complaints.models import Complaint
from portal.db import BaseModel


class SyncState(BaseModel):
    """Where the last pull of one connector stopped, and how it went."""

    connector = CharField(max_length=64, unique=True)
    cursor = TextField(null=True)  # opaque, owned by the connector
    last_pull_at = DateTimeField(null=True)
    last_success_at = DateTimeField(null=True)
    last_error = TextField(default="")
    last_error_at = DateTimeField(null=True)

    class Meta:
        table_name = "sync_state"


class ExternalRef(BaseModel):
    """A complaint's id in a channel.  A merged complaint has several."""

    complaint = ForeignKeyField(Complaint, backref="external_refs", on_delete="CASCADE")
    channel = CharField(max_length=64)
    external_id = CharField(max_length=100)
    remote_updated_at = DateTimeField(null=True)  # newest remote version applied
    remote_status = CharField(max_length=64, default="")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "external_ref"
        indexes = ((("channel", "external_id"), True),)


class RemoteMessage(BaseModel):
    """A reporter reply already copied to the timeline (never twice)."""

    channel = CharField(max_length=64)
    external_id = CharField(max_length=100)
    complaint = ForeignKeyField(Complaint, on_delete="CASCADE")
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "remote_message"
        indexes = ((("channel", "external_id"), True),)


PENDING, DONE, DEAD = "pending", "done", "dead"


class OutboxItem(BaseModel):
    """A change to send to one channel, written in the transaction that made it."""

    connector = CharField(max_length=64, index=True)
    complaint = ForeignKeyField(Complaint, backref="outbox", on_delete="CASCADE")
    kind = CharField(max_length=16)  # "status", "response", "forward"
    payload = TextField(default="{}")
    state = CharField(max_length=16, default=PENDING, index=True)
    attempts = IntegerField(default=0)
    next_attempt_at = DateTimeField(default=utcnow, index=True)
    last_error = TextField(default="")
    remote_id = CharField(max_length=100, null=True)
    created_at = DateTimeField(default=utcnow)
    delivered_at = DateTimeField(null=True)
    # When the first attempt began (set on claim, kept across retries): a
    # remote copy of a forwarded complaint can only be newer than this.
    attempted_at = DateTimeField(null=True)
    # Times the row was claimed (migration 080): claimed before and not done
    # means a worker may have died mid-request, so it counts as maybe sent.
    claims = IntegerField(default=0)
    # The remote status our delivery caused, as the connector reports it:
    # a pull that lists it back is our own echo, not a remote change.
    sent_status = CharField(max_length=64, default="")

    class Meta:
        table_name = "sync_outbox"

    @property
    def data(self) -> dict:
        return json.loads(self.payload or "{}")


class Lease(BaseModel):
    """A lock with an owner and an expiry (migration 080): a worker killed
    while holding it blocks others only until the lease runs out."""

    name = CharField(max_length=200, unique=True)
    owner = CharField(max_length=120)
    acquired_at = DateTimeField()
    expires_at = DateTimeField(index=True)

    class Meta:
        table_name = "sync_lease"


class SyncRun(BaseModel):
    """One pull-and-push pass, for the admin page and `flask sync`."""

    connector = CharField(max_length=64, index=True)
    started_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField(null=True)
    fetched = IntegerField(default=0)
    created = IntegerField(default=0)
    updated = IntegerField(default=0)
    conflicts = IntegerField(default=0)
    pushed = IntegerField(default=0)
    failed = IntegerField(default=0)
    error = TextField(default="")

    class Meta:
        table_name = "sync_run"


OPEN, MERGED, DISMISSED = "open", "merged", "dismissed"


class DuplicateFlag(BaseModel):
    """Complaints that look like the same matter, for an admin to judge.

    One flag per group: `other` is the complaint the group formed around,
    `complaint` the arrival that opened it, and `DuplicateMember` lists every
    member (both of those included).
    """

    complaint = ForeignKeyField(Complaint, on_delete="CASCADE")  # the newer one
    other = ForeignKeyField(Complaint, on_delete="CASCADE")
    reason = CharField(max_length=200)
    state = CharField(max_length=16, default=OPEN, index=True)
    created_at = DateTimeField(default=utcnow)
    resolved_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    resolved_at = DateTimeField(null=True)

    class Meta:
        table_name = "duplicate_flag"
        indexes = ((("complaint", "other"), True),)


class ConnectorChoice(BaseModel):
    """A setting an admin chose for a connector on its page (migration 060),
    e.g. SP4N's template code per kind of follow-up.  Wins over the files."""

    connector = CharField(max_length=64)
    key = CharField(max_length=64)
    value = TextField(default="")
    updated_at = DateTimeField(default=utcnow)
    updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

    class Meta:
        table_name = "connector_choice"
        indexes = ((("connector", "key"), True),)


class DuplicateMember(BaseModel):
    flag = ForeignKeyField(DuplicateFlag, backref="members", on_delete="CASCADE")
    complaint = ForeignKeyField(Complaint, on_delete="CASCADE", index=True)
    reason = CharField(max_length=200, default="")  # why it joined; "" for the group's first
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "duplicate_member"
        indexes = ((("flag", "complaint"), True),)


class ComplaintContact(BaseModel):
    """A complaint's reporter contact, normalised (portal.sync.duplicates.contacts)."""

    complaint = ForeignKeyField(Complaint, on_delete="CASCADE")
    key = CharField(max_length=200, index=True)

    class Meta:
        table_name = "complaint_contact"
        indexes = ((("complaint", "key"), True),)


SYNC_MODELS = [SyncState, ExternalRef, RemoteMessage, OutboxItem, SyncRun, DuplicateFlag,
               DuplicateMember, ComplaintContact, ConnectorChoice, Lease]
