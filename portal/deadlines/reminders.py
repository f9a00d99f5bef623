"""Reminders: one working day before a deadline, tell whoever holds the complaint."""
from datetime import datetime, timedelta

from flask_babel import gettext as _
from peewee import SQL

from portal import clock, config
from portal.accounts.models import User
from portal.complaints import dispositions, workflow
from portal.complaints.models import Complaint
from portal.db import database
from portal.deadlines import batch, sla as deadlines, workdays

# How far before its due date a reminder can fall: the working day before,
# after the longest run of days off (Lebaran with its cuti bersama); 24 hours
# for hour rules.  Complaints due later are not read at all.
LOOKAHEAD = timedelta(days=21)

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


def reminder_time(complaint: Complaint, calendar: workdays.Calendar,
                  rules: dict | None = None) -> datetime:
    """The start (naive UTC) of the working day before the due day; 24 hours for hour rules."""
    rule = deadlines.rule_of(complaint, rules)
    if rule is not None and rule.unit == deadlines.HOURS:
        return complaint.due_at - timedelta(hours=24)
    day_before = calendar.previous(deadlines.to_local(complaint.due_at).date())
    return deadlines.to_utc_naive(datetime.combine(day_before, datetime.min.time(),
                                                   config.local_tz()))


def run(now: datetime | None = None) -> list[int]:
    """Create the reminders that are due; return the ids of new notifications.

    Incremental: only complaints not reminded for their current due date,
    due within LOOKAHEAD (a partial index, migration 031); the rules, the
    staff and the dispositions are read once per pass, not per complaint.
    Idempotent: `reminder_sent` and the notification keys.
    """
    now = now or clock.utcnow()
    calendar = workdays.current_calendar()
    candidates = list(Complaint.select()
                      .where(Complaint.status.in_(list(HOLDER_ROLE))
                             & (Complaint.due_at > now) & (Complaint.due_at <= now + LOOKAHEAD)
                             & SQL("NOT reminder_sent")  # literal: the partial index
                             & (Complaint.due_stage != deadlines.REPORTER_REPLY)))
    if not candidates:
        return []
    rules = deadlines.rules_by_id()
    ripe = [c for c in candidates if now >= reminder_time(c, calendar, rules)]
    if not ripe:
        return []
    staff_by = batch.active_staff()
    disposed = dispositions.bidang_by_complaint([c.id for c in ripe if c.status == workflow.DIDISPOSISI])
    items = []
    for complaint in ripe:
        stamp = complaint.due_at.strftime("%Y%m%d%H%M")
        subject = _("Pengingat: aduan %(code)s jatuh tempo %(due)s",
                    code=complaint.display_code, due=due_text(complaint))
        rule = deadlines.rule_of(complaint, rules)
        body = _("Aduan \"%(title)s\" (%(status)s) harus ditangani sebelum %(due)s. Aturan: %(rule)s.",
                 title=complaint.title, status=complaint.status_label, due=due_text(complaint),
                 rule=rule.describe() if rule else "-")
        for user in _holders(complaint, staff_by, disposed.get(complaint.id, set())):
            key = f"pengingat:{complaint.id}:{complaint.due_stage}:{stamp}:{user.id}"
            items.append((user, key, subject, body, "pengingat", complaint, staff_link(complaint)))
    with database.atomic():
        created = batch.notify(items)
        batch.mark([c.id for c in ripe], reminder_sent=True)
    return created


def _holders(complaint: Complaint, staff_by: dict, bidang: set) -> list[User]:
    """`holders` from what the pass loaded at once."""
    role = HOLDER_ROLE.get(complaint.status)
    if role is None or (role != workflow.ADMIN and not complaint.opd_id):
        return []
    if role == workflow.ADMIN:
        return [u for (r, _opd), users in staff_by.items() if r == role for u in users]
    if role == workflow.KABID:
        kabid = [u for u in staff_by.get((role, complaint.opd_id), []) if u.bidang_id in bidang]
        return kabid or staff_by.get((workflow.PIMPINAN, complaint.opd_id), [])
    return staff_by.get((role, complaint.opd_id), [])
