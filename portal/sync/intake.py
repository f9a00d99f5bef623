"""Applying what a connector fetched: new complaints, remote status changes
and reporter replies, each exactly once.

Idempotent by construction: a complaint is found by (channel, external id)
through `ExternalRef`, a reply by (channel, reply id) through
`RemoteMessage`, and a remote version no newer than the one already applied
changes nothing.  Status changes from remote go through the workflow as the
"sistem" role; what the workflow does not allow, or what is older than a
local change, is written on the timeline instead of silently applied.
"""
import io
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from flask_babel import gettext as _
from peewee import IntegrityError

from portal import contact
from portal.complaints import service as complaints, workflow
from portal.complaints.models import Complaint
from portal.complaints.photos import PhotoRejected, store_photo
from portal.db import database
from portal.directory.models import Category, Opd
from portal.sync import echoes, forwarding
from portal.sync.errors import TransientError, send
from portal.sync.items import RemoteComplaint, RemoteReply
from portal.sync.models import ExternalRef, RemoteMessage
from portal.sync.outbox import from_channel

log = logging.getLogger("aduan.sync")

REPLY_KIND = "balasan_pelapor"  # a reporter's reply on a channel, for the OPD queue
CONFLICT_KIND = "konflik_sinkron"
REMOTE_STATUS_KIND = "status_kanal"
OPD_QUEUE_STATUSES = frozenset(workflow.OPEN_STATUSES) - {workflow.BARU, workflow.TUNDA}


@dataclass
class Context:
    """What applying an item needs to know about its connector."""

    channel: str
    label: str
    config: dict
    upload_folder: str
    photo_max_side: int = 1600
    max_photos: int = 3
    photo_max_bytes: int = 10 * 1024 * 1024  # a bigger remote photo is skipped unread


def apply(ctx: Context, item: RemoteComplaint) -> str:
    """Apply one fetched item; returns created, linked, updated, conflict or unchanged."""
    ref = ExternalRef.get_or_none((ExternalRef.channel == ctx.channel)
                                  & (ExternalRef.external_id == item.external_id))
    if ref is None:
        # Our own forwarded complaint coming back after a lost answer: linked
        # to the complaint it came from, its remote version adopted.
        linked = forwarding.link(ctx.channel, item)
        if linked is not None:
            _replies(ctx, linked.complaint, item.replies)
            return "linked"
    if ref is None:
        outcome = _create(ctx, item)
        ref = ExternalRef.get_or_none((ExternalRef.channel == ctx.channel)
                                      & (ExternalRef.external_id == item.external_id))
        if ref is None:
            return outcome
        _replies(ctx, ref.complaint, item.replies)
        return outcome
    new_replies = _replies(ctx, ref.complaint, item.replies)
    # Strictly older only: remote clocks count whole seconds, so two versions
    # may share a time stamp; re-applying the same version changes nothing.
    if ref.remote_updated_at and item.updated_at < ref.remote_updated_at:
        return "updated" if new_replies else "unchanged"
    outcome = _remote_status(ctx, ref, item)
    (ExternalRef.update(remote_updated_at=item.updated_at, remote_status=item.remote_status[:64])
     .where(ExternalRef.id == ref.id).execute())
    return outcome if outcome != "unchanged" or not new_replies else "updated"


def _create(ctx: Context, item: RemoteComplaint) -> str:
    stored = download_photos(ctx, item.photos[:ctx.max_photos])
    category = find_category(item.category, ctx.config.get("category_map") or {})
    opd = Opd.get_or_none(Opd.code == item.opd_code) if item.opd_code else None
    opd = opd or (category.default_opd if category and category.default_opd_id else None)
    classification = (item.classification if item.classification in workflow.CLASSIFICATIONS
                      else "pengaduan")
    fields = {
        "title": (item.title or _("(tanpa judul)"))[:200], "body": item.body or item.title,
        "classification": classification, "category": category, "location": item.location[:300],
        "lat": item.lat, "lon": item.lon, "anonymous": item.anonymous,
        "confidential": item.confidential, "reporter_name": item.reporter_name[:120],
        "reporter_contact": contact.normalize_loosely(item.reporter_contact)[:200], "channel": ctx.channel,
        "external_id": item.external_id, "opd": opd,
        "severity": item.severity,  # "" falls back to the category's default
    }
    if item.created_at:
        fields["created_at"] = item.created_at
    try:
        with from_channel(ctx.channel), database.atomic():
            complaint, _created = complaints.submit(fields, stored, actor=ctx.label,
                                                    received_at=item.created_at)
            ExternalRef.create(complaint=complaint, channel=ctx.channel,
                               external_id=item.external_id, remote_updated_at=item.updated_at,
                               remote_status=item.remote_status[:64])
            _history(ctx, complaint, item)
            _take_in(ctx, complaint, item, opd)
    except IntegrityError:
        _discard(ctx, stored)
        if ExternalRef.select().where((ExternalRef.channel == ctx.channel)
                                      & (ExternalRef.external_id == item.external_id)).exists():
            return "unchanged"  # another pass (webhook and poll at once) created it first
        raise
    return "created"


