"""What comes next on a complaint, for the person looking at it.

The queue card and the detail page both say it: "my" next step when the
complaint waits for my role (the transition that moves it on), otherwise
whom it waits for.  Destructive actions are never the next step: they end
or return the complaint, so they need a reason and are shown apart.
"""
from flask_babel import lazy_gettext as _l

from portal.complaints import dispositions, workflow

# The transition that moves a complaint on from each status.
PRIMARY = {
    workflow.BARU: "teruskan",
    workflow.DITERUSKAN: "laporkan",
    workflow.DILAPORKAN: "disposisi",
    workflow.DIDISPOSISI: "tindak_lanjut",
    workflow.MENUNGGU_ANGGARAN: "tindak_lanjut",
    workflow.DITINDAKLANJUTI: "publikasikan",
}
DESTRUCTIVE = frozenset({"tolak", "arsipkan", "kembalikan"})
WAITS_FOR = {
    workflow.BARU: _l("Menunggu verifikasi admin"),
    workflow.TUNDA: _l("Menunggu informasi pelapor"),
    workflow.DITERUSKAN: _l("Menunggu operator OPD"),
    workflow.DILAPORKAN: _l("Menunggu pimpinan"),
    workflow.DIDISPOSISI: _l("Menunggu Kabid"),
    workflow.MENUNGGU_ANGGARAN: _l("Menunggu anggaran"),
    workflow.DITINDAKLANJUTI: _l("Menunggu publikasi operator"),
    workflow.SELESAI: _l("Menunggu penilaian pelapor"),
}


def is_my_task(user, complaint) -> bool:
    if complaint.status not in workflow.task_statuses(user.role):
        return False
    if user.role == workflow.ADMIN:
        return True
    if not workflow.may_see(user, complaint.opd_id):
        return False
    if user.role == workflow.KABID:  # only what was disposed to my bidang
        return user.bidang_id in dispositions.bidang_ids(complaint)
    return True


def next_step(user, complaint) -> tuple[bool, str]:
    """(mine, text): the action I take next, or whom the complaint waits for."""
    if is_my_task(user, complaint) and complaint.status in PRIMARY:
        return True, str(workflow.transition(PRIMARY[complaint.status]).label)
    return False, str(WAITS_FOR.get(complaint.status, _l("Tidak ada langkah lagi")))


def arrange(actions, status) -> tuple[list, list]:
    """(the main actions, primary first; the destructive ones, apart)."""
    primary = PRIMARY.get(status)
    main = sorted((t for t in actions if t.action not in DESTRUCTIVE),
                  key=lambda t: t.action != primary)
    return main, [t for t in actions if t.action in DESTRUCTIVE]
