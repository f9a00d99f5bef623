"""Locks that expire: one pull per connector at a time, even across a crash.

Huey's `lock_task` never expires, and a lock named at run time is not cleared
by `--flush-locks`, so a worker killed mid-pull stopped that connector's sync
for good.  A lease has an owner and an expiry instead: the holder renews it
while it works (a heartbeat thread), and a lease whose holder died runs out
by itself.  On Redis (when HUEY_URL is Redis) a lease is `SET NX PX`; on
anything else a row in `sync_lease`, which works on SQLite and PostgreSQL.
"""
import contextlib
import logging
import os
import socket
import threading
import uuid
from datetime import timedelta

from peewee import IntegrityError

from portal.clock import wall_utcnow
from portal.db import database
from portal.sync import config as sync_config
from portal.sync.models import Lease

log = logging.getLogger("aduan.sync")

# Compare-and-act scripts: only the owner renews or releases its lease.
_RENEW = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
          "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end")
_RELEASE = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
            "return redis.call('del', KEYS[1]) else return 0 end")
REDIS_PREFIX = "aduan:lease:"


def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class DatabaseLeases:
    """Leases as rows; an expired row is deleted by the next one to ask."""

    def acquire(self, name: str, owner: str, seconds: float) -> bool:
        now = wall_utcnow()
        with database.atomic():
            Lease.delete().where((Lease.name == name) & (Lease.expires_at <= now)).execute()
        try:
            with database.atomic():
                Lease.create(name=name, owner=owner, acquired_at=now,
                             expires_at=now + timedelta(seconds=seconds))
        except IntegrityError:
            return False
        return True

    def renew(self, name: str, owner: str, seconds: float) -> bool:
        expires = wall_utcnow() + timedelta(seconds=seconds)
        return (Lease.update(expires_at=expires)
                .where((Lease.name == name) & (Lease.owner == owner)).execute()) == 1

    def release(self, name: str, owner: str) -> None:
        Lease.delete().where((Lease.name == name) & (Lease.owner == owner)).execute()

    def holder(self, name: str):
        row = Lease.get_or_none((Lease.name == name) & (Lease.expires_at > wall_utcnow()))
        return (row.owner, row.expires_at) if row else None


class RedisLeases:
    def __init__(self, url: str):
        import redis

        self.client = redis.Redis.from_url(url)

    def acquire(self, name: str, owner: str, seconds: float) -> bool:
        return bool(self.client.set(REDIS_PREFIX + name, owner, nx=True,
                                    px=max(1, int(seconds * 1000))))

    def renew(self, name: str, owner: str, seconds: float) -> bool:
        return bool(self.client.eval(_RENEW, 1, REDIS_PREFIX + name, owner,
                                     max(1, int(seconds * 1000))))

    def release(self, name: str, owner: str) -> None:
        self.client.eval(_RELEASE, 1, REDIS_PREFIX + name, owner)

    def holder(self, name: str):
        owner = self.client.get(REDIS_PREFIX + name)
        if owner is None:
            return None
        ttl = self.client.pttl(REDIS_PREFIX + name)
        return owner.decode(), wall_utcnow() + timedelta(milliseconds=max(ttl, 0))


def backend(source=None):
    url = sync_config.engine_setting("HUEY_URL", source)
    if url and str(url).startswith("redis"):
        return RedisLeases(url)
    return DatabaseLeases()


def lease_seconds(source=None) -> float:
    return float(sync_config.engine_setting("SYNC_LOCK_LEASE", source))


@contextlib.contextmanager
def held(name: str, source=None, seconds: float | None = None):
    """Yield True while this worker holds the lease `name`, False when another
    live worker holds it.  The lease is renewed every third of its length
    while the block runs, and released at its end."""
    store = backend(source)
    seconds = lease_seconds(source) if seconds is None else seconds
    owner = new_owner()
    if not store.acquire(name, owner, seconds):
        yield False
        return
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(store, name, owner, seconds, stop),
                            name=f"lease-{name}", daemon=True)
    beat.start()
    try:
        yield True
    finally:
        stop.set()
        beat.join(timeout=seconds)
        store.release(name, owner)


def _heartbeat(store, name: str, owner: str, seconds: float, stop: threading.Event) -> None:
    uses_db = isinstance(store, DatabaseLeases)
    try:
        while not stop.wait(seconds / 3):
            try:
                if uses_db:
                    database.connect(reuse_if_open=True)
                if not store.renew(name, owner, seconds):
                    log.warning("lease %s was lost to another worker", name)
                    return
            except Exception:  # noqa: BLE001 - a missed beat only shortens the lease
                log.exception("could not renew lease %s", name)
    finally:
        if uses_db and not database.is_closed():
            database.close()
