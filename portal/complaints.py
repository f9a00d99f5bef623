"""Receiving complaints and writing their history.

Every change to a complaint goes through `record` (history only) or
`perform` (a workflow transition), so the timeline is complete and plugins
see every event inside the same transaction.
"""
from pathlib import Path

from peewee import IntegrityError

from . import plugins, tracking, workflow
from .db import database
from .models import Attachment, Complaint, TimelineEvent, utcnow
from .photos import StoredPhoto

CODE_ATTEMPTS = 5


def find_by_submission_token(token: str | None) -> Complaint | None:
    if not token:
        return None
    return Complaint.get_or_none(Complaint.submission_token == token)


def submit(fields: dict, photos: list[StoredPhoto] = (), *, actor: str = "Pelapor",
           submission_token: str | None = None) -> tuple[Complaint, bool]:
    """Create a complaint with its first event and photos.

    Returns (complaint, created).  A second submission with the same token
    returns the first complaint, so a double tap or a resent form makes one.
    """
    existing = find_by_submission_token(submission_token)
    if existing:
        return existing, False
    for attempt in range(CODE_ATTEMPTS):
        try:
            with database.atomic():
                complaint = Complaint.create(
                    code=tracking.new_code(), submission_token=submission_token or None, **fields
                )
                event = record(complaint, "dibuat", actor, public=True,
                               text="", status_after=complaint.status)
                for photo in photos:
                    attach(complaint, photo, event=event)
            return complaint, True
        except IntegrityError:
            # Either the same form arrived twice at once, or (rarely) the
            # random code collided; the token tells which.
            existing = find_by_submission_token(submission_token)
            if existing:
                return existing, False
            if attempt == CODE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def attach(complaint: Complaint, photo: StoredPhoto, *, event=None, public=True) -> Attachment:
    return Attachment.create(complaint=complaint, event=event, filename=photo.filename,
                             width=photo.width, height=photo.height, size=photo.size,
                             public=public)


def record(complaint: Complaint, kind: str, actor: str, *, text: str = "", public: bool = False,
           actor_user=None, status_after: str | None = None) -> TimelineEvent:
    """Append one event to the timeline and let plugins react in this transaction."""
    with database.atomic():
        event = TimelineEvent.create(complaint=complaint, kind=kind, actor=actor,
                                     actor_user=actor_user, text=text, public=public,
                                     status_after=status_after)
        plugins.manager().hook.aduan_timeline_event(complaint=complaint, event=event)
    return event


def perform(complaint: Complaint, action: str, *, role: str, actor: str, actor_user=None,
            text: str = "", public: bool = True, **changes) -> TimelineEvent:
    """Apply a workflow transition: check it, change status, record it.

    The status is re-read under the transaction so two people pressing
    buttons at once cannot both move the same complaint from the same state.
    """
    with database.atomic():
        fresh = Complaint.get_by_id(complaint.id)
        t = workflow.check(action, fresh.status, role)
        updated = (Complaint
                   .update(status=t.target, updated_at=utcnow(), **changes)
                   .where((Complaint.id == fresh.id) & (Complaint.status == fresh.status))
                   .execute())
        if updated != 1:
            raise workflow.TransitionRefused(workflow.transition(action).label)
        complaint.status = t.target
        for key, value in changes.items():
            setattr(complaint, key, value)
        return record(complaint, action, actor, text=text, public=public,
                      actor_user=actor_user, status_after=t.target)


def public_events(complaint: Complaint):
    return (complaint.events.where(TimelineEvent.public == True)  # noqa: E712
            .order_by(TimelineEvent.created_at, TimelineEvent.id))


def photo_path(upload_folder: str, filename: str) -> Path:
    return Path(upload_folder) / filename
