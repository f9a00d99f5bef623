"""The transactional outbox: what the portal owes each channel.

`aduan_timeline_event` runs inside the transaction that wrote the event, so
an outbox row exists exactly when the change it reports was committed.
Delivery happens later, in a Huey task or `flask sync`: each row is claimed
(so two workers never send it twice), sent through the connector's
`push` (or `forward`), and on a transient failure retried with exponential
backoff and jitter, honouring Retry-After, until it becomes a dead letter.
"""
import contextlib
import contextvars
import json
import logging
import random
from datetime import timedelta
from pathlib import Path

import peewee
from flask_babel import gettext as _

from portal.clock import utcnow
from portal.complaints.models import Attachment, Complaint, TimelineEvent
from portal.plugins.hookspecs import hookimpl
from portal.sync import config as sync_config
from portal.sync.errors import AuthError, RemoteRejected, TransientError
from portal.sync.items import LocalComplaint, Update
from portal.sync.models import DEAD, DONE, PENDING, ExternalRef, OutboxItem
from portal.tasks.app import enqueue, huey

log = logging.getLogger("aduan.sync")

# While applying changes that came from a channel, that channel must not get
# them echoed back; the other channels of a merged complaint still do.
_origin: contextvars.ContextVar[str | None] = contextvars.ContextVar("sync_origin", default=None)

# Events whose text and photos are the public answer to the reporter.
RESPONSE_EVENTS = ("publikasikan",)
# Status changes whose public text the reporter must read on their channel
# too: "menunggu anggaran" says which fiscal year and why.
PUBLIC_TEXT_EVENTS = ("tunggu_anggaran",)
# Events that carry the follow-up the published answer is made of.
FOLLOWUP_EVENTS = ("tindak_lanjut", "jawab")


@contextlib.contextmanager
def from_channel(channel: str):
    token = _origin.set(channel)
    try:
        yield
    finally:
        _origin.reset(token)


# --- writing ---------------------------------------------------------------------


@hookimpl
def aduan_timeline_event(complaint, event):
    if event.kind == "dibuat":
        _queue_forwards(complaint)
        return
    if not event.status_after:
        return
    refs = [r for r in ExternalRef.select().where(ExternalRef.complaint == complaint.id)
            if r.channel != _origin.get()]
    if not refs:
        return
    payload = {"status": event.status_after, "previous_status": _previous_status(event),
               "event_ids": [event.id], "text": ""}
    kind = "status"
    if event.kind in PUBLIC_TEXT_EVENTS and event.public:
        payload["text"] = _budget_text(complaint, event)
    if event.kind in RESPONSE_EVENTS:
        kind = "response"
        followup = _last_followup(event)
        payload["text"] = event.text or (followup.text if followup else "")
        if followup:
            payload["event_ids"].append(followup.id)
    for ref in refs:
        OutboxItem.create(connector=ref.channel, complaint=complaint.id, kind=kind,
                          payload=json.dumps({**payload, "external_id": ref.external_id}))
    _schedule_soon()


def _budget_text(complaint, event) -> str:
    year = getattr(complaint, "budget_year", None)
    text = (event.text or "").strip()
    if year and str(year) not in text:
        text = _("Menunggu anggaran tahun %(year)s. %(text)s", year=year, text=text).strip()
    return text or _("Tindak lanjut menunggu anggaran.")


def _queue_forwards(complaint):
    if complaint.channel != "web" or _origin.get():
        return
    for name, (info, config) in sync_config.active_connectors().items():
        if info.can_forward and config.get("forward_local"):
            OutboxItem.create(connector=name, complaint=complaint.id, kind="forward",
                              payload=json.dumps({"event_ids": []}))
            _schedule_soon()


def _previous_status(event):
    before = (TimelineEvent.select()
              .where((TimelineEvent.complaint == event.complaint_id)
                     & (TimelineEvent.id < event.id)
                     & TimelineEvent.status_after.is_null(False))
              .order_by(TimelineEvent.id.desc()).first())
    return before.status_after if before else None


def _last_followup(event):
    return (TimelineEvent.select()
            .where((TimelineEvent.complaint == event.complaint_id)
                   & TimelineEvent.kind.in_(FOLLOWUP_EVENTS))
            .order_by(TimelineEvent.id.desc()).first())


def _schedule_soon():
    # After the commit, so the worker finds the row, and a moment later so a
    # burst of changes goes out in one pass; the periodic sweep delivers it
    # anyway if this is lost.
    enqueue(deliver_due_task.schedule, delay=2)