def _take_in(ctx: Context, complaint: Complaint, item: RemoteComplaint, opd) -> None:
    """Move a complaint just created as "baru" to where the channel has it,
    by the workflow's intake transitions; where they cannot go (no OPD, no
    follow-up photo, an OPD-internal step) it stays as far as they went and
    the channel's status is noted for the staff."""
    target = item.status if item.status in workflow.STATUSES else workflow.INITIAL_STATUS
    path = workflow.intake_path(target)
    if not path and target in OPD_QUEUE_STATUSES:
        path = workflow.intake_path(workflow.DITERUSKAN)  # the OPD's queue, at least
    remote = item.remote_status or workflow.status_label(target)
    text = _("Status di %(channel)s: %(remote)s.", channel=ctx.label, remote=remote)
    refusal = ""
    for step in path:
        extra = {"opd": opd} if "opd" in workflow.REQUIREMENTS.get(step.action, ()) else {}
        try:
            complaints.perform(complaint, step.action, role=workflow.SYSTEM, actor=ctx.label,
                               text=text, **extra)
        except workflow.TransitionRefused as exc:
            refusal = str(exc.message)
            break
    if complaint.status != target:
        complaints.record(complaint, REMOTE_STATUS_KIND, ctx.label, text=" ".join(filter(None, [
            _("Status di %(channel)s: \u201c%(remote)s\u201d; di portal: %(local)s.",
              channel=ctx.label, remote=remote, local=workflow.status_label(complaint.status)),
            refusal])))
    # Nothing was changed locally yet: the local version is the remote one,
    # so a later remote change is never mistaken for an older one.
    (Complaint.update(updated_at=item.updated_at)
     .where(Complaint.id == complaint.id).execute())
    complaint.updated_at = item.updated_at


def _history(ctx: Context, complaint: Complaint, item: RemoteComplaint) -> None:
    """The channel's status log, dated as it happened there, so staff see
    what the complaint went through before it reached the portal."""
    for step in item.history:
        text = _("Status di %(channel)s: %(remote)s.", channel=ctx.label, remote=step.remote_status)
        complaints.record(complaint, REMOTE_STATUS_KIND, ctx.label,
                          text=f"{text} {step.note}".strip() if step.note else text,
                          created_at=step.created_at)


def _remote_status(ctx: Context, ref: ExternalRef, item: RemoteComplaint) -> str:
    complaint = Complaint.get_by_id(ref.complaint_id)
    if (not item.status or item.status == complaint.status
            or complaint.status in item.status_matches
            or item.remote_status == ref.remote_status):
        return "unchanged"
    if echoes.is_echo(ctx.channel, ref, item.remote_status):
        return "unchanged"  # what the remote shows is what we sent it
    remote = item.remote_status or workflow.status_label(item.status)
    with from_channel(ctx.channel):
        # Remote clocks count whole seconds: within the same second the remote wins.
        local_changed = complaint.updated_at and complaint.updated_at.replace(microsecond=0)
        moves_on = echoes.moves_forward(complaint.status, item.status)
        reopened = (echoes.is_reopening(complaint.status, item.status)
                    and echoes.reporter_acted(ctx.channel, ref))
        if (local_changed and local_changed > item.updated_at) or not (moves_on or reopened):
            complaints.record(complaint, CONFLICT_KIND, ctx.label, text=_(
                "%(channel)s mencatat status \u201c%(remote)s\u201d, tetapi laporan ini sudah "
                "diubah di portal sesudahnya. Status portal (%(local)s) dipertahankan; "
                "periksa dan selaraskan.", channel=ctx.label, remote=remote,
                local=workflow.status_label(complaint.status)))
            return "conflict"
        transition = next((t for t in workflow.allowed_actions(complaint.status, workflow.SYSTEM)
                           if t.target == item.status
                           and t.action not in workflow.INTAKE_ACTIONS), None)
        if transition:
            complaints.perform(complaint, transition.action, role=workflow.SYSTEM,
                               actor=ctx.label, text=_("Status di %(channel)s: %(remote)s.",
                                                       channel=ctx.label, remote=remote))
            return "updated"
        complaints.record(complaint, REMOTE_STATUS_KIND, ctx.label, text=_(
            "Status di %(channel)s berubah menjadi \u201c%(remote)s\u201d.",
            channel=ctx.label, remote=remote))
        return "updated"


