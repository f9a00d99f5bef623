"""Reminders: one working day before a deadline, tell whoever holds the complaint."""
from datetime import datetime, timedelta

from flask_babel import gettext as _

from portal import clock, config
from portal.deadlines import sla as deadlines, workdays
from portal.complaints import dispositions, workflow
from portal.notifications import service as notifications
from portal.complaints.models import Complaint
from portal.accounts.models import User

# Who must act next, by status.  A disposed complaint is held by the Kabid of
# the bidang it was disposed to (portal.dispositions), not every Kabid.
HOLDER_ROLE = {
    workflow.BARU: workflow.ADMIN,
    workflow.DITERUSKAN: workflow.OPERATOR,
    workflow.DILAPORKAN: workflow.PIMPINAN,
    workflow.DIDISPOSISI: workflow.KABID,
    workflow.DITINDAKLANJUTI: workflow.OPERATOR,  # publishes the response
}


def staff(role: str, opd_id: int | None = None) -> list[User]:
    query = User.select().where((User.role == role) & User.active)
    if role != workflow.ADMIN:
        query = query.where(User.opd == opd_id)
    return list(query.order_by(User.id))


def holders(complaint: Complaint) -> list[User]:
    role = HOLDER_ROLE.get(complaint.status)
    if role is None or (role != workflow.ADMIN and not complaint.opd_id):
        return []
    if role == workflow.KABID:
        return disposed_kabid(complaint) or staff(workflow.PIMPINAN, complaint.opd_id)
    return staff(role, complaint.opd_id)


def disposed_kabid(complaint: Complaint) -> list[User]:
    """The active Kabid of the bidang the complaint is disposed to.  When none
    has an account, the pimpinan who disposed it holds it (and must re-dispose)."""
    bidang = dispositions.bidang_ids(complaint)
    if not bidang:
        return []
    return [u for u in staff(workflow.KABID, complaint.opd_id) if u.bidang_id in bidang]


def staff_link(complaint: Complaint) -> str:
    return f"{config.get('BASE_URL')}/staf/aduan/{complaint.display_code}"


def due_text(complaint: Complaint) -> str:
    return deadlines.to_local(complaint.due_at).strftime("%d-%m-%Y %H:%M")


def reminder_time(complaint: Complaint, calendar: workdays.Calendar) -> datetime:
    """The start (naive UTC) of the working day before the due day; 24 hours for hour rules."""
    rule = deadlines.rule_of(complaint)
    if rule is not None and rule.unit == deadlines.HOURS:
        return complaint.due_at - timedelta(hours=24)
    day_before = calendar.previous(deadlines.to_local(complaint.due_at).date())
    return deadlines.to_utc_naive(datetime.combine(day_before, datetime.min.time(),
                                                   config.local_tz()))


def run(now: datetime | None = None) -> list[int]:
    """Create the reminders that are due; return the ids of new notifications."""
    now = now or clock.utcnow()
    calendar = workdays.current_calendar()
    created = []
    open_with_deadline = (Complaint.select()
                          .where(Complaint.status.in_(list(HOLDER_ROLE))
                                 & (Complaint.due_at > now)
                                 & (Complaint.due_stage != deadlines.REPORTER_REPLY)))
    for complaint in open_with_deadline:
        if now < reminder_time(complaint, calendar):
            continue
        stamp = complaint.due_at.strftime("%Y%m%d%H%M")
        subject = _("Pengingat: aduan %(code)s jatuh tempo %(due)s",
                    code=complaint.display_code, due=due_text(complaint))
        rule = deadlines.rule_of(complaint)
        body = _("Aduan \"%(title)s\" (%(status)s) harus ditangani sebelum %(due)s. Aturan: %(rule)s.",
                 title=complaint.title, status=complaint.status_label, due=due_text(complaint),
                 rule=rule.describe() if rule else "-")
        for user in holders(complaint):
            key = f"pengingat:{complaint.id}:{complaint.due_stage}:{stamp}:{user.id}"
            created += notifications.for_user(user, key, subject, body=body, kind="pengingat",
                                              complaint=complaint, link=staff_link(complaint))
    return created
