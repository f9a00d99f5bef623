"""Background work of the statistics: one complaint after each of its
events, the overdue count every few minutes, everything once a night."""
from huey import crontab

from portal.statistics import facts
from portal.tasks.app import huey

# One writer at a time: two workers re-summing the same cell at once would
# both delete it and both insert it.  A locked run is retried shortly.
LOCK = "aduan-statistics"


@huey.task(retries=5, retry_delay=2)
@huey.lock_task(LOCK)
def refresh_complaint(complaint_id: int) -> None:
    facts.refresh_complaint(complaint_id)


@huey.periodic_task(crontab(minute="*/5"))
@huey.lock_task(LOCK)
def refresh_overdue() -> int:
    return facts.refresh_overdue()


@huey.periodic_task(crontab(hour="2", minute="30"))
@huey.lock_task(LOCK)
def rebuild_statistics() -> int:
    """Nightly, and on demand after the working-day calendar changed: facts
    derived under the old calendar counted other days."""
    return facts.rebuild_all()
