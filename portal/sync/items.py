"""The objects exchanged between the sync engine and connector plugins.

A plugin converts the remote system's JSON into these and back; nothing else
of the portal (models, database) needs to be touched by a plugin.  Times are
naive UTC like everywhere in the portal: use `to_utc` on remote times.
"""
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path


def to_utc(value: datetime | None) -> datetime | None:
    """A remote time (aware, any offset) as the portal stores it: naive UTC."""
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(timezone.utc).replace(tzinfo=None)


@dataclass
class ConfigKey:
    """One setting of a connector, read from CONNECTORS[name][key] or the
    environment variable ADUAN_<NAME>_<KEY>."""

    default: object = None
    required: bool = False
    secret: bool = False  # never shown on the admin page or by the CLI
    help: str = ""
    # Chosen by an admin on the connector page from `Connector.choices`,
    # stored in the database; a saved choice wins over the files.
    admin: bool = False


@dataclass
class ConnectorInfo:
    name: str  # the channel name stored on complaints, e.g. "sp4n"
    label: str  # what people read, e.g. "SP4N-LAPOR!"
    version: str
    config_schema: dict[str, ConfigKey] = field(default_factory=dict)
    can_forward: bool = False  # the connector implements `forward`


@dataclass
class RemoteReply:
    """A message from the reporter on the remote side (not one of ours)."""

    external_id: str
    text: str
    created_at: datetime | None = None
    photos: list[str] = field(default_factory=list)  # absolute URLs
    rating: int | None = None


@dataclass
class RemoteEvent:
    """One step of the complaint's history on the remote side (its status log)."""

    created_at: datetime | None  # naive UTC
    remote_status: str
    note: str = ""


@dataclass
class RemoteComplaint:
    external_id: str
    title: str
    body: str
    updated_at: datetime  # naive UTC; an older version never overwrites a newer one
    created_at: datetime | None = None
    classification: str = "pengaduan"
    category: str | None = None  # the remote category name
    opd_code: str | None = None  # when the remote system routed it to an OPD
    status: str | None = None  # the portal status the remote status maps to
    remote_status: str = ""  # the remote status as people read it there
    # Portal statuses the remote status is consistent with (nothing to do
    # when the complaint is in one of them), e.g. SP4N's one "Dalam Proses"
    # covers everything from "diteruskan" to "selesai".
    status_matches: set[str] = field(default_factory=set)
    location: str = ""
    lat: float | None = None
    lon: float | None = None
    anonymous: bool = False
    confidential: bool = False
    reporter_name: str = ""
    reporter_contact: str = ""
    photos: list[str] = field(default_factory=list)  # absolute URLs
    replies: list[RemoteReply] = field(default_factory=list)
    severity: str = ""  # ringan, sedang or berat when the channel grades it (Rabeg's tingkat)
    history: list[RemoteEvent] = field(default_factory=list)  # oldest first; copied on import


@dataclass
class FetchResult:
    items: list[RemoteComplaint]
    cursor: str | None  # stored and handed back on the next fetch
    # False when the pass did not see the whole listing (see
    # connectors.paging): its items are applied, its cursor is not stored.
    complete: bool = True
    note: str = ""  # why it is incomplete, for the admin


@dataclass
class Update:
    """One local change to send to one channel."""

    kind: str  # "status" or "response"
    external_id: str
    complaint_code: str
    status: str  # portal status after the change
    previous_status: str | None = None
    text: str = ""  # public text (the published tanggapan for "response")
    photos: list[Path] = field(default_factory=list)  # JPEG files to attach
    key: str = ""  # stable per outbox row: use it as an idempotency key
    attempt: int = 0  # earlier attempts of this row; >0: look before posting


@dataclass
class LocalComplaint:
    """A complaint received by the portal itself, to forward to a channel."""

    code: str
    title: str
    body: str
    classification: str
    category: str | None
    location: str
    lat: float | None
    lon: float | None
    anonymous: bool
    confidential: bool
    reporter_name: str
    reporter_contact: str
    created_at: datetime
    photos: list[Path] = field(default_factory=list)
    key: str = ""
    attempt: int = 0
    # Naive UTC start of the first attempt: a remote copy made by an earlier
    # attempt whose answer was lost was created after it.
    attempted_at: datetime | None = None


@dataclass
class PushResult:
    remote_id: str | None = None
    note: str = ""  # e.g. why nothing had to be sent
    # The remote status this push caused, spelled as RemoteComplaint.remote_status:
    # a later pull listing it is recognised as our own echo.
    remote_status: str = ""


@dataclass
class Health:
    ok: bool
    message: str = ""