# --- delivering ------------------------------------------------------------------


def backoff_delay(attempts: int, base: float, cap: float, retry_after: float | None = None,
                  rng=random) -> float:
    """Seconds before attempt `attempts + 1`: exponential, jittered, never
    sooner than the server asked."""
    ceiling = min(cap, base * (2 ** max(0, attempts - 1)))
    delay = rng.uniform(ceiling / 2, ceiling) if ceiling else 0.0
    return max(delay, retry_after or 0.0)


def claim_lease(source=None) -> timedelta:
    """How long a claim keeps other workers off a row: longer than any one
    request may take, since a worker killed mid-request never lets go."""
    return timedelta(seconds=float(sync_config.engine_setting("SYNC_CLAIM_LEASE", source)))


def claim(item_id: int, now, source=None) -> bool:
    """Take a due row for this worker; False if someone else has it or it is not due.

    Each claim is counted: a row claimed before that is still pending was
    maybe sent by a worker that died before it could record the answer."""
    return (OutboxItem.update(next_attempt_at=now + claim_lease(source),
                              claims=OutboxItem.claims + 1,
                              attempted_at=peewee.fn.COALESCE(OutboxItem.attempted_at, now))
            .where((OutboxItem.id == item_id) & (OutboxItem.state == PENDING)
                   & (OutboxItem.next_attempt_at <= now))
            .execute()) == 1


def due_items(now, connector: str | None = None, limit: int = 200):
    query = (OutboxItem.select()
             .where((OutboxItem.state == PENDING) & (OutboxItem.next_attempt_at <= now))
             .order_by(OutboxItem.id).limit(limit))
    if connector:
        query = query.where(OutboxItem.connector == connector)
    return list(query)


def _blocked(item) -> bool:
    """An older undelivered row for the same complaint and channel goes first,
    so a channel never sees "selesai" before "dalam proses"."""
    return (OutboxItem.select()
            .where((OutboxItem.connector == item.connector)
                   & (OutboxItem.complaint == item.complaint_id)
                   & (OutboxItem.state == PENDING) & (OutboxItem.id < item.id))
            .exists())


def deliver_due(connector: str | None = None, source=None) -> dict:
    """Deliver every due row once; returns counts by outcome."""
    counts = {"done": 0, "retry": 0, "dead": 0}
    now = utcnow()
    for item in due_items(now, connector):
        if _blocked(item) or not claim(item.id, now, source):
            continue
        outcome = deliver(OutboxItem.get_by_id(item.id), source)
        counts[outcome] += 1
    return counts


def deliver(item: OutboxItem, source=None) -> str:
    """Send one claimed row; returns "done", "retry" or "dead"."""
    source = sync_config.current_settings() if source is None else source
    info = sync_config.installed().get(item.connector)
    config = sync_config.resolve(info, source) if info else None
    if not config or not config["active"]:
        return _retry(item, f"konektor {item.connector} tidak terpasang atau tidak aktif",
                      None, source)
    upload_folder = Path(source["UPLOAD_FOLDER"])
    connector = sync_config.connector(item.connector)
    if item.kind == "forward":
        linked = _linked_ref(item)
        if linked:
            # A poll already recognised our forwarded complaint (its answer was
            # lost): sending it again would create a second one remotely.
            return _done(item, linked.external_id, "sudah tertaut dari tarikan")
    try:
        if item.kind == "forward":
            result = connector.forward(config, _local_complaint(item, upload_folder))
        else:
            result = connector.push(config, _update(item, upload_folder))
    except RemoteRejected as exc:
        return _dead(item, f"ditolak oleh {info.label}: {exc}")
    except (TransientError, AuthError) as exc:
        # A request that got no answer may still be applied by a slow server;
        # the next attempt looks for it, so it must not look before it could land.
        unanswered = getattr(exc, "status", None) is None
        return _retry(item, str(exc), getattr(exc, "retry_after", None), source,
                      not_before=2 * float(config.get("timeout") or 0) if unanswered else 0)
    except Exception as exc:  # a plugin bug must not stop the other rows
        log.exception("connector %s failed on outbox row %s", item.connector, item.id)
        return _retry(item, f"{type(exc).__name__}: {exc}", None, source)
    if result is None:
        return _retry(item, f"konektor {item.connector} tidak mengembalikan hasil", None, source)
    if item.kind == "forward" and result.remote_id:
        ExternalRef.get_or_create(channel=item.connector, external_id=str(result.remote_id),
                                  defaults={"complaint": item.complaint_id})
    return _done(item, result.remote_id, result.note, getattr(result, "remote_status", ""))


