"""What Open311 shows of complaints, and finding them.

Public here means: not confidential, and not rejected or archived by the
city admin (spam, duplicates).  No reporter's name or contact is ever part
of a document, anonymous or not; the tracking code is not either (it is
the reporter's key to the tracking page), so the request id is the row id.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from peewee import JOIN, fn

from portal import clock
from portal.complaints import workflow
from portal.complaints.models import Attachment, Complaint, TimelineEvent
from portal.deadlines import sla
from portal.directory.models import Category, Opd

HIDDEN_STATUSES = frozenset({workflow.DITOLAK, workflow.DIARSIPKAN})
# "closed" once the response is published: the OPD's work is done.
CLOSED_STATUSES = frozenset({workflow.SELESAI, workflow.DITUTUP}) | HIDDEN_STATUSES
OPEN, CLOSED = "open", "closed"
MAX_ROWS = 1000  # the spec's default and our ceiling for page_size
DEFAULT_DAYS = 90


def w3c(utc_naive: datetime | None) -> str | None:
    """W3C datetime in the city's time zone, e.g. 2026-02-02T09:00:00+07:00."""
    if utc_naive is None:
        return None
    return sla.to_local(utc_naive).isoformat(timespec="seconds")


def open_or_closed(status: str) -> str:
    return CLOSED if status in CLOSED_STATUSES else OPEN


def public_complaints():
    return (Complaint.select(Complaint, Category, Opd)
            .join(Category, JOIN.LEFT_OUTER, on=(Complaint.category == Category.id))
            .switch(Complaint)
            .join(Opd, JOIN.LEFT_OUTER, on=(Complaint.opd == Opd.id))
            .where((Complaint.confidential == False)
                   & Complaint.status.not_in(HIDDEN_STATUSES)))


def _public_ids():
    return (Complaint.select(Complaint.id)
            .where((Complaint.confidential == False)
                   & Complaint.status.not_in(HIDDEN_STATUSES)))


@dataclass
class Query:
    """GET requests: the spec's filters plus page/page_size."""

    ids: list[int] = field(default_factory=list)
    service_codes: list[int] = field(default_factory=list)
    start: datetime | None = None  # naive UTC
    end: datetime | None = None
    statuses: list[str] = field(default_factory=list)
    page: int = 1
    page_size: int = MAX_ROWS

    def window(self) -> tuple[datetime, datetime]:
        """The spec's default: the last 90 days, or 90 days from the one date given."""
        if self.start and self.end:
            return self.start, self.end
        if self.start:
            return self.start, clock.utcnow()
        end = self.end or clock.utcnow()
        return end - timedelta(days=DEFAULT_DAYS), end


def find(q: Query) -> list[Complaint]:
    query = public_complaints()
    if q.ids:
        # The spec: with service_request_id, the other filters are ignored.
        query = query.where(Complaint.id.in_(q.ids))
    else:
        start, end = q.window()
        query = query.where((Complaint.created_at >= start) & (Complaint.created_at <= end))
        if q.service_codes:
            query = query.where(Complaint.category.in_(q.service_codes))
        if set(q.statuses) == {OPEN}:
            query = query.where(Complaint.status.not_in(CLOSED_STATUSES))
        elif set(q.statuses) == {CLOSED}:
            query = query.where(Complaint.status.in_(CLOSED_STATUSES))
    return list(query.order_by(Complaint.created_at.desc(), Complaint.id.desc())
                .paginate(q.page, q.page_size))


def one(service_request_id: int) -> Complaint | None:
    return public_complaints().where(Complaint.id == service_request_id).first()


def by_token(token: str) -> Complaint | None:
    return public_complaints().where(Complaint.submission_token == token).first()


def _responses(ids: list[int]) -> dict[int, str]:
    """The latest published response (tanggapan) of each complaint."""
    latest = {}
    for complaint_id, text in (TimelineEvent.select(TimelineEvent.complaint, TimelineEvent.text)
                               .where(TimelineEvent.complaint.in_(ids)
                                      & (TimelineEvent.kind == "publikasikan")
                                      & (TimelineEvent.public == True))
                               .order_by(TimelineEvent.created_at, TimelineEvent.id).tuples()):
        latest[complaint_id] = text
    return latest


