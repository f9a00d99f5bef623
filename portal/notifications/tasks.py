"""Delivering notifications in the background."""
from huey import crontab

from portal.notifications import service as notifications
from portal.tasks.app import enqueue, huey


@huey.task()
def deliver_notification(notification_id: int) -> str | None:
    """Deliver one notification (enqueued after the commit that created it)."""
    return notifications.deliver(notification_id)


def deliver_all(notification_ids) -> None:
    """Deliver each notification once the current transaction commits."""
    for notification_id in notification_ids:
        enqueue(deliver_notification, notification_id)


@huey.periodic_task(crontab(minute="*"))
@huey.lock_task("aduan-deliver-pending")
def deliver_pending() -> int:
    """Deliver what a lost task or a killed worker left undelivered."""
    ids = notifications.undelivered_ids()
    for notification_id in ids:
        notifications.deliver(notification_id)
    return len(ids)


@huey.periodic_task(crontab(minute="*"))
@huey.lock_task("aduan-release-held")
def release_held() -> int:
    """Send the digests of notices that waited for quiet hours or a batch."""
    from portal.notifications import batching

    ids = batching.release_due()
    for notification_id in ids:
        notifications.deliver(notification_id)
    return len(ids)


@huey.on_startup()
def _deliver_leftovers():
    deliver_pending()
