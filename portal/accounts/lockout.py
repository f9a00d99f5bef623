"""Slowing password guessing down without locking the owner out.

Two counters, both in the database, so they survive a restart and are
shared by every web process and host:

* Per account, whatever the address: after FREE_FAILURES failures in a row
  each further attempt must wait a delay that doubles per failure, up to
  a cap.  Attempts made during the delay are refused before the password is
  checked and are not counted.  A guesser spread over any number of
  addresses thus gets one try per delay, while the owner is never kept out
  for longer than the cap: the right password works once the delay is over.
  (A hard lock would hand an attacker a way to keep the admin out.)
* Per client address, whatever the account: after ADDRESS_FAILURES within
  ADDRESS_WINDOW the address is refused until the window has passed.  The
  limit is generous because a whole office may share one address; behind a
  reverse proxy the address is the client's only when TRUSTED_PROXIES is set.

Unknown usernames are counted like known ones, so a refusal says nothing
about which accounts exist.  Rows of the two kinds share one table: an
account row has an empty address, an address row an empty username.
"""
import math
from datetime import timedelta

from peewee import CharField, DateTimeField, IntegerField

from portal import config
from portal.clock import utcnow
from portal.db import BaseModel, database

FREE_FAILURES = 5
DELAY_BASE_SECONDS = 1
DELAY_CAP_SECONDS = 60
ADDRESS_FAILURES = 50
ADDRESS_WINDOW = timedelta(minutes=15)


class LoginFailure(BaseModel):
    username = CharField(max_length=64)
    address = CharField(max_length=64)
    count = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_failed_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "login_failure"
        indexes = ((("username", "address"), True),)


def _account(username: str) -> tuple[str, str]:
    return username.strip().lower()[:64], ""


def _address(address: str | None) -> tuple[str, str]:
    return "", (address or "?")[:64]


def _row(key):
    return LoginFailure.get_or_none((LoginFailure.username == key[0])
                                    & (LoginFailure.address == key[1]))


def delay_for(count: int) -> int:
    """Seconds an account waits after its `count`-th failure in a row."""
    if count < FREE_FAILURES:
        return 0
    cap = int(config.get("LOGIN_DELAY_CAP_SECONDS") or DELAY_CAP_SECONDS)
    return min(cap, DELAY_BASE_SECONDS * 2 ** min(count - FREE_FAILURES, 30))


def seconds_to_wait(username: str, address: str | None) -> int:
    """Seconds before this account may be tried from this address (0: now)."""
    now = utcnow()
    waits = [0]
    for key in (_account(username), _address(address)):
        row = _row(key)
        if row is not None and row.locked_until is not None and row.locked_until > now:
            waits.append(math.ceil((row.locked_until - now).total_seconds()))
    return max(waits)


def _bump(key, now):
    """count + 1 in one statement, so parallel failures are all counted."""
    with database.atomic():
        updated = (LoginFailure.update(count=LoginFailure.count + 1, last_failed_at=now)
                   .where((LoginFailure.username == key[0]) & (LoginFailure.address == key[1]))
                   .execute())
        if not updated:
            LoginFailure.insert(username=key[0], address=key[1], count=1,
                                last_failed_at=now).on_conflict(
                conflict_target=[LoginFailure.username, LoginFailure.address],
                update={LoginFailure.count: LoginFailure.count + 1}).execute()
    return _row(key)


def record_failure(username: str, address: str | None) -> None:
    now = utcnow()
    account = _bump(_account(username), now)
    wait = delay_for(account.count)
    if wait:
        LoginFailure.update(locked_until=now + timedelta(seconds=wait)).where(
            LoginFailure.id == account.id).execute()
    key = _address(address)
    # The address window starts again once it has been quiet for a window.
    LoginFailure.update(count=0, locked_until=None).where(
        (LoginFailure.username == key[0]) & (LoginFailure.address == key[1])
        & (LoginFailure.last_failed_at < now - ADDRESS_WINDOW)).execute()
    row = _bump(key, now)
    limit = int(config.get("LOGIN_ADDRESS_FAILURES") or ADDRESS_FAILURES)
    if row.count >= limit:
        LoginFailure.update(locked_until=now + ADDRESS_WINDOW).where(
            LoginFailure.id == row.id).execute()


def clear(username: str, address: str | None) -> None:
    """A success proves the owner: the account starts again from zero.  The
    address keeps its count, or one valid account would reset it between
    guesses at others."""
    name, addr = _account(username)
    LoginFailure.delete().where((LoginFailure.username == name)
                                & (LoginFailure.address == addr)).execute()
