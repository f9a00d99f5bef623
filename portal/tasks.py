"""Background tasks.  Each opens the database itself: the worker has no Flask."""
import logging

from .db import database
from .queue import huey

log = logging.getLogger("aduan.tasks")


def _ensure_database():
    # The web app initialises the proxy in create_app; the worker in
    # portal.worker.  Either way a task must hold a connection of its own.
    database.connect(reuse_if_open=True)


@huey.task()
def complaint_received(complaint_id: int) -> str:
    """Log the arrival of a complaint on the worker, off the request path."""
    from .models import Complaint

    _ensure_database()
    complaint = Complaint.get_by_id(complaint_id)
    log.info("complaint %s received via %s", complaint.code, complaint.channel)
    return complaint.code


# The sync engine's tasks live with the engine; importing them here is what
# makes the consumer know them.
from .sync import tasks as sync_tasks  # noqa: E402,F401


# Deadlines, reminders, escalation and notifications.  Periodic tasks run
# under a lock so a slow run is never overlapped by the next one.  SqliteHuey
# locks cannot expire, so start the consumer with --flush-locks (-f): a lock
# left by a killed worker is cleared on restart.
from huey import crontab  # noqa: E402


VISIBILITY_CHECKS = 5


@huey.task()
def deliver_notification(notification_id: int, check: int = 0) -> str | None:
    """Deliver one notification.

    It is enqueued inside the transaction that creates it, so the worker may
    look before the commit: look again a few times, a second apart.  A row
    that never appears was rolled back; the periodic sweep covers the rest.
    """
    from .notifications import Notification, deliver

    _ensure_database()
    if not Notification.select().where(Notification.id == notification_id).exists():
        if check + 1 < VISIBILITY_CHECKS:
            deliver_notification.schedule((notification_id, check + 1), delay=1)
        return None
    return deliver(notification_id)


def deliver_all(notification_ids) -> None:
    for notification_id in notification_ids:
        deliver_notification(notification_id)


@huey.periodic_task(crontab(minute="*"))
@huey.lock_task("aduan-deliver-pending")
def deliver_pending() -> int:
    """Deliver what a lost task or a killed worker left undelivered."""
    from .notifications import deliver, undelivered_ids

    _ensure_database()
    ids = undelivered_ids()
    for notification_id in ids:
        deliver(notification_id)
    return len(ids)


@huey.on_startup()
def _deliver_leftovers():
    deliver_pending()


@huey.periodic_task(crontab(minute="*/15"))
@huey.lock_task("aduan-reminders")
def send_reminders() -> int:
    from . import reminders

    _ensure_database()
    ids = reminders.run()
    deliver_all(ids)
    return len(ids)


@huey.periodic_task(crontab(minute="*/15"))
@huey.lock_task("aduan-escalation")
def escalate() -> int:
    from . import escalation

    _ensure_database()
    escalation.close_unanswered()
    ids = escalation.run()
    deliver_all(ids)
    return len(ids)


@huey.periodic_task(crontab(minute="5"))
@huey.lock_task("aduan-digest")
def send_digest() -> int:
    from . import escalation

    _ensure_database()
    ids = escalation.digest()
    deliver_all(ids)
    return len(ids)


@huey.periodic_task(crontab(minute="*/5"))
@huey.lock_task("aduan-opening-hours")
def check_opening_hours() -> int:
    from . import opening_hours

    _ensure_database()
    ids = opening_hours.check()
    deliver_all(ids)
    return len(ids)


@huey.task()
def recompute_deadlines() -> int:
    """After the SLA policy or the calendar changed.  No lock: a run skipped
    because another holds it could miss the latest change; running twice is
    harmless."""
    from . import deadlines

    _ensure_database()
    return deadlines.recompute_open()