def _replies(ctx: Context, complaint: Complaint, replies: list[RemoteReply]) -> int:
    added = 0
    for reply in replies:
        if _reply_seen(ctx, reply):
            continue
        stored = download_photos(ctx, reply.photos[:ctx.max_photos])
        try:
            with from_channel(ctx.channel), database.atomic():
                RemoteMessage.create(channel=ctx.channel, external_id=reply.external_id,
                                     complaint=complaint)
                # The reporter speaking to the city, like a reply on the
                # tracking page: public, never marked "(internal)".
                event = complaints.record(complaint, REPLY_KIND,
                                          _("Pelapor (via %(channel)s)", channel=ctx.label),
                                          text=reply.text, public=True,
                                          created_at=reply.created_at)
                for photo in stored:
                    complaints.attach(complaint, photo, event=event, public=True)
        except IntegrityError:
            _discard(ctx, stored)
            if _reply_seen(ctx, reply):
                continue  # another pass copied it first
            raise
        added += 1
    return added


def _reply_seen(ctx: Context, reply: RemoteReply) -> bool:
    return (RemoteMessage.select().where((RemoteMessage.channel == ctx.channel)
                                         & (RemoteMessage.external_id == reply.external_id))
            .exists())


def find_category(name: str | None, category_map: dict) -> Category | None:
    """The local category for a remote category name: configured mapping first,
    then the same name, then a local name that starts with it."""
    if not name:
        return None
    mapped = category_map.get(name)
    if mapped:
        return Category.get_or_none(Category.name == mapped)
    wanted = name.strip().lower()
    categories = list(Category.select())
    for category in categories:
        if category.name.lower() == wanted:
            return category
    return next((c for c in categories if c.name.lower().startswith(wanted)), None)


def allowed_photo_hosts(config: dict) -> set[str]:
    """Where photos of a channel may come from: its own API host, plus the
    hosts its settings name (`photo_hosts`, e.g. a separate file server)."""
    hosts = {h.lower() for h in (config.get("photo_hosts") or [])}
    base = urlsplit(str(config.get("base_url") or ""))
    if base.netloc:
        hosts.add(base.netloc.lower())
    return hosts


def download_photos(ctx: Context, urls: list[str]) -> list:
    """Fetch and re-encode photos like citizen uploads; a broken, foreign or
    oversized photo is skipped, an unreachable server raises TransientError
    (the pass retries).  Bodies are streamed and abandoned past the size cap,
    so a hostile remote cannot make the worker read a huge file."""
    stored = []
    timeout = float(ctx.config.get("timeout") or 10)
    hosts = allowed_photo_hosts(ctx.config)
    with requests.Session() as session:
        for url in urls:
            if urlsplit(url).netloc.lower() not in hosts or urlsplit(url).scheme not in ("http", "https"):
                log.warning("photo %s is not on a host of %s; skipped", url, ctx.channel)
                continue
            try:
                content = _fetch_capped(session, url, timeout, ctx.photo_max_bytes)
                if content is None:
                    continue
                stored.append(store_photo(io.BytesIO(content), ctx.upload_folder,
                                          ctx.photo_max_side))
            except PhotoRejected:
                log.warning("photo %s is not an image we accept; skipped", url)
            except TransientError:
                _discard(ctx, stored)
                raise
    return stored


def _fetch_capped(session, url: str, timeout: float, cap: int) -> bytes | None:
    response = send(session, "GET", url, timeout=timeout, stream=True, allow_redirects=False)
    with response:
        if response.status_code >= 500 or response.status_code == 429:
            raise TransientError(f"GET {url}: HTTP {response.status_code}",
                                 status=response.status_code)
        if response.status_code >= 300:
            log.warning("photo %s not fetched: HTTP %s", url, response.status_code)
            return None
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            log.warning("photo %s is %s bytes, over the cap of %s; skipped", url, declared, cap)
            return None
        body = bytearray()
        try:
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > cap:
                    log.warning("photo %s is over the cap of %s bytes; skipped", url, cap)
                    return None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.Timeout) as exc:
            raise TransientError(f"GET {url}: {exc}") from exc
    return bytes(body)


def _discard(ctx: Context, stored) -> None:
    for photo in stored:
        complaints.photo_path(ctx.upload_folder, photo.filename).unlink(missing_ok=True)
