"""Strict parsing of what arrives from outside: one implementation for the
web forms, the queue filters and anything else that turns text into a
number or an address.  No Flask here: domain packages use it too.

`str.isdigit()` and `int()` are too lenient for input: "²".isdigit() is
True (then int() fails), int("٣") is 3, int("1_000") is 1000, and a
20-digit number overflows SQLite and PostgreSQL integer columns (a 500
instead of a message).  Only ASCII digits within the column's range pass.
"""
import re

from portal.contact import EMAIL, PHONE

# PostgreSQL's serial (peewee's AutoField) is a 4-byte integer.
MAX_ID = 2**31 - 1
MAX_BIGINT = 2**63 - 1

_INTEGER = re.compile(r"-?[0-9]{1,19}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_int(value, low: int = -MAX_BIGINT, high: int = MAX_BIGINT) -> int | None:
    """`value` as an integer in [low, high], or None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not _INTEGER.fullmatch(text):
            return None
        number = int(text)
    return number if low <= number <= high else None


def parse_id(value) -> int | None:
    """A database row id (1 .. MAX_ID), or None."""
    return parse_int(value, 1, MAX_ID)


def strip_control(value: str) -> str:
    """Without control characters: NUL breaks PostgreSQL text, the rest helps nobody."""
    return _CONTROL.sub("", value)


def is_email(value: str) -> bool:
    return bool(value) and len(value) <= 200 and bool(EMAIL.match(value))


def is_phone(value: str) -> bool:
    return bool(value) and bool(PHONE.match(value))
