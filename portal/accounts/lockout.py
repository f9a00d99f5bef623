"""Refusing logins after repeated failures.

Failures are counted per (username, client address) in the database, so
the count survives a restart and is shared by every worker process.  After
MAX_FAILURES the pair is refused for LOCK_MINUTES; a success clears it.
Unknown usernames are counted too, so the refusal says nothing about which
accounts exist.
"""
import math
from datetime import timedelta

from peewee import CharField, DateTimeField, IntegerField

from portal.db import BaseModel, database
from portal.clock import utcnow

MAX_FAILURES = 5
LOCK_MINUTES = 15


class LoginFailure(BaseModel):
    username = CharField(max_length=64)
    address = CharField(max_length=64)
    count = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_failed_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "login_failure"
        indexes = ((("username", "address"), True),)


def _key(username: str, address: str | None):
    return username.strip().lower()[:64], (address or "?")[:64]


def minutes_locked(username: str, address: str | None) -> int:
    """Minutes until this pair may try again (0: not locked)."""
    name, addr = _key(username, address)
    row = LoginFailure.get_or_none((LoginFailure.username == name) & (LoginFailure.address == addr))
    now = utcnow()
    if row is None or row.locked_until is None or row.locked_until <= now:
        return 0
    return max(1, math.ceil((row.locked_until - now).total_seconds() / 60))


def record_failure(username: str, address: str | None) -> None:
    name, addr = _key(username, address)
    now = utcnow()
    with database.atomic():
        row, _created = LoginFailure.get_or_create(username=name, address=addr)
        if row.locked_until is not None and row.locked_until <= now:
            row.count, row.locked_until = 0, None  # the lock ran out: a fresh start
        row.count += 1
        row.last_failed_at = now
        if row.count >= MAX_FAILURES:
            row.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        row.save()


def clear(username: str, address: str | None) -> None:
    name, addr = _key(username, address)
    LoginFailure.delete().where((LoginFailure.username == name)
                                & (LoginFailure.address == addr)).execute()
