"""Everything Aduan assumes about the Rabeg API (Kota Serang's complaint app).

Rabeg's API is not public; this follows the model in docs (rabeg-api.md).
The module doubles as the template for other regions' local apps: an
installer adapts paths, headers, field names and status values here only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

SOURCE = "rabeg"

# --- Transport ---------------------------------------------------------------

HEADER_API_KEY = "X-Api-Key"
HEADER_IDEMPOTENCY_KEY = "Idempotency-Key"
HEADER_SIGNATURE = "X-Rabeg-Signature"
SIGNATURE_PREFIX = "sha256="
IDEMPOTENCY_TTL_SECONDS = 24 * 3600
MAX_PAGE_LIMIT = 200
# Where Rabeg posts webhooks on the portal.
WEBHOOK_PATH = "/hooks/rabeg"


class Path:
    """Endpoint paths relative to the configured base URL."""

    REPORTS = "/api/v1/reports"
    REPORT = "/api/v1/reports/{id}"
    MARK_READ = "/api/v1/reports/{id}/baca"
    TANGGAPAN = "/api/v1/reports/{id}/tanggapan"
    OPD = "/api/v1/opd"


class Query:
    CURSOR = "cursor"
    LIMIT = "limit"


class Envelope:
    """Listing wrapper, error wrapper and write answers."""

    REPORTS = "reports"
    NEXT_CURSOR = "next_cursor"
    HAS_MORE = "has_more"
    ERROR = "error"
    ERROR_CODE = "code"
    ERROR_MESSAGE = "message"
    ID = "id"


class Field:
    """Fields of report, tanggapan and OPD objects."""

    ID = "id"
    NOMOR = "nomor"
    JUDUL = "judul"
    ISI = "isi"
    KATEGORI = "kategori"
    OPD_TUJUAN = "opd_tujuan"
    TINGKAT = "tingkat"
    LOKASI = "lokasi"
    ALAMAT = "alamat"
    LAT = "lat"
    LNG = "lng"
    ANONIM = "anonim"
    RAHASIA = "rahasia"
    PELAPOR = "pelapor"
    PELAPOR_NAMA = "nama"
    PELAPOR_EMAIL = "email"
    PELAPOR_TELEPON = "telepon"
    FOTO = "foto"
    STATUS = "status"
    DIBUAT_PADA = "dibuat_pada"
    DIPERBARUI_PADA = "diperbarui_pada"
    TANGGAPAN = "tanggapan"
    OLEH = "oleh"
    OPD_KODE = "kode"
    OPD_NAMA = "nama"


class Form:
    """Multipart fields of POST tanggapan."""

    ISI = "isi"
    STATUS = "status"
    FOTO = "foto"


class Webhook:
    EVENT = "event"
    ID = "id"
    REPORT_CREATED = "report.created"
    REPORT_UPDATED = "report.updated"


class ErrorCode:
    """``error.code`` values the service answers with."""

    UNAUTHORIZED = "unauthorized"
    NOT_FOUND = "not_found"
    INVALID_PARAMETER = "invalid_parameter"
    INVALID_CURSOR = "invalid_cursor"
    VALIDATION = "validation_error"
    FOTO_REQUIRED = "foto_required"
    INVALID_FOTO = "invalid_foto"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    RATE_LIMITED = "rate_limited"


OLEH_OPD = "opd"
OLEH_WARGA = "warga"

# Severity (tingkat) and the handling times Rabeg's SOP sets.
TINGKAT_RINGAN = "ringan"
TINGKAT_SEDANG = "sedang"
TINGKAT_BERAT = "berat"
TINGKAT_VALUES = (TINGKAT_RINGAN, TINGKAT_SEDANG, TINGKAT_BERAT)
LIGHT_RESOLUTION_HOURS = 24   # ringan, e.g. rubbish: handled within 1x24 hours
OPD_RESPONSE_HOURS = 72       # every OPD responds within 3x24 hours

# --- Status values -------------------------------------------------------------

STATUS_UNREAD = "belum_dibaca"
STATUS_WAITING = "menunggu"
STATUS_IN_PROCESS = "dalam_proses"
STATUS_DONE = "selesai"
STATUS_VALUES = (STATUS_UNREAD, STATUS_WAITING, STATUS_IN_PROCESS, STATUS_DONE)
# Statuses a tanggapan may set.
TANGGAPAN_STATUSES = (STATUS_IN_PROCESS, STATUS_DONE)

# Rabeg status -> portal status to adopt when the remote side moved on its own.
# Rabeg is coarser than the portal; the sync engine only moves an item forward.
STATUS_TO_PORTAL = {
    STATUS_UNREAD: "baru",
    STATUS_WAITING: "baru",
    STATUS_IN_PROCESS: "diteruskan",
    STATUS_DONE: "selesai",
}

# Portal status -> Rabeg status to set with our tanggapan. None: Rabeg has no
# such state, so the connector posts its tanggapan without a status and Rabeg
# keeps the one it has.
STATUS_FROM_PORTAL: dict[str, str | None] = {
    "baru": STATUS_WAITING,
    "tunda": STATUS_IN_PROCESS,
    "ditolak": None,
    "diarsipkan": None,
    "diteruskan": STATUS_IN_PROCESS,
    "dilaporkan": STATUS_IN_PROCESS,
    "didisposisi": STATUS_IN_PROCESS,
    "menunggu_anggaran": STATUS_IN_PROCESS,
    "ditindaklanjuti": STATUS_IN_PROCESS,
    "selesai": STATUS_DONE,
    "ditutup": STATUS_DONE,
}

# Rabeg has no classification: everything arriving from it is a complaint.
DEFAULT_PORTAL_CLASSIFICATION = "pengaduan"

# Rabeg OPD code -> portal OPD code, for installs whose codes differ.
# Codes not listed pass through unchanged.
OPD_TO_PORTAL: dict[str, str] = {}
OPD_FROM_PORTAL = {v: k for k, v in OPD_TO_PORTAL.items()}


def status_to_portal(status: str) -> str:
    """Portal status for a Rabeg status; unknown values count as new."""
    return STATUS_TO_PORTAL.get(status, "baru")


def status_from_portal(status: str) -> str | None:
    return STATUS_FROM_PORTAL[status]


def opd_to_portal(code: str | None) -> str | None:
    return OPD_TO_PORTAL.get(code, code) if code else None


def opd_from_portal(code: str | None) -> str | None:
    return OPD_FROM_PORTAL.get(code, code) if code else None


# --- Reading remote objects ----------------------------------------------------


def parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def report_to_portal(report: dict[str, Any]) -> dict[str, Any]:
    """Flatten a Rabeg report into source-neutral portal terms."""
    f = Field
    lokasi = report.get(f.LOKASI) or {}
    pelapor = report.get(f.PELAPOR)
    anonymous = bool(report.get(f.ANONIM))
    status = report.get(f.STATUS)
    return {
        "source": SOURCE,
        "remote_id": report[f.ID],
        "tracking_id": report.get(f.NOMOR),
        "title": report.get(f.JUDUL) or "",
        "body": report.get(f.ISI) or "",
        "classification": DEFAULT_PORTAL_CLASSIFICATION,
        "category": report.get(f.KATEGORI),
        "opd": opd_to_portal(report.get(f.OPD_TUJUAN)),
        "severity": report.get(f.TINGKAT),
        "address": lokasi.get(f.ALAMAT),
        "lat": lokasi.get(f.LAT),
        "lng": lokasi.get(f.LNG),
        "anonymous": anonymous,
        "secret": bool(report.get(f.RAHASIA)),
        "reporter": None if anonymous or not pelapor else {
            "name": pelapor.get(f.PELAPOR_NAMA),
            "email": pelapor.get(f.PELAPOR_EMAIL),
            "phone": pelapor.get(f.PELAPOR_TELEPON),
        },
        "status": status_to_portal(status),
        "remote_status": status,
        "photos": list(report.get(f.FOTO) or []),
        "created_at": parse_time(report.get(f.DIBUAT_PADA)),
        "updated_at": parse_time(report.get(f.DIPERBARUI_PADA)),
        "responses": [tanggapan_to_portal(t) for t in report.get(f.TANGGAPAN) or []],
    }


def tanggapan_to_portal(tanggapan: dict[str, Any]) -> dict[str, Any]:
    """Flatten a response; ``from_reporter`` marks citizen replies for the OPD queue."""
    f = Field
    return {
        "remote_id": tanggapan[f.ID],
        "body": tanggapan.get(f.ISI) or "",
        "from_reporter": tanggapan.get(f.OLEH) == OLEH_WARGA,
        "photos": list(tanggapan.get(f.FOTO) or []),
        "created_at": parse_time(tanggapan.get(f.DIBUAT_PADA)),
    }


def change_key(report: dict[str, Any]) -> tuple[Any, Any]:
    """Identity of one version of a report, for de-duplicating listings."""
    return report.get(Field.ID), report.get(Field.DIPERBARUI_PADA)


def error_details(body: Any) -> tuple[str | None, dict | None, str | None]:
    """(message, field errors, code) from a Rabeg error body."""
    error = body.get(Envelope.ERROR) or {}
    return error.get(Envelope.ERROR_MESSAGE), None, error.get(Envelope.ERROR_CODE)
