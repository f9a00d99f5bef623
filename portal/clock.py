"""The one clock every deadline, task and timestamp reads.

Tests replace it with `freeze` instead of sleeping.  A separate process (the
Huey consumer started by a test) cannot be patched, so it honours the
environment variable ADUAN_FAKE_NOW (an ISO datetime with offset, e.g.
2026-03-20T09:00:00+07:00): a TEST HOOK only, never set it in production.
"""
import os
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

FAKE_NOW_ENV = "ADUAN_FAKE_NOW"

_frozen: datetime | None = None


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("the clock needs a timezone-aware datetime")
    return value.astimezone(timezone.utc)


def now() -> datetime:
    """The current moment, timezone-aware in UTC."""
    if _frozen is not None:
        return _frozen
    fake = os.environ.get(FAKE_NOW_ENV)
    if fake:
        return _aware(datetime.fromisoformat(fake))
    return datetime.now(timezone.utc)


def utcnow() -> datetime:
    """Now as stored in the database: naive UTC."""
    return now().replace(tzinfo=None)


def wall_utcnow() -> datetime:
    """The real time, naive UTC, never faked: for delivery leases, which
    must expire even while a test holds the business clock still."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


@contextmanager
def freeze(moment: datetime):
    """Make `now()` return `moment` until the block ends (tests)."""
    global _frozen
    previous, _frozen = _frozen, _aware(moment)
    try:
        yield
    finally:
        _frozen = previous


def advance(delta: timedelta) -> None:
    """Move a frozen clock forward (tests)."""
    global _frozen
    if _frozen is None:
        raise RuntimeError("advance() needs a frozen clock")
    _frozen = _frozen + delta
