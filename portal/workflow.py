"""Complaint statuses and the transitions between them.

This module is the single source of truth: views, connectors and background
tasks ask it what may happen next and never set `Complaint.status` directly.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# Status codes are stored in the database; labels are what people read.
BARU = "baru"  # submitted, waiting for the city admin to verify
TUNDA = "tunda"  # admin asked the reporter for more information
DITOLAK = "ditolak"  # not a public-service matter, duplicate, spam
DIARSIPKAN = "diarsipkan"
DITERUSKAN = "diteruskan"  # routed to an OPD, in its operator's queue
DILAPORKAN = "dilaporkan"  # operator reported it to the pimpinan
DIDISPOSISI = "didisposisi"  # pimpinan disposed it to one or more Kabid
MENUNGGU_ANGGARAN = "menunggu_anggaran"  # follow-up waits for a budget year
DITINDAKLANJUTI = "ditindaklanjuti"  # follow-up recorded, response not published
SELESAI = "selesai"  # response (tanggapan) published to the reporter
DITUTUP = "ditutup"

STATUS_LABELS = {
    BARU: _l("Menunggu verifikasi"),
    TUNDA: _l("Menunggu informasi pelapor"),
    DITOLAK: _l("Ditolak"),
    DIARSIPKAN: _l("Diarsipkan"),
    DITERUSKAN: _l("Diteruskan ke OPD"),
    DILAPORKAN: _l("Dilaporkan ke pimpinan"),
    DIDISPOSISI: _l("Didisposisikan"),
    MENUNGGU_ANGGARAN: _l("Menunggu anggaran"),
    DITINDAKLANJUTI: _l("Sedang ditindaklanjuti"),
    SELESAI: _l("Selesai ditanggapi"),
    DITUTUP: _l("Ditutup"),
}
STATUSES = tuple(STATUS_LABELS)
OPEN_STATUSES = frozenset(STATUSES) - {DITOLAK, DIARSIPKAN, DITUTUP}
INITIAL_STATUS = BARU

CLASSIFICATION_LABELS = {
    "pengaduan": _l("Pengaduan"),
    "aspirasi": _l("Aspirasi"),
    "informasi": _l("Permintaan informasi"),
}
CLASSIFICATIONS = tuple(CLASSIFICATION_LABELS)

# Who acts.  Staff roles come from User.role; the reporter acts through the
# tracking code, and the system through background tasks and connectors.
ADMIN, OPERATOR, PIMPINAN, KABID, AUDITOR = "admin", "operator", "pimpinan", "kabid", "auditor"
STAFF_ROLES = (ADMIN, OPERATOR, PIMPINAN, KABID, AUDITOR)
REPORTER, SYSTEM = "pelapor", "sistem"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str
    roles: frozenset
    label: str


def _t(action, sources, target, roles, label):
    return Transition(action, frozenset(sources), target, frozenset(roles), label)


TRANSITIONS = {
    t.action: t
    for t in (
        _t("teruskan", {BARU, TUNDA}, DITERUSKAN, {ADMIN}, _l("Teruskan ke OPD")),
        _t("tunda", {BARU}, TUNDA, {ADMIN}, _l("Minta informasi ke pelapor")),
        _t("tambah_info", {TUNDA}, BARU, {REPORTER, SYSTEM}, _l("Tambah informasi")),
        _t("tolak", {BARU, TUNDA}, DITOLAK, {ADMIN}, _l("Tolak")),
        _t("arsipkan", {BARU, TUNDA}, DIARSIPKAN, {ADMIN}, _l("Arsipkan")),
        _t("kembalikan", {DITERUSKAN, DILAPORKAN}, BARU, {OPERATOR}, _l("Bukan wewenang")),
        _t("laporkan", {DITERUSKAN}, DILAPORKAN, {OPERATOR}, _l("Laporkan ke pimpinan")),
        _t("disposisi", {DILAPORKAN}, DIDISPOSISI, {PIMPINAN}, _l("Disposisi ke Kabid")),
        _t("jawab", {DILAPORKAN}, DITINDAKLANJUTI, {PIMPINAN}, _l("Jawab langsung")),
        _t("tindak_lanjut", {DIDISPOSISI, MENUNGGU_ANGGARAN}, DITINDAKLANJUTI, {KABID},
           _l("Catat tindak lanjut")),
        _t("tunggu_anggaran", {DIDISPOSISI}, MENUNGGU_ANGGARAN, {KABID},
           _l("Menunggu anggaran")),
        _t("publikasikan", {DITINDAKLANJUTI}, SELESAI, {OPERATOR}, _l("Publikasikan tanggapan")),
        _t("belum_selesai", {SELESAI}, DITERUSKAN, {REPORTER, SYSTEM}, _l("Belum selesai")),
        _t("tutup", {SELESAI}, DITUTUP, {ADMIN, OPERATOR, PIMPINAN, SYSTEM}, _l("Tutup")),
    )
}


class TransitionRefused(Exception):
    """The action is not allowed for this actor in this state (HTTP 409)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def transition(action: str) -> Transition:
    try:
        return TRANSITIONS[action]
    except KeyError:
        raise TransitionRefused(_l("Aksi tidak dikenal.")) from None


def check(action: str, status: str, role: str) -> Transition:
    """Return the transition if `role` may do `action` from `status`, else raise."""
    t = transition(action)
    if role not in t.roles:
        raise TransitionRefused(_l("Peran Anda tidak berwenang untuk aksi ini."))
    if status not in t.sources:
        raise TransitionRefused(_l("Aksi ini tidak dapat dilakukan pada status sekarang."))
    return t


def allowed_actions(status: str, role: str) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if status in t.sources and role in t.roles]


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


# Timeline events that are not transitions.
EVENT_LABELS = {
    "dibuat": _l("Laporan diterima"),
    "catatan": _l("Catatan internal"),
    "dibaca": _l("Dibuka oleh OPD"),
    # Written by the connector sync engine (portal.sync).
    "balasan_pelapor": _l("Balasan pelapor"),
    "konflik_sinkron": _l("Konflik sinkronisasi"),
    "status_kanal": _l("Status di kanal asal"),
    "digabung": _l("Laporan digabung"),
}


def event_label(kind: str) -> str:
    if kind in TRANSITIONS:
        return str(TRANSITIONS[kind].label)
    return str(EVENT_LABELS.get(kind, kind))
