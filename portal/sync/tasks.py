"""Huey tasks of the sync engine: the periodic pull, outbox delivery and the
pull of one item a webhook announced.  Imported by `portal.tasks.consumer`
so the consumer knows them."""
import logging

from huey import crontab

from portal.sync import config as sync_config, engine, leases
from portal.sync.duplicates import find_duplicates_task  # noqa: F401 - the consumer learns it
from portal.sync.outbox import deliver_due_task
from portal.tasks.app import huey

log = logging.getLogger("aduan.sync")


@huey.periodic_task(crontab(minute="*"))
def sync_tick():
    """Every minute: start the pulls that are due, deliver the outbox."""
    for name, (_info, config) in sync_config.active_connectors().items():
        if engine.due_for_pull(name, float(config["interval"])):
            pull_task(name)
    deliver_due_task()


@huey.task()
def pull_task(name: str, external_id: str | None = None) -> str:
    """One pass for a connector (or one item), never two at once for the same.

    A leased lock, not huey's lock_task: that one never expires, so a worker
    killed mid-pull stopped the connector's sync until someone noticed."""
    lock = f"sync-pull-{name}" + (f"-{external_id}" if external_id else "")
    with leases.held(lock) as mine:
        if not mine:
            log.info("pull of %s already running; skipped", name)
            return "locked"
        run = engine.run_pass(name, push=external_id is None, external_id=external_id)
    return run.error or "ok"
