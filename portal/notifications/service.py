"""Notifications to staff and citizens, each delivered exactly once.

Every notification is a row with a unique `key` that names what it is about
(e.g. a reminder for complaint 7, stage tindak_lanjut, due date, user 3,
email).  Producing the same notification again — a retried task, a restarted
worker — inserts nothing.  Delivery claims the row before calling the
`aduan_notify` hook and marks it sent right after, so a notification is sent
again only if the worker died between the channel's acknowledgement and that
mark (a window of one database write).  A claim older than
NOTIFY_LEASE_SECONDS (a worker killed mid-delivery) is released for retry.
"""
import logging
import re
from datetime import timedelta

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from portal import clock, config
from portal.accounts.models import User
from portal.complaints.models import Complaint

# The form's rules (portal.contact): a contact that arrived through another
# channel with a display name or a header in it gets no mail.
from portal.contact import EMAIL as _EMAIL, PHONE as _PHONE
from portal.db import BaseModel, database
from portal.plugins import manager as plugins
from portal.plugins.hookspecs import hookimpl

log = logging.getLogger("aduan.notifications")

APP, EMAIL, SMS = "app", "email", "sms"
PENDING, SENDING, SENT, FAILED, UNHANDLED = "pending", "sending", "sent", "failed", "unhandled"
# HELD: waits for the end of its person's quiet hours or for their next batch
# (portal.notifications.preferences); DIGESTED: went out inside a digest.
HELD, DIGESTED = "held", "digested"
MAX_ATTEMPTS = 5



class Rejected(Exception):
    """A channel refused the notification for good (bad number, unknown
    template): retrying cannot help, so it is marked failed at once."""


class Notification(BaseModel):
    key = CharField(max_length=255, unique=True)
    channel = CharField(max_length=16)  # app, email, or a plugin's own (sms, whatsapp)
    user = ForeignKeyField(User, null=True, backref="notifications", on_delete="CASCADE")
    address = CharField(max_length=200, null=True)  # email or phone for people without an account
    complaint = ForeignKeyField(Complaint, null=True, backref="notifications", on_delete="CASCADE")
    kind = CharField(max_length=32)  # pengingat, eskalasi, ringkasan, status, jam_buka
    subject = CharField(max_length=200)
    body = TextField(default="")
    link = CharField(max_length=300, default="")
    state = CharField(max_length=12, default=PENDING, index=True)
    attempts = IntegerField(default=0)
    claimed_at = DateTimeField(null=True)  # wall-clock time, for the lease
    sent_at = DateTimeField(null=True)
    read_at = DateTimeField(null=True)
    created_at = DateTimeField(default=clock.utcnow, index=True)
    hold_until = DateTimeField(null=True)  # HELD rows: when the wait ends (naive UTC)
    # What the channel's provider answered: its message id (WhatsApp wamid)
    # and the latest delivery status its webhook reported (sent/delivered/read/failed).
    provider_id = CharField(max_length=128, null=True, index=True)
    provider_status = CharField(max_length=16, null=True)
    provider_status_at = DateTimeField(null=True)

    class Meta:
        table_name = "notification"

    @property
    def recipient(self) -> str:
        if self.address:
            return self.address
        if self.user_id and self.channel == EMAIL:
            return self.user.email or ""
        return self.user.username if self.user_id else ""


def create(key: str, channel: str, subject: str, *, body: str = "", user=None, address=None,
           complaint=None, kind: str, link: str = "", hold_until=None) -> int | None:
    """Store one notification unless its key exists; the new id, or None.

    With `hold_until` the row is HELD: no sweep delivers it; the digest task
    sends it (with others held for the same person) once that moment passes.
    """
    with database.atomic():
        if Notification.select().where(Notification.key == key).exists():
            return None
        return (Notification.insert(key=key, channel=channel, subject=subject[:200], body=body,
                                    user=user, address=address, complaint=complaint, kind=kind,
                                    link=link, created_at=clock.utcnow(),
                                    state=HELD if hold_until else PENDING,
                                    hold_until=hold_until)
                .on_conflict_ignore().execute()) or None


