"""Built-in plugin: every handoff tells the next person at once.

A handoff is a timeline event after which someone else must act: a new
complaint (the city admins verify it), routing (the OPD's operators), a
report (the OPD's pimpinan), a disposition (the Kabid of each bidang), a
recorded follow-up (the operators publish it), a reporter's message or
"belum selesai" (whoever holds the complaint now) and "bukan wewenang"
(back to the admins).

Runs inside the transaction that records the event, so the notices commit
with it or not at all; each has the key complaint:event:user:channel, so a
retried task or a restarted worker cannot make a second one.  Delivery is
enqueued after the commit.  The in-app notice always; the person's chosen
channel besides, held during their quiet hours or until their next batch.
"""
from flask_babel import gettext as _

from portal import config
from portal.accounts.models import User
from portal.complaints import dispositions, workflow
from portal.complaints.replies import REPORTER_KINDS
from portal.notifications import preferences, service as notifications
from portal.notifications.tasks import deliver_all
from portal.plugins.hookspecs import hookimpl

FOLLOW_UP_KINDS = frozenset({"tindak_lanjut", "jawab", "tunggu_anggaran"})
HANDOFF_KINDS = (frozenset({"dibuat", "teruskan", "laporkan", "disposisi", "kembalikan"})
                 | FOLLOW_UP_KINDS | REPORTER_KINDS)
KIND = "serah_terima"


def _staff(role, **where):
    query = User.select().where((User.role == role) & (User.active == True))  # noqa: E712
    for field, value in where.items():
        query = query.where(getattr(User, field) == value)
    return list(query)


def _kabid_of(complaint):
    bidang = dispositions.bidang_ids(complaint)
    if not bidang:
        return []
    return list(User.select().where((User.role == workflow.KABID) & User.bidang.in_(bidang)
                                    & (User.active == True)))  # noqa: E712


def holders(complaint) -> list:
    """Who must act on the complaint in its current status."""
    status = complaint.status
    if status in (workflow.BARU, workflow.TUNDA) or complaint.opd_id is None:
        return _staff(workflow.ADMIN)
    if status == workflow.DILAPORKAN:
        return _staff(workflow.PIMPINAN, opd=complaint.opd_id)
    if status in (workflow.DIDISPOSISI, workflow.MENUNGGU_ANGGARAN):
        return _kabid_of(complaint)
    return _staff(workflow.OPERATOR, opd=complaint.opd_id)


def recipients(complaint, event) -> list:
    kind = event.kind
    if kind in ("dibuat", "kembalikan"):
        people = _staff(workflow.ADMIN)
    elif kind == "teruskan" or kind in FOLLOW_UP_KINDS:
        people = _staff(workflow.OPERATOR, opd=complaint.opd_id) if complaint.opd_id else []
    elif kind == "laporkan":
        people = _staff(workflow.PIMPINAN, opd=complaint.opd_id)
    elif kind == "disposisi":
        people = _kabid_of(complaint)
    elif kind in REPORTER_KINDS:
        people = holders(complaint)
    else:
        return []
    # Whoever handed it on knows already.
    return [p for p in people if p.id != event.actor_user_id]


def _subject(kind, code):
    if kind == "dibuat":
        return _("Aduan baru %(code)s menunggu verifikasi", code=code)
    if kind == "teruskan":
        return _("Aduan %(code)s diteruskan ke OPD Anda", code=code)
    if kind == "laporkan":
        return _("Aduan %(code)s dilaporkan kepada Anda", code=code)
    if kind == "disposisi":
        return _("Disposisi aduan %(code)s untuk bidang Anda", code=code)
    if kind in FOLLOW_UP_KINDS:
        return _("Tindak lanjut aduan %(code)s tercatat", code=code)
    if kind == "kembalikan":
        return _("Aduan %(code)s dikembalikan: bukan wewenang OPD", code=code)
    return _("Pelapor menulis pada aduan %(code)s", code=code)


def next_step(kind, status) -> str:
    """What the recipient is asked to do, in one line."""
    if kind in ("dibuat", "kembalikan") or status in (workflow.BARU, workflow.TUNDA):
        return _("Verifikasi lalu teruskan ke OPD yang berwenang.")
    if status == workflow.DITERUSKAN:
        return _("Buka aduan lalu laporkan ke pimpinan.")
    if status == workflow.DILAPORKAN:
        return _("Disposisikan ke Kabid atau jawab langsung.")
    if status in (workflow.DIDISPOSISI, workflow.MENUNGGU_ANGGARAN):
        return _("Catat tindak lanjut dengan foto dokumentasi.")
    if status == workflow.DITINDAKLANJUTI:
        return _("Periksa tindak lanjut lalu publikasikan tanggapan.")
    return _("Baca pesan pelapor.")


def _body(complaint, event, *, private: bool) -> str:
    """The notice's text.  `private` (in-app): the whole story; another
    channel passes through other hands, so a confidential complaint's title
    and notes stay behind the login.  The reporter is never named."""
    lines = []
    if complaint.confidential and not private:
        lines.append(_("Aduan rahasia: rinciannya hanya di aplikasi."))
    else:
        lines.append(complaint.title)
        if event.text:
            who = event.actor if event.actor_user_id else _("Pelapor")
            lines.append(f"{who}: {event.text[:500]}")
    lines.append(next_step(event.kind, complaint.status))
    return "\n".join(lines)


def deep_link(complaint) -> str:
    return f"{config.get('BASE_URL')}/staf/aduan/{complaint.display_code}"


def notify(complaint, event) -> list[int]:
    """Write the notices for one handoff event; the ids to deliver now."""
    code = complaint.display_code
    subject = _subject(event.kind, code)
    link = deep_link(complaint)
    ids = []
    for person in recipients(complaint, event):
        base = f"serah:{complaint.id}:{event.id}:{person.id}"
        fields = {"user": person, "complaint": complaint, "kind": KIND, "link": link}
        # The in-app row is the notice itself (the list shows it whatever its
        # state); the minute sweep marks it delivered, so no task per row.
        notifications.create(f"{base}:{notifications.APP}", notifications.APP, subject,
                             body=_body(complaint, event, private=True), **fields)
        pref = preferences.for_user(person)
        channel, address = preferences.channel_of(person, pref)
        if channel is None:
            continue
        hold = preferences.hold_until(pref)
        created = notifications.create(f"{base}:{channel}", channel, subject,
                                       body=_body(complaint, event, private=False),
                                       address=address, hold_until=hold, **fields)
        if hold is None:
            ids.append(created)
    return [i for i in ids if i]


@hookimpl
def aduan_timeline_event(complaint, event):
    if event.kind not in HANDOFF_KINDS:
        return
    deliver_all(notify(complaint, event))
