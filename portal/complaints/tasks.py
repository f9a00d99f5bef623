"""Background work of the complaints domain."""
import logging

from portal.complaints.models import Complaint
from portal.tasks.app import huey

log = logging.getLogger("aduan.complaints")


@huey.task()
def complaint_received(complaint_id: int) -> str:
    """Log the arrival of a complaint on the worker, off the request path."""
    complaint = Complaint.get_by_id(complaint_id)
    log.info("complaint %s received via %s", complaint.code, complaint.channel)
    return complaint.code
