"""Background work of the complaints domain."""
import logging

from huey import crontab

from portal import schema
from portal.complaints.models import Complaint
from portal.db import database
from portal.tasks.app import huey

log = logging.getLogger("aduan.complaints")


@huey.task()
def complaint_received(complaint_id: int) -> str:
    """Log the arrival of a complaint on the worker, off the request path."""
    complaint = Complaint.get_by_id(complaint_id)
    log.info("complaint %s received via %s", complaint.code, complaint.channel)
    return complaint.code


@huey.periodic_task(crontab(minute="17", hour="2"))
@huey.lock_task("aduan-optimize")
def optimize_database() -> None:
    """Nightly: keep the planner's statistics in step with the growing tables."""
    schema.optimize(database.obj)