def _done(item, remote_id, note, sent_status="") -> str:
    item.state, item.delivered_at = DONE, utcnow()
    item.remote_id = remote_id
    item.sent_status = (sent_status or "")[:64]
    if item.sent_status and item.kind != "forward":
        # The remote now shows what we set: a later change away from it,
        # even back to what it showed before, is news.
        (ExternalRef.update(remote_status=item.sent_status)
         .where((ExternalRef.channel == item.connector)
                & (ExternalRef.external_id == item.data.get("external_id", ""))).execute())
    item.attempts += 1
    item.last_error = note or ""
    item.save()
    return "done"


def _linked_ref(item):
    return ExternalRef.get_or_none((ExternalRef.channel == item.connector)
                                   & (ExternalRef.complaint == item.complaint_id))


def _earlier_attempts(item) -> int:
    """Attempts the plugin must assume may have landed.  A dead letter sent
    again starts counting from 0 but keeps its last error: it was tried
    before, so the plugin must still look before posting.  A row claimed
    before this claim was maybe sent even when nothing was recorded: its
    worker may have been killed mid-request (attempts are counted only when
    an answer, or its absence, was seen)."""
    return max(item.attempts, 1 if item.last_error else 0, (item.claims or 1) - 1)


def _retry(item, message, retry_after, source, not_before: float = 0.0) -> str:
    item.attempts += 1
    item.last_error = message[:2000]
    if item.attempts >= int(sync_config.engine_setting("SYNC_MAX_ATTEMPTS", source)):
        return _dead(item, message, counted=True)
    delay = backoff_delay(item.attempts, float(sync_config.engine_setting("SYNC_BACKOFF_BASE", source)),
                          float(sync_config.engine_setting("SYNC_BACKOFF_CAP", source)), retry_after)
    delay = max(delay, not_before)
    item.next_attempt_at = utcnow() + timedelta(seconds=delay)
    item.save()
    log.warning("outbox %s to %s failed (attempt %s), retry in %.0fs: %s",
                item.id, item.connector, item.attempts, delay, message)
    return "retry"


def _dead(item, message, counted=False) -> str:
    if not counted:
        item.attempts += 1
    item.state, item.last_error = DEAD, message[:2000]
    item.save()
    log.error("outbox %s to %s is a dead letter: %s", item.id, item.connector, message)
    return "dead"


def retry_dead(item_id: int) -> bool:
    """An admin sends a dead letter again, from scratch."""
    return (OutboxItem.update(state=PENDING, attempts=0, next_attempt_at=utcnow())
            .where((OutboxItem.id == item_id) & (OutboxItem.state == DEAD))
            .execute()) == 1


def _photos(event_ids, upload_folder: Path) -> list[Path]:
    if not event_ids:
        return []
    rows = Attachment.select().where(Attachment.event.in_(event_ids)).order_by(Attachment.id)
    return [upload_folder / a.filename for a in rows if (upload_folder / a.filename).exists()]


def _update(item, upload_folder) -> Update:
    data = item.data
    complaint = Complaint.get_by_id(item.complaint_id)
    return Update(kind=item.kind, external_id=data["external_id"], complaint_code=complaint.code,
                  status=data["status"], previous_status=data.get("previous_status"),
                  text=data.get("text", ""), photos=_photos(data.get("event_ids"), upload_folder),
                  key=f"aduan-outbox-{item.id}", attempt=_earlier_attempts(item))


def _local_complaint(item, upload_folder) -> LocalComplaint:
    c = Complaint.get_by_id(item.complaint_id)
    first = (TimelineEvent.select().where((TimelineEvent.complaint == c.id)
                                          & (TimelineEvent.kind == "dibuat")).first())
    return LocalComplaint(
        code=c.code, title=c.title, body=c.body, classification=c.classification,
        category=c.category.name if c.category_id else None, location=c.location,
        lat=c.lat, lon=c.lon, anonymous=c.anonymous, confidential=c.confidential,
        reporter_name=c.reporter_name, reporter_contact=c.reporter_contact,
        created_at=c.created_at, photos=_photos([first.id] if first else [], upload_folder),
        key=f"aduan-outbox-{item.id}", attempt=_earlier_attempts(item),
        attempted_at=item.attempted_at)


@huey.task()
def deliver_due_task() -> dict:
    """Deliver every due outbox row (enqueued after a commit, and every minute)."""
    return deliver_due()
