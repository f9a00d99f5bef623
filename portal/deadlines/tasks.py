"""The periodic work of deadlines: reminders, escalation, the digest and
queue-opening checks.  Each runs under a lock so a slow run is never
overlapped by the next one."""
from huey import crontab

from portal.deadlines import escalation, opening_hours, reminders, sla as deadlines
from portal.notifications.tasks import deliver_all
from portal.tasks.app import huey


@huey.periodic_task(crontab(minute="*/15"))
@huey.lock_task("aduan-reminders")
def send_reminders() -> int:
    ids = reminders.run()
    deliver_all(ids)
    return len(ids)


@huey.periodic_task(crontab(minute="*/15"))
@huey.lock_task("aduan-escalation")
def escalate() -> int:
    escalation.close_unanswered()
    ids = escalation.run()
    deliver_all(ids)
    return len(ids)


@huey.periodic_task(crontab(minute="5"))
@huey.lock_task("aduan-digest")
def send_digest() -> int:
    ids = escalation.digest()
    deliver_all(ids)
    return len(ids)


@huey.periodic_task(crontab(minute="*/5"))
@huey.lock_task("aduan-opening-hours")
def check_opening_hours() -> int:
    ids = opening_hours.check()
    deliver_all(ids)
    return len(ids)


@huey.task()
def recompute_deadlines() -> int:
    """After the SLA policy or the calendar changed.  No lock: a run skipped
    because another holds it could miss the latest change; running twice is
    harmless."""
    return deadlines.recompute_open()
