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
