"""When time runs out: escalate overdue complaints, close unanswered ones,
and send each pimpinan the daily digest."""
from datetime import datetime, timedelta

from flask_babel import gettext as _

from portal import clock
from portal.complaints import service as complaints, workflow
from portal.deadlines import sla as deadlines, workdays
from portal.notifications import service as notifications
from portal.complaints.models import Complaint, TimelineEvent
from portal.accounts.models import User
from portal.deadlines.reminders import due_text, staff, staff_link

DIGEST_HOUR = 7  # local time; the digest goes out at the first run after this hour


def _send(users, key: str, subject: str, body: str, complaint=None, kind="eskalasi") -> list[int]:
    created = []
    for user in users:
        created += notifications.for_user(user, f"{key}:{user.id}", subject, body=body, kind=kind,
                                          complaint=complaint,
                                          link=staff_link(complaint) if complaint else "")
    return created


def run(now: datetime | None = None) -> list[int]:
    """Escalate overdue complaints: to the pimpinan, and at twice the limit to the city admin."""
    now = now or clock.utcnow()
    created = []
    overdue = (Complaint.select()
               .where(Complaint.status.in_(list(workflow.OPEN_STATUSES))
                      & (Complaint.due_at < now)
                      & (Complaint.due_stage != deadlines.REPORTER_REPLY)))
    for complaint in overdue:
        stamp = complaint.due_at.strftime("%Y%m%d%H%M")
        key = f"eskalasi:{complaint.id}:{complaint.due_stage}:{stamp}"
        body = _("Aduan \"%(title)s\" (%(status)s) melewati batas waktu %(due)s.",
                 title=complaint.title, status=complaint.status_label, due=due_text(complaint))
        admins = staff(workflow.ADMIN)
        if complaint.due_stage == deadlines.VERIFICATION or not complaint.opd_id:
            # Verification is the admin's own stage: there is no one above.
            created += _send(admins, f"{key}:1", _("Terlambat: aduan %(code)s",
                                                   code=complaint.display_code), body, complaint)
            continue
        created += _send(staff(workflow.PIMPINAN, complaint.opd_id), f"{key}:1",
                         _("Terlambat: aduan %(code)s", code=complaint.display_code),
                         body, complaint)
        if complaint.escalate_admin_at and now >= complaint.escalate_admin_at:
            created += _send(admins, f"{key}:2",
                             _("Terlambat dua kali batas: aduan %(code)s (%(opd)s)",
                               code=complaint.display_code, opd=complaint.opd.code),
                             body, complaint)
    return created


def close_unanswered(now: datetime | None = None) -> list[str]:
    """Close complaints whose reporter did not answer within the reply window."""
    now = now or clock.utcnow()
    closed = []
    waiting = (Complaint.select()
               .where((Complaint.status == workflow.SELESAI)
                      & (Complaint.due_stage == deadlines.REPORTER_REPLY)
                      & (Complaint.due_at <= now)))
    for complaint in waiting:
        try:
            complaints.perform(complaint, "tutup", role=workflow.SYSTEM, actor="Sistem",
                               text=_("Ditutup otomatis: tidak ada balasan pelapor dalam batas waktu."))
        except workflow.TransitionRefused:
            continue  # someone acted on it meanwhile
        closed.append(complaint.code)
    return closed


def digest(now: datetime | None = None) -> list[int]:
    """Each pimpinan's morning summary: new, overdue, waiting for a budget."""
    now = now or clock.utcnow()
    local = deadlines.to_local(now)
    if local.hour < DIGEST_HOUR or not workdays.current_calendar().is_working_day(local.date()):
        return []
    created = []
    for user in staff_all_pimpinan():
        opd_complaints = Complaint.select().where(Complaint.opd == user.opd_id)
        new = (opd_complaints.join(TimelineEvent)
               .where((TimelineEvent.status_after == workflow.DITERUSKAN)
                      & (TimelineEvent.created_at >= now - timedelta(days=1)))
               .distinct().count())
        overdue = opd_complaints.where(Complaint.status.in_(list(workflow.OPEN_STATUSES))
                                       & (Complaint.due_at < now)
                                       & (Complaint.due_stage != deadlines.REPORTER_REPLY)).count()
        waiting = opd_complaints.where(Complaint.status == workflow.MENUNGGU_ANGGARAN).count()
        subject = _("Ringkasan aduan %(opd)s, %(day)s", opd=user.opd.code,
                    day=local.strftime("%d-%m-%Y"))
        body = _("Baru masuk 24 jam terakhir: %(new)d\nTerlambat: %(overdue)d\n"
                 "Menunggu anggaran: %(waiting)d", new=new, overdue=overdue, waiting=waiting)
        created += notifications.for_user(user, f"ringkasan:{user.id}:{local.date().isoformat()}",
                                          subject, body=body, kind="ringkasan")
    return created


def staff_all_pimpinan():
    return (User.select().where((User.role == workflow.PIMPINAN) & User.active
                                & User.opd.is_null(False)).order_by(User.id))
