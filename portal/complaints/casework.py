"""What people do to a complaint besides moving it through the workflow:
opening it, internal notes, the reporter's extra information and rating.

Each writes a timeline event through `complaints.record` and touches
`updated_at`, so queues and their ETags notice.
"""
from portal.clock import utcnow
from portal.complaints import service as complaints, workflow
from portal.complaints.models import Attachment, Complaint, TimelineEvent
from portal.db import write_transaction

REPORTER = "Pelapor"


def actor_name(user) -> str:
    return user.full_name or user.username


def mark_read(complaint: Complaint, user) -> bool:
    """Record the first time a staff member of the complaint's OPD opens it.

    Only one request can flip `read_at` from NULL, so two people opening it
    at once still write one event.
    """
    if user.opd_id is None or user.opd_id != complaint.opd_id or complaint.read_at:
        return False
    now = utcnow()
    with write_transaction():
        flipped = (Complaint.update(read_at=now, updated_at=now)
                   .where((Complaint.id == complaint.id) & Complaint.read_at.is_null())
                   .execute())
        if flipped:
            complaint.read_at = now
            complaints.record(complaint, "dibaca", actor_name(user), public=True,
                              actor_user=user, status_after=complaint.status)
    return bool(flipped)


def add_note(complaint: Complaint, user, text: str) -> TimelineEvent:
    if not workflow.may_add_note(user, complaint.opd_id):
        raise workflow.TransitionRefused(workflow.EVENT_LABELS["catatan"])
    if not text.strip():
        raise workflow.InputMissing(workflow.REQUIREMENT_MESSAGES["text"])
    with write_transaction():
        _touch(complaint)
        return complaints.record(complaint, "catatan", actor_name(user), text=text,
                                 public=False, actor_user=user)


def reporter_adds_info(complaint: Complaint, text: str) -> TimelineEvent:
    """More information from the reporter: answers a request (tunda) or is a note."""
    if complaint.status == workflow.TUNDA:
        return complaints.perform(complaint, "tambah_info", role=workflow.REPORTER,
                                  actor=REPORTER, text=text)
    if complaint.status not in workflow.REPORTER_NOTE_STATUSES:
        raise workflow.TransitionRefused(workflow.EVENT_LABELS["info_pelapor"])
    if not text.strip():
        raise workflow.InputMissing(workflow.REQUIREMENT_MESSAGES["text"])
    with write_transaction():
        _touch(complaint)
        return complaints.record(complaint, "info_pelapor", REPORTER, text=text, public=True)


def rate(complaint: Complaint, stars: int) -> TimelineEvent:
    if not 1 <= stars <= 5:
        raise workflow.InputMissing(workflow.RATING_MESSAGE)
    with write_transaction():
        rated = (Complaint.update(rating=stars, updated_at=utcnow())
                 .where((Complaint.id == complaint.id)
                        & Complaint.status.in_(workflow.RATEABLE_STATUSES)
                        & Complaint.rating.is_null())
                 .execute())
        if not rated:
            raise workflow.TransitionRefused(workflow.EVENT_LABELS["penilaian"])
        complaint.rating = stars
        return complaints.record(complaint, "penilaian", REPORTER, text=f"{stars}/5",
                                 public=True)


def _touch(complaint: Complaint) -> None:
    Complaint.update(updated_at=utcnow()).where(Complaint.id == complaint.id).execute()


def latest_event(complaint: Complaint, kinds) -> TimelineEvent | None:
    return (complaint.events.where(TimelineEvent.kind.in_(list(kinds)))
            .order_by(TimelineEvent.created_at.desc(), TimelineEvent.id.desc()).first())


def draft_response(complaint: Complaint) -> str:
    """The operator's starting point: the latest follow-up's text."""
    follow_up = latest_event(complaint, workflow.FOLLOW_UP_ACTIONS)
    return follow_up.text if follow_up else ""


def published_response(complaint: Complaint):
    """(response event, its photos) as the reporter sees them, or (None, [])."""
    events = list(complaint.events.order_by(TimelineEvent.created_at, TimelineEvent.id))
    return response_from(events, list(complaint.attachments.order_by(Attachment.id)))


def response_from(events: list, attachments: list):
    """`published_response` from a complaint's events (in time order) and
    attachments already loaded, so the tracking page reads each table once."""
    published = [e for e in events if e.kind == "publikasikan"]
    response = published[-1] if published else None
    if response is None or not response.public:
        return None, []
    # Photos come with the follow-up, or with the response when the
    # operator had to add the documentation the follow-up lacked.
    documented = workflow.FOLLOW_UP_ACTIONS + ("publikasikan",)
    follow_ups = {e.id for e in events if e.kind in documented}
    photos = sorted((a for a in attachments if a.public and a.event_id in follow_ups),
                    key=lambda a: a.id)
    return response, photos
