"""The Huey instance, how it is configured, and how work is handed to it.

The instance exists from import so that `@huey.task()` can decorate the task
functions, but it stores nothing until `configure` gives it its storage: the
web app calls it from `create_app`, the consumer from `portal.tasks.consumer`,
both with the same settings, so the two always talk to the same queue.
SqliteHuey in the instance folder by default, so a city needs no extra
server; `HUEY_URL=redis://...` for Redis.
"""
import logging
from pathlib import Path

from huey import Huey
from huey.storage import BlackHoleStorage, RedisStorage, SqliteStorage

from portal.db import database

log = logging.getLogger("aduan.tasks")


class UnconfiguredStorage(BlackHoleStorage):
    """Refuses work until `configure` ran: a task must never vanish silently."""

    def enqueue(self, data, priority=None):
        raise RuntimeError("the task queue is not configured: call portal.tasks.app.configure")

    add_to_schedule = enqueue


huey = Huey("aduan", storage_class=UnconfiguredStorage)


def storage_for(url: str | None, instance: str) -> tuple[type, dict]:
    """The storage class and its arguments for HUEY_URL (None: SQLite file)."""
    if url and url.startswith("redis"):
        return RedisStorage, {"url": url}
    filename = url.removeprefix("sqlite:///") if url else str(Path(instance) / "huey.db")
    Path(filename).parent.mkdir(parents=True, exist_ok=True)
    return SqliteStorage, {"filename": filename}


def configure(settings) -> Huey:
    """Point the one Huey instance at the queue named by the settings."""
    huey.storage_class, huey.storage_kwargs = storage_for(
        settings.get("HUEY_URL"), settings["INSTANCE_PATH"])
    huey.storage = huey.create_storage()
    return huey


def make_huey(url: str | None, instance: str) -> Huey:
    """A separate Huey on the same storage (tests and scripts inspect the queue with it)."""
    storage_class, kwargs = storage_for(url, instance)
    return Huey("aduan", storage_class=storage_class, **kwargs)


def enqueue(task, *args, **kwargs) -> None:
    """Hand `task(*args, **kwargs)` to the worker once the current transaction commits.

    Why: a task sent from inside a transaction can run before the commit and
    find nothing, or run for a change that is then rolled back.  Outside a
    transaction it goes at once.  A queue that cannot be reached is logged,
    not raised: the data is committed, and the periodic sweeps pick it up.
    """
    def send():
        try:
            task(*args, **kwargs)
        except Exception:  # noqa: BLE001 - the commit stands; the sweeps retry
            log.exception("could not enqueue %s", getattr(task, "name", task))

    database.after_commit(send)


def check_queue() -> None:
    """Raise if the queue's storage cannot be reached."""
    huey.pending_count()
