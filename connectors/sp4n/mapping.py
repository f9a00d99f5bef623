"""Everything Aduan assumes about the SP4N-LAPOR! v3 integration API.

SP4N documents its API only to registered developers, so paths, headers,
field names and codes below follow the model in docs (sp4n-api.md). An
installer adapting Aduan to the real service edits this module only: the
client, the simulator and the sync engine read every name from here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

SOURCE = "sp4n"

# --- Transport ---------------------------------------------------------------

HEADER_AUTHORIZATION = "Authorization"
AUTH_SCHEME = "Bearer"
HEADER_INSTITUTION_TOKEN = "token"
MAX_PAGE_LIMIT = 100


class Path:
    """Endpoint paths relative to the configured base URL (…/api/v3)."""

    DISPOSITION = "/complaints/disposition"
    COMPLAINT = "/complaints/{id}/complaint"
    FOLLOWUPS = "/complaints/{id}/followups"
    FOLLOWUP_ADD = "/complaints/followup/add"
    REJECT = "/complaints/process/{id}/reject"
    COMPLAINT_FILE = "/complaints/complaint/file"
    COMPLAINT_CREATE = "/complaints/complaint"
    INSTITUTIONS = "/masters/institutions/external"
    CATEGORIES = "/masters/categories"
    TEMPLATES = "/masters/templates"


class Envelope:
    """Wrapper fields around every answer."""

    SUCCESS = "success"
    RESULTS = "results"
    MESSAGE = "message"
    ERRORS = "errors"
    DATA = "data"
    META = "meta"
    META_PAGE = "page"
    META_LIMIT = "limit"
    META_TOTAL = "total"
    META_NEXT_PAGE = "next_page"


class Query:
    """Query parameters of the disposition listing."""

    INSTITUTION_ID = "institution_id"
    UPDATED_SINCE = "updated_since"
    PAGE = "page"
    LIMIT = "limit"


class Field:
    """Fields of complaint, log, follow-up and master objects."""

    COMPLAINT_ID = "complaint_id"
    TRACKING_ID = "tracking_id"
    TITLE = "title"
    CONTENT = "content"
    CLASSIFICATION = "classification"
    CATEGORY = "category"
    LOCATION = "location"
    ADDRESS = "address"
    LAT = "lat"
    LNG = "lng"
    DATE_OF_INCIDENT = "date_of_incident"
    IS_ANONYMOUS = "is_anonymous"
    IS_SECRET = "is_secret"
    REPORTER = "reporter"
    REPORTER_NAME = "name"
    REPORTER_EMAIL = "email"
    REPORTER_PHONE = "phone"
    CHANNEL = "channel"
    STATUS_CODE = "status_code"
    STATUS_NAME = "status_name"
    DISPOSITION_NAME = "disposition_name"
    ATTACHMENTS = "attachments"
    ATTACHMENT_URL = "url"
    ATTACHMENT_MIME = "mime"
    CREATED_AT = "created_at"
    UPDATED_AT = "updated_at"
    DATA_LOGS = "data_logs"
    LOG_NOTE = "note"
    ID = "id"
    NAME = "name"
    PARENT_ID = "parent_id"
    CODE = "code"
    # follow-ups
    AUTHOR = "author"
    INSTITUTION_FROM_ID = "institution_from_id"
    INSTITUTION_TO_ID = "institution_to_id"
    RATING = "rating"


class Form:
    """Request bodies we send (multipart form fields and JSON keys)."""

    # POST followup/add (multipart)
    COMPLAINT_ID = "complaint_id"
    INSTITUTION_FROM_ID = "institution_from_id"
    INSTITUTION_TO_ID = "institution_to_id"
    TEMPLATE_CODE = "template_code"
    IS_SECRET = "is_secret"
    CONTENT = "content"
    ATTACHMENT = "attachment[{index}]"
    ATTACHMENT_PATTERN = r"^attachment\[(\d+)\]$"
    # POST process/{id}/reject (JSON)
    IS_REQUEST = "is_request"
    NOT_AUTHORITY = "not_authority"
    REASON = "reason"
    REASON_DESCRIPTION = "reason_description"
    # POST complaint/file (multipart)
    UPLOAD_FILES = "attachments[]"
    # POST complaint (JSON)
    CLASSIFICATION_ID = "classification_id"
    CATEGORY_ID = "category_id"
    LOCATION_ID = "location_id"
    TITLE = "title"
    CHANNEL = "channel"
    DATE_OF_INCIDENT = "date_of_incident"
    IS_ANONYMOUS = "is_anonymous"
    REPORTER = "reporter"
    ATTACHMENT_IDS = "attachments"


class Result:
    """Keys inside ``results`` of write endpoints."""

    FOLLOWUP_ID = "followup_id"
    COMPLAINT_ID = "complaint_id"
    TRACKING_ID = "tracking_id"
    DOCS = "docs"
    DOC_ID = "id"


AUTHOR_INSTITUTION = "instansi"
AUTHOR_REPORTER = "pelapor"
FLAG_TRUE = 1
FLAG_FALSE = 0

# --- Status codes --------------------------------------------------------------

STATUS_UNVERIFIED = 0
STATUS_VERIFIED = 1
STATUS_IN_PROCESS = 2
STATUS_DONE = 3
STATUS_ARCHIVED = 4
STATUS_REJECTED = 5

STATUS_NAMES = {
    STATUS_UNVERIFIED: "Belum Terverifikasi",
    STATUS_VERIFIED: "Sudah Terverifikasi",
    STATUS_IN_PROCESS: "Dalam Proses",
    STATUS_DONE: "Selesai",
    STATUS_ARCHIVED: "Diarsipkan",
    STATUS_REJECTED: "Ditolak",
}
# What our follow-up does to an SP4N complaint (0/1 -> 2), as pulls show it:
# listed back, it is the echo of our post, not a remote change.
FOLLOWUP_STATUS_NAME = STATUS_NAMES[STATUS_IN_PROCESS]

# SP4N status -> portal status to adopt when the remote side moved on its own.
# SP4N is coarser than the portal: "Dalam Proses" covers everything from
# routing to an OPD up to our published answer, so it maps to the earliest of
# those; the sync engine must only move a local item forward, never back.
# "Selesai" is SP4N closing the case (e.g. 10 working days without a reply).
STATUS_TO_PORTAL = {
    STATUS_UNVERIFIED: "baru",
    STATUS_VERIFIED: "baru",
    STATUS_IN_PROCESS: "diteruskan",
    STATUS_DONE: "ditutup",
    STATUS_ARCHIVED: "diarsipkan",
    STATUS_REJECTED: "ditolak",
}

# Portal status -> the SP4N status it corresponds to. SP4N has no "set status"
# endpoint: statuses follow from our actions (a follow-up moves it to
# "Dalam Proses", SP4N itself closes it), so this table is what the sync engine
# expects to see remotely, e.g. to detect drift.
STATUS_FROM_PORTAL = {
    "baru": STATUS_VERIFIED,
    "tunda": STATUS_IN_PROCESS,
    "ditolak": STATUS_REJECTED,
    "diarsipkan": STATUS_ARCHIVED,
    "diteruskan": STATUS_IN_PROCESS,
    "dilaporkan": STATUS_IN_PROCESS,
    "didisposisi": STATUS_IN_PROCESS,
    "menunggu_anggaran": STATUS_IN_PROCESS,
    "ditindaklanjuti": STATUS_IN_PROCESS,
    "selesai": STATUS_IN_PROCESS,
    "ditutup": STATUS_DONE,
}

# --- Classifications -----------------------------------------------------------

CLASSIFICATION_ASPIRATION = 1
CLASSIFICATION_COMPLAINT = 2
CLASSIFICATION_INFORMATION = 3

CLASSIFICATION_NAMES = {
    CLASSIFICATION_ASPIRATION: "Aspirasi",
    CLASSIFICATION_COMPLAINT: "Pengaduan",
    CLASSIFICATION_INFORMATION: "Permintaan Informasi",
}
CLASSIFICATION_TO_PORTAL = {
    CLASSIFICATION_ASPIRATION: "aspirasi",
    CLASSIFICATION_COMPLAINT: "pengaduan",
    CLASSIFICATION_INFORMATION: "informasi",
}
CLASSIFICATION_FROM_PORTAL = {v: k for k, v in CLASSIFICATION_TO_PORTAL.items()}
DEFAULT_PORTAL_CLASSIFICATION = "pengaduan"


def status_to_portal(code: int) -> str:
    """Portal status for an SP4N status code; unknown codes count as new."""
    return STATUS_TO_PORTAL.get(code, "baru")


def status_from_portal(status: str) -> int:
    """SP4N status code the portal status corresponds to."""
    return STATUS_FROM_PORTAL[status]


def classification_to_portal(classification_id: int | None) -> str:
    return CLASSIFICATION_TO_PORTAL.get(classification_id, DEFAULT_PORTAL_CLASSIFICATION)


def classification_from_portal(classification: str) -> int:
    return CLASSIFICATION_FROM_PORTAL[classification]


# --- Reading remote objects ----------------------------------------------------


def parse_time(value: str | None) -> datetime | None:
    """ISO 8601 with offset, as SP4N sends it."""
    return datetime.fromisoformat(value) if value else None


def format_time(value: datetime | str) -> str:
    """The form SP4N expects for ``updated_since``: ISO 8601 with an offset."""
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        raise ValueError("SP4N needs times with a UTC offset; got a naive datetime")
    return value.isoformat(timespec="seconds")


def complaint_to_portal(complaint: dict[str, Any]) -> dict[str, Any]:
    """Flatten an SP4N complaint into source-neutral portal terms."""
    f = Field
    classification = complaint.get(f.CLASSIFICATION) or {}
    category = complaint.get(f.CATEGORY) or {}
    location = complaint.get(f.LOCATION) or {}
    reporter = complaint.get(f.REPORTER)
    anonymous = bool(complaint.get(f.IS_ANONYMOUS))
    code = complaint.get(f.STATUS_CODE)
    return {
        "source": SOURCE,
        "remote_id": str(complaint[f.COMPLAINT_ID]),
        "tracking_id": complaint.get(f.TRACKING_ID),
        "title": complaint.get(f.TITLE) or "",
        "body": complaint.get(f.CONTENT) or "",
        "classification": classification_to_portal(classification.get(f.ID)),
        "category": category.get(f.NAME),
        "address": location.get(f.ADDRESS),
        "lat": location.get(f.LAT),
        "lng": location.get(f.LNG),
        "incident_date": complaint.get(f.DATE_OF_INCIDENT),
        "anonymous": anonymous,
        "secret": bool(complaint.get(f.IS_SECRET)),
        "reporter": None if anonymous or not reporter else {
            "name": reporter.get(f.REPORTER_NAME),
            "email": reporter.get(f.REPORTER_EMAIL),
            "phone": reporter.get(f.REPORTER_PHONE),
        },
        "channel": complaint.get(f.CHANNEL),
        "status": status_to_portal(code),
        "remote_status": code,
        "photos": attachment_urls(complaint.get(f.ATTACHMENTS)),
        "created_at": parse_time(complaint.get(f.CREATED_AT)),
        "updated_at": parse_time(complaint.get(f.UPDATED_AT)),
    }


def history_to_portal(logs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """SP4N's status log (``data_logs``), oldest first: created_at (aware),
    remote_status (as people read it there) and note."""
    events = [{"created_at": parse_time(log.get(Field.CREATED_AT)),
               "remote_status": (log.get(Field.STATUS_NAME)
                                 or STATUS_NAMES.get(log.get(Field.STATUS_CODE), "")),
               "note": log.get(Field.LOG_NOTE) or ""}
              for log in logs]
    return sorted(events, key=lambda e: (e["created_at"] is None, e["created_at"] or 0))


def followup_to_portal(followup: dict[str, Any]) -> dict[str, Any]:
    """Flatten a follow-up; ``from_reporter`` marks replies for the OPD queue."""
    f = Field
    return {
        "remote_id": str(followup[f.ID]),
        "body": followup.get(f.CONTENT) or "",
        "from_reporter": followup.get(f.AUTHOR) == AUTHOR_REPORTER,
        "rating": followup.get(f.RATING),
        "photos": attachment_urls(followup.get(f.ATTACHMENTS)),
        "created_at": parse_time(followup.get(f.CREATED_AT)),
    }


def attachment_urls(attachments: list[dict[str, Any]] | None) -> list[str]:
    return [a[Field.ATTACHMENT_URL] for a in attachments or [] if a.get(Field.ATTACHMENT_URL)]


def change_key(complaint: dict[str, Any]) -> tuple[Any, Any]:
    """Identity of one version of a complaint, for de-duplicating listings."""
    return complaint.get(Field.COMPLAINT_ID), complaint.get(Field.UPDATED_AT)


# --- Recognising a complaint we forwarded ----------------------------------------
#
# POST /complaints/complaint takes no idempotency key.  When its answer is lost
# the complaint may exist in SP4N without us knowing its id.  ASSUMPTION (not
# documented publicly): a complaint an institution sends into SP4N is disposed
# to that institution, so it appears in GET /complaints/disposition like any
# other.  We recognise it there by its title and content (compared on words,
# as servers trim and re-wrap) and by a creation time no earlier than our
# first attempt minus FORWARD_CLOCK_SKEW.  If the real SP4N routes forwarded
# complaints elsewhere, point `plugin._find_forwarded` at where they are listed.
# The portal applies the same rule when a poll brings such a complaint back
# before the retry found it (`portal.sync.forwarding`).
FORWARD_CLOCK_SKEW_SECONDS = 120


def words(text: str | None) -> str:
    return " ".join((text or "").split())


def is_forwarded_copy(complaint: dict[str, Any], title: str, content: str,
                      not_before: datetime | None) -> bool:
    """Whether this SP4N complaint is the one we sent with `title`/`content`
    (`not_before`: aware start of our first attempt, skew already allowed)."""
    if (words(complaint.get(Field.TITLE)), words(complaint.get(Field.CONTENT))) != (
            words(title), words(content)):
        return False
    created = parse_time(complaint.get(Field.CREATED_AT))
    return not_before is None or created is None or created >= not_before


def error_details(body: Any) -> tuple[str | None, dict | None, str | None]:
    """(message, field errors, code) from an SP4N error body."""
    return body.get(Envelope.MESSAGE), body.get(Envelope.ERRORS), None
