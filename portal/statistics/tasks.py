"""Background work of the statistics: the complaints marked by their events
every minute, the overdue count every five, everything once a night."""
from huey import crontab

from portal.statistics import facts
from portal.tasks.app import huey

# One writer at a time: two workers re-summing the same rows at once would
# both delete them and both insert them.
LOCK = "aduan-statistics"


@huey.periodic_task(crontab(minute="*"))
@huey.lock_task(LOCK)
def refresh_marked() -> int:
    return facts.refresh_dirty()


@huey.periodic_task(crontab(minute="*/5"))
@huey.lock_task(LOCK)
def refresh_overdue() -> int:
    return facts.refresh_overdue()


@huey.periodic_task(crontab(hour="2", minute="30"))
@huey.lock_task(LOCK)
def rebuild_statistics() -> int:
    """Nightly (and `flask statistik rebuild` on demand): facts derived under
    an older working-day calendar counted other days."""
    return facts.rebuild_all()