def for_user(user: User, key: str, subject: str, **fields) -> list[int]:
    """The in-app notification, plus an email when the user has an address."""
    ids = [create(f"{key}:{APP}", APP, subject, user=user, **fields)]
    if user.email:
        ids.append(create(f"{key}:{EMAIL}", EMAIL, subject, user=user, **fields))
    return [i for i in ids if i]


def citizen_channel(contact: str, whatsapp: bool = False) -> tuple[str, str] | None:
    """(channel, address) for what a reporter left in the contact field.

    A phone number gets SMS, or WhatsApp when the reporter ticked it and the
    city has WhatsApp configured.
    """
    contact = (contact or "").strip()
    if _EMAIL.match(contact):
        return EMAIL, contact
    if _PHONE.match(contact):
        phone = re.sub(r"[ ()-]", "", contact)
        if whatsapp and config.get("WHATSAPP_TOKEN") and config.get("WHATSAPP_PHONE_NUMBER_ID"):
            return "whatsapp", phone
        return SMS, phone
    return None


def _claim(notification_id: int) -> bool:
    now = clock.wall_utcnow()
    stale = now - timedelta(seconds=int(config.get("NOTIFY_LEASE_SECONDS", 300)))
    return (Notification
            .update(state=SENDING, claimed_at=now, attempts=Notification.attempts + 1)
            .where((Notification.id == notification_id)
                   & ((Notification.state == PENDING)
                      | ((Notification.state == SENDING) & (Notification.claimed_at < stale))))
            .execute()) == 1


def deliver(notification_id: int) -> str | None:
    """Send one notification through the first plugin that takes its channel.

    Returns the new state, or None when someone else holds or finished it.
    """
    if not _claim(notification_id):
        return None
    notification = Notification.get_by_id(notification_id)
    try:
        handled = plugins.manager().hook.aduan_notify(notification=notification)
    except Rejected as exc:
        log.error("notification %s rejected by its channel: %s", notification.key, exc)
        Notification.update(state=FAILED, claimed_at=None).where(
            Notification.id == notification_id).execute()
        return FAILED
    except Exception:
        log.exception("notification %s failed (attempt %d)", notification.key,
                      notification.attempts)
        state = FAILED if notification.attempts >= MAX_ATTEMPTS else PENDING
        Notification.update(state=state, claimed_at=None).where(
            Notification.id == notification_id).execute()
        return state
    if not handled:
        log.warning("no plugin delivers %s notifications; %s kept in the list only",
                    notification.channel, notification.key)
        state = UNHANDLED
    else:
        state = SENT
    Notification.update(state=state, sent_at=clock.utcnow()).where(
        Notification.id == notification_id).execute()
    return state


def undelivered_ids() -> list[int]:
    """Pending notifications and claims past their lease, oldest first."""
    stale = clock.wall_utcnow() - timedelta(
        seconds=int(config.get("NOTIFY_LEASE_SECONDS", 300)))
    query = (Notification.select(Notification.id)
             .where((Notification.state == PENDING)
                    | ((Notification.state == SENDING) & (Notification.claimed_at < stale)))
             .order_by(Notification.id))
    return [n.id for n in query]


def inbox(user: User, limit: int = 100):
    return (Notification.select()
            .where((Notification.user == user) & (Notification.channel == APP))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit))


def unread_count(user: User) -> int:
    """The in-app notices the user has not read (the staff menu shows it on every page)."""
    db = database.obj
    return db.execute_sql(  # written out: it runs on every staff page
        f"SELECT COUNT(*) FROM notification WHERE user_id = {db.param} AND channel = {db.param} "
        "AND read_at IS NULL", (user.id, APP)).fetchone()[0]


def mark_read(user: User, notification_id: int | None = None) -> int:
    query = Notification.update(read_at=clock.utcnow()).where(
        (Notification.user == user) & (Notification.channel == APP)
        & Notification.read_at.is_null())
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    return query.execute()


@hookimpl
def aduan_notify(notification):
    """The built-in in-app channel: the row itself is what staff see in /staf/notifikasi."""
    return True if notification.channel == APP else None