def _first_photos(ids: list[int]) -> dict[int, str]:
    photos = {}
    for complaint_id, filename in (Attachment.select(Attachment.complaint, Attachment.filename)
                                   .where(Attachment.complaint.in_(ids)
                                          & (Attachment.public == True))
                                   .order_by(Attachment.id.desc()).tuples()):
        photos[complaint_id] = filename  # ends on the oldest: the reporter's own photo
    return photos


def as_requests(complaints: list[Complaint], photo_url) -> list[dict]:
    """Spec-ordered request dicts; `photo_url(filename)` makes a photo's public URL."""
    ids = [c.id for c in complaints]
    responses = _responses(ids) if ids else {}
    photos = _first_photos(ids) if ids else {}
    result = []
    for c in complaints:
        status = open_or_closed(c.status)
        counted = c.due_at and c.due_stage != sla.REPORTER_REPLY and status == OPEN
        category = c.category if c.category_id else None
        result.append({
            "service_request_id": str(c.id),
            "status": status,
            "status_notes": responses.get(c.id),
            "service_name": category.name if category else None,
            "service_code": str(c.category_id) if c.category_id else None,
            "description": c.body,
            "agency_responsible": c.opd.name if c.opd_id else None,
            "service_notice": None,
            "requested_datetime": w3c(c.created_at),
            "updated_datetime": w3c(c.updated_at),
            "expected_datetime": w3c(c.due_at) if counted else None,
            "address": c.location or None,
            "address_id": None,
            "zipcode": None,
            "lat": c.lat,
            "long": c.lon,
            "media_url": photo_url(photos[c.id]) if c.id in photos else None,
        })
    return result


def updates(start: datetime | None, end: datetime | None, page: int, page_size: int,
            photo_url) -> list[dict]:
    """FixMyStreet's servicerequestupdates: the public status changes.

    The description is the published response for "publikasikan" and the
    status's name otherwise: other public texts may be the reporter's own
    words, which are for the tracking page, not for every client.
    """
    window = Query(start=start, end=end).window()
    E = TimelineEvent
    events = list(E.select(E.id, E.complaint, E.kind, E.text, E.status_after, E.created_at)
                  .where(E.complaint.in_(_public_ids()) & (E.public == True)
                         & E.status_after.is_null(False)
                         & (E.created_at >= window[0]) & (E.created_at <= window[1]))
                  .order_by(E.created_at, E.id).paginate(page, page_size))
    photos = {}
    if events:
        for event_id, filename in (Attachment.select(Attachment.event, fn.MIN(Attachment.filename))
                                   .where(Attachment.event.in_([e.id for e in events])
                                          & (Attachment.public == True))
                                   .group_by(Attachment.event).tuples()):
            photos[event_id] = filename
    return [{
        "update_id": str(e.id),
        "service_request_id": str(e.complaint_id),
        "status": open_or_closed(e.status_after),
        "updated_datetime": w3c(e.created_at),
        "description": _update_text(e),
        "media_url": photo_url(photos[e.id]) if e.id in photos else None,
    } for e in events]


def _update_text(event) -> str:
    if event.kind == "publikasikan":
        return event.text
    if event.kind in workflow.TRANSITIONS or event.kind == "dibuat":
        return workflow.status_label(event.status_after)
    return workflow.event_label(event.kind)  # e.g. "dibaca": opened by the OPD


def services() -> list[dict]:
    from portal.open311 import documents

    rows = (Category.select(Category, Opd)
            .join(Opd, JOIN.LEFT_OUTER, on=(Category.default_opd == Opd.id))
            .order_by(Category.name))
    return [documents.service(str(c.id), c.name, c.default_opd.name if c.default_opd_id else "")
            for c in rows]
