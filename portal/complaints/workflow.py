"""Complaint statuses and the transitions between them.

This module is the single source of truth: views, connectors and background
tasks ask it what may happen next and never set `Complaint.status` directly.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.accounts.roles import ADMIN, AUDITOR, KABID, OPERATOR, PIMPINAN, STAFF_ROLES  # noqa: F401

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
        # A complaint taken in from a channel arrives as "baru" like any other
        # and is moved to where the channel had it by these steps, so its
        # timeline, deadlines and requirements are those of the workflow.
        _t("terima_kanal", {BARU}, DITERUSKAN, {SYSTEM}, _l("Terima dari kanal")),
        _t("tolak_kanal", {BARU, TUNDA}, DITOLAK, {SYSTEM}, _l("Ditolak di kanal")),
        _t("arsipkan_kanal", {BARU, TUNDA}, DIARSIPKAN, {SYSTEM}, _l("Diarsipkan di kanal")),
        _t("selesai_kanal", {DITERUSKAN, DILAPORKAN, DIDISPOSISI, MENUNGGU_ANGGARAN,
                             DITINDAKLANJUTI}, SELESAI, {SYSTEM}, _l("Selesai di kanal")),
        _t("tutup_kanal", {BARU, TUNDA, DITERUSKAN, DILAPORKAN, DIDISPOSISI, MENUNGGU_ANGGARAN,
                           DITINDAKLANJUTI}, DITUTUP, {SYSTEM}, _l("Ditutup di kanal")),
    )
}
# The steps above apply only while a complaint is first taken in, when the
# channel's state is the only one it has.  Later the portal's own workflow
# leads, and a remote move is applied only by the ordinary system transitions.
INTAKE_ACTIONS = frozenset({"terima_kanal", "tolak_kanal", "arsipkan_kanal", "selesai_kanal",
                            "tutup_kanal"})


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


def intake_path(target: str) -> list[Transition]:
    """The shortest chain of SYSTEM transitions that takes a complaint just
    taken in from a channel to `target` ([] when the system cannot get there
    alone, e.g. into the OPD's internal steps)."""
    source = INITIAL_STATUS
    paths, seen = [(source, [])], {source}
    while paths:
        status, path = paths.pop(0)
        for t in allowed_actions(status, SYSTEM):
            if t.target == target:
                return path + [t]
            if t.target not in seen:
                seen.add(t.target)
                paths.append((t.target, path + [t]))
    return []


# What happened, as the timeline tells it (the citizen's above all): past
# tense, not the button the staff member pressed.  "%(opd)s" is the OPD the
# event sent the complaint to, when the event recorded one.
PAST_TENSE = {
    "teruskan": (_l("Diteruskan ke OPD"), _l("Diteruskan ke %(opd)s")),
    "tunda": _l("Pelapor diminta melengkapi informasi"),
    "tambah_info": _l("Informasi dilengkapi pelapor"),
    "tolak": _l("Ditolak"),
    "arsipkan": _l("Diarsipkan"),
    "kembalikan": _l("Dikembalikan: bukan wewenang OPD"),
    "laporkan": _l("Dilaporkan ke pimpinan"),
    "disposisi": _l("Didisposisikan ke Kabid"),
    "jawab": _l("Dijawab langsung oleh pimpinan"),
    "tindak_lanjut": _l("Tindak lanjut dicatat"),
    "tunggu_anggaran": _l("Ditunda menunggu anggaran"),
    "publikasikan": _l("Tanggapan dipublikasikan"),
    "belum_selesai": _l("Dinyatakan belum selesai oleh pelapor"),
    "tutup": _l("Ditutup"),
    "terima_kanal": (_l("Diteruskan ke OPD oleh kanal asal"),
                     _l("Diteruskan ke %(opd)s oleh kanal asal")),
    "tolak_kanal": _l("Ditolak di kanal asal"),
    "arsipkan_kanal": _l("Diarsipkan di kanal asal"),
    "selesai_kanal": _l("Diselesaikan di kanal asal"),
    "tutup_kanal": _l("Ditutup di kanal asal"),
}

# Timeline events that are not transitions.
EVENT_LABELS = {
    "dibuat": _l("Laporan diterima"),
    "catatan": _l("Catatan internal"),
    "dibaca": _l("Dibuka oleh OPD"),
    "info_pelapor": _l("Informasi tambahan dari pelapor"),
    "penilaian": _l("Penilaian pelapor"),
    "tingkat": _l("Tingkat diubah"),  # portal.severity_changes
    # Written by the connector sync engine (portal.sync).
    "balasan_pelapor": _l("Balasan pelapor"),
    "konflik_sinkron": _l("Konflik sinkronisasi"),
    "status_kanal": _l("Status di kanal asal"),
    "digabung": _l("Laporan digabung"),
}


def event_label(kind: str, opd: str | None = None) -> str:
    """The timeline wording of an event; `opd` names where it sent the complaint."""
    label = PAST_TENSE.get(kind) or EVENT_LABELS.get(kind)
    if label is None:
        return kind
    if isinstance(label, tuple):
        plain, with_opd = label
        return str(with_opd) % {"opd": opd} if opd else str(plain)
    return str(label)


# ---------------------------------------------------------------------------
# The OPD workspace: who may act on which complaint, and what each action
# needs.  `complaints.perform` applies these on every transition a staff
# member makes, so no view can skip them.

# Steps inside the OPD: the citizen sees the status change (the status on
# the tracking page) but never the note one staff member wrote to another.
INTERNAL_ACTIONS = frozenset({"kembalikan", "laporkan", "disposisi", "jawab", "tindak_lanjut"})

# What each action must carry, whatever the complaint; a resolving action
# needs more for some classifications (`requirements`).
REQUIREMENTS = {
    "teruskan": {"opd"},
    "terima_kanal": {"opd"},
    "tunda": {"text"},
    "tolak": {"text"},
    "arsipkan": {"text"},  # ends the complaint: say why
    "kembalikan": {"text"},
    "disposisi": {"text", "bidang"},
    "jawab": {"text"},
    "tindak_lanjut": {"text"},
    "tunggu_anggaran": {"text", "budget_year"},
    "publikasikan": {"text"},
    "tambah_info": {"text"},
    "belum_selesai": {"text"},
}
REQUIREMENT_MESSAGES = {
    "opd": _l("Pilih OPD tujuan."),
    "text": _l("Keterangan wajib diisi."),
    "bidang": _l("Pilih minimal satu bidang."),
    "photo": _l("Tindak lanjut pengaduan wajib disertai minimal satu foto dokumentasi."),
    "follow_up_photo": _l("Tindak lanjut pengaduan ini belum memiliki foto dokumentasi. "
                          "Pengaduan baru selesai bila tindak lanjutnya dibuktikan dengan "
                          "minimal satu foto."),
    "budget_year": _l("Isi tahun anggaran yang direncanakan."),
}

# The reporter rates the published response; in TUNDA adding information is
# the `tambah_info` transition, in other open states it is only a note.
RATEABLE_STATUSES = frozenset({SELESAI, DITUTUP})
REPORTER_NOTE_STATUSES = OPEN_STATUSES - {TUNDA}
CITY_WIDE_ROLES = frozenset({ADMIN, AUDITOR})


class InputMissing(TransitionRefused):
    """The action is allowed but lacks what it needs (HTTP 422)."""


def may_see(user, complaint_opd_id) -> bool:
    """City-wide roles see every complaint; OPD staff only their OPD's."""
    if user.role in CITY_WIDE_ROLES:
        return True
    return user.opd_id is not None and user.opd_id == complaint_opd_id


def check_scope(user, complaint_opd_id, disposed_bidang_ids=()) -> None:
    """Raise unless `user` belongs where the complaint is now.

    Operator and pimpinan act on their own OPD's complaints; a Kabid only
    on complaints disposed to their bidang.
    """
    if user.role == ADMIN:
        return
    if not may_see(user, complaint_opd_id):
        raise TransitionRefused(_l("Aduan ini tidak berada di OPD Anda."))
    if user.role == KABID and user.bidang_id not in set(disposed_bidang_ids):
        raise TransitionRefused(_l("Aduan ini tidak didisposisikan ke bidang Anda."))


# A pengaduan is resolved when it is proven that something was done, and a
# written report alone proves nothing: every transition into one of these
# statuses carries a photo of the follow-up (`follow_up_photo`: the one
# being published has one, or photos come with the step).  A request for
# information or an aspiration is answered in words.
RESOLVED_STATUSES = frozenset({DITINDAKLANJUTI, SELESAI})
PHOTO_CLASSIFICATIONS = frozenset({"pengaduan"})
PHOTO_REASONS = {
    True: _l("Wajib untuk pengaduan: penyelesaiannya dibuktikan dengan foto tindak lanjut."),
    False: _l("Tidak wajib untuk permintaan informasi dan aspirasi."),
}


def resolves(action: str) -> bool:
    return action in TRANSITIONS and TRANSITIONS[action].target in RESOLVED_STATUSES


def requirements(action: str, classification: str) -> set:
    """What `action` must carry on a complaint of `classification`."""
    needs = set(REQUIREMENTS.get(action, ()))
    if resolves(action) and classification in PHOTO_CLASSIFICATIONS:
        # The follow-up itself brings its photos; a step that only passes on
        # a recorded follow-up (publishing it) needs that one to have them.
        needs.add("photo" if action in FOLLOW_UP_ACTIONS else "follow_up_photo")
    return needs


def accepts_photos(action: str) -> bool:
    """Whether the action's form has a photo field (every resolving step has)."""
    return action in FOLLOW_UP_ACTIONS or resolves(action)


def photo_reason(classification: str) -> str:
    return str(PHOTO_REASONS[classification in PHOTO_CLASSIFICATIONS])


def check_input(action: str, provided: set, classification: str = "pengaduan") -> None:
    """Raise InputMissing naming the first thing `action` needs and lacks."""
    needs = requirements(action, classification)
    for need in ("opd", "bidang", "budget_year", "text", "photo", "follow_up_photo"):
        if need in needs and need not in provided:
            raise InputMissing(REQUIREMENT_MESSAGES[need])


def actions_for(user, status: str, complaint_opd_id, disposed_bidang_ids=()) -> list[Transition]:
    """The transitions `user` may take on a complaint right now."""
    try:
        check_scope(user, complaint_opd_id, disposed_bidang_ids)
    except TransitionRefused:
        return []
    return allowed_actions(status, user.role)


# Where a complaint waits for someone with the role to move it on ("my
# tasks").  Alternatives such as returning it or closing it are not tasks,
# and a complaint waiting for next year's budget waits for the budget.
TASK_STATUSES = {
    ADMIN: frozenset({BARU}),
    OPERATOR: frozenset({DITERUSKAN, DITINDAKLANJUTI}),
    PIMPINAN: frozenset({DILAPORKAN}),
    KABID: frozenset({DIDISPOSISI}),
}


def task_statuses(role: str) -> frozenset:
    return TASK_STATUSES.get(role, frozenset())


def may_add_note(user, complaint_opd_id) -> bool:
    """Internal notes: every staff member who works the complaint, not auditors."""
    return user.role != AUDITOR and may_see(user, complaint_opd_id)


def may_rate(status: str, rating) -> bool:
    return status in RATEABLE_STATUSES and rating is None


# What a transition resets besides the status: a complaint routed again is
# unread by its new OPD; one returned as "bukan wewenang" leaves the OPD; one
# reopened by its reporter needs a new rating.
RESETS = {
    "teruskan": {"read_at": None},
    "kembalikan": {"opd": None},
    "belum_selesai": {"rating": None},
}
# Where a follow-up's text and photos come from when the operator drafts
# the public response.
FOLLOW_UP_ACTIONS = ("tindak_lanjut", "jawab")
RATING_MESSAGE = _l("Pilih nilai 1 sampai 5.")

# Why the admin rejects a complaint; "duplikat" names the other complaint.
REJECTION_REASONS = {
    "bukan_pelayanan_publik": _l("Bukan masalah pelayanan publik"),
    "duplikat": _l("Duplikat laporan lain"),
    "spam": _l("Spam"),
}
# A follow-up may wait for this year's budget change or up to five years on.
BUDGET_YEARS_AHEAD = 5
