"""When time runs out: escalate overdue complaints, close unanswered ones,
and send each pimpinan the daily digest."""
from datetime import datetime, timedelta

from flask_babel import gettext as _
from peewee import JOIN, SQL, fn

from portal import clock
from portal.accounts.models import User
from portal.complaints import service as complaints, workflow
from portal.complaints.models import Complaint, TimelineEvent
from portal.db import database
from portal.deadlines import batch, sla as deadlines, workdays
from portal.deadlines.reminders import due_text, staff_link
from portal.directory.models import Opd

DIGEST_HOUR = 7  # local time; the digest goes out at the first run after this hour
CLOSE_BATCH = 500  # complaints closed per pass at most (see close_unanswered)


def _overdue(now):
    return (Complaint.status.in_(list(workflow.OPEN_STATUSES)) & (Complaint.due_at < now)
            & (Complaint.due_stage != deadlines.REPORTER_REPLY))


def run(now: datetime | None = None) -> list[int]:
    """Escalate overdue complaints: to the pimpinan, and at twice the limit to the city admin.

    Incremental: only complaints whose due date (level 0) or twice-the-limit
    moment (level 1) has passed and that were not escalated yet, each read
    through a partial index (migration 031); four queries and the
    notifications, however many complaints there are.  Idempotent: the level
    and the notification keys both say what was sent.
    """
    now = now or clock.utcnow()
    fresh = list(Complaint.select(Complaint, Opd)
                 .join(Opd, JOIN.LEFT_OUTER, on=(Complaint.opd == Opd.id))
                 .where(_overdue(now) & SQL("escalation_level = 0")))
    twice = list(Complaint.select(Complaint, Opd)
                 .join(Opd, JOIN.LEFT_OUTER, on=(Complaint.opd == Opd.id))
                 .where(_overdue(now) & SQL("escalation_level = 1")
                        & (Complaint.escalate_admin_at <= now)))
    if not fresh and not twice:
        return []
    staff_by = batch.active_staff()
    admins = staff_by.get((workflow.ADMIN, None), []) + [
        u for (role, opd), users in staff_by.items() if role == workflow.ADMIN and opd
        for u in users]
    items, levels = [], {1: [], 2: []}

    def send(users, key, subject, body, complaint):
        items.extend((u, f"{key}:{u.id}", subject, body, "eskalasi", complaint,
                      staff_link(complaint)) for u in users)

    for complaint, level in [(c, 0) for c in fresh] + [(c, 1) for c in twice]:
        stamp = complaint.due_at.strftime("%Y%m%d%H%M")
        key = f"eskalasi:{complaint.id}:{complaint.due_stage}:{stamp}"
        body = _("Aduan \"%(title)s\" (%(status)s) melewati batas waktu %(due)s.",
                 title=complaint.title, status=complaint.status_label, due=due_text(complaint))
        if complaint.due_stage == deadlines.VERIFICATION or not complaint.opd_id:
            # Verification is the admin's own stage: there is no one above.
            send(admins, f"{key}:1", _("Terlambat: aduan %(code)s", code=complaint.display_code),
                 body, complaint)
            levels[2].append(complaint.id)
            continue
        if level == 0:
            send(staff_by.get((workflow.PIMPINAN, complaint.opd_id), []), f"{key}:1",
                 _("Terlambat: aduan %(code)s", code=complaint.display_code), body, complaint)
        if complaint.escalate_admin_at and now >= complaint.escalate_admin_at:
            send(admins, f"{key}:2", _("Terlambat dua kali batas: aduan %(code)s (%(opd)s)",
                                      code=complaint.display_code, opd=complaint.opd.code),
                 body, complaint)
            levels[2].append(complaint.id)
        else:
            levels[1].append(complaint.id)
    with database.atomic():
        created = batch.notify(items)
        for level, ids in levels.items():
            batch.mark(ids, escalation_level=level)
    return created


def close_unanswered(now: datetime | None = None) -> list[str]:
    """Close complaints whose reporter did not answer within the reply window.

    Each closing is a workflow transition with its own event (the state
    machine is never bypassed), so the work is per complaint; the candidates
    come from the (status, due date) index, oldest first, at most
    CLOSE_BATCH per pass so one pass stays short and the next one continues.
    """
    now = now or clock.utcnow()
    closed = []
    waiting = (Complaint.select()
               .where((Complaint.status == workflow.SELESAI)
                      & (Complaint.due_at <= now)
                      & (Complaint.due_stage == deadlines.REPORTER_REPLY))
               .order_by(Complaint.due_at).limit(CLOSE_BATCH))
    for complaint in waiting:
        try:
            complaints.perform(complaint, "tutup", role=workflow.SYSTEM, actor="Sistem",
                               text=_("Ditutup otomatis: tidak ada balasan pelapor dalam batas waktu."))
        except workflow.TransitionRefused:
            continue  # someone acted on it meanwhile
        closed.append(complaint.code)
    return closed


def digest(now: datetime | None = None) -> list[int]:
    """Each pimpinan's morning summary: new, overdue, waiting for a budget.

    Three grouped counts for every OPD at once (new: the last day's events;
    overdue: the covering (status, due date) index; waiting: the tally of
    migration 030), then the notifications: the same queries for 3 OPDs or 300.
    """
    now = now or clock.utcnow()
    local = deadlines.to_local(now)
    if local.hour < DIGEST_HOUR or not workdays.current_calendar().is_working_day(local.date()):
        return []
    pimpinan = list(staff_all_pimpinan().select(User, Opd).join(Opd))
    if not pimpinan:
        return []
    new = dict(Complaint.select(Complaint.opd, fn.COUNT(fn.DISTINCT(Complaint.id)))
               .join(TimelineEvent, on=(TimelineEvent.complaint == Complaint.id))
               .where((TimelineEvent.status_after == workflow.DITERUSKAN)
                      & (TimelineEvent.created_at >= now - timedelta(days=1)))
               .group_by(Complaint.opd).tuples())
    overdue = dict(Complaint.select(Complaint.opd, fn.COUNT(Complaint.id))
                   .where(_overdue(now) & Complaint.opd.is_null(False))
                   .group_by(Complaint.opd).tuples())
    waiting = dict(database.execute_sql(
        "SELECT opd_id, SUM(n) FROM complaint_tally WHERE status = "
        f"{database.obj.param} GROUP BY opd_id", (workflow.MENUNGGU_ANGGARAN,)).fetchall())
    items = []
    for user in pimpinan:
        subject = _("Ringkasan aduan %(opd)s, %(day)s", opd=user.opd.code,
                    day=local.strftime("%d-%m-%Y"))
        body = _("Baru masuk 24 jam terakhir: %(new)d\nTerlambat: %(overdue)d\n"
                 "Menunggu anggaran: %(waiting)d", new=new.get(user.opd_id, 0),
                 overdue=overdue.get(user.opd_id, 0), waiting=int(waiting.get(user.opd_id) or 0))
        items.append((user, f"ringkasan:{user.id}:{local.date().isoformat()}", subject, body,
                      "ringkasan", None, ""))
    return batch.notify(items)


def staff_all_pimpinan():
    return (User.select().where((User.role == workflow.PIMPINAN) & User.active
                                & User.opd.is_null(False)).order_by(User.id))
