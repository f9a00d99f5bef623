"""Indonesian working days (hari kerja, HK).

A day is a working day unless it is a Saturday or Sunday, a national holiday
or cuti bersama (from the `holidays` package), or a day an admin added in the
portal (regional holidays, a late Keppres).  An admin can also restore a day
the package lists, when a decree moves a holiday.

The calendar functions are pure: they take the admin's extra days off and
restored days as sets, so they are tested on real dates without a database.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import holidays
from peewee import BooleanField, CharField, DateField, DateTimeField

from portal import clock
from portal.db import BaseModel

COUNTRY = "ID"
# Without "government" the cuti bersama (joint leave days) are missed.
CATEGORIES = ("public", "government")
SATURDAY = 5


@lru_cache(maxsize=64)
def national_holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays(COUNTRY, years=year, categories=CATEGORIES))


@dataclass(frozen=True)
class Calendar:
    """The working-day calendar with the admin's changes applied."""

    extra_off: frozenset = field(default_factory=frozenset)
    restored: frozenset = field(default_factory=frozenset)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_off:
            return False
        if day.weekday() >= SATURDAY:
            return False
        return day in self.restored or day not in national_holidays(day.year)

    def add(self, start: date, n: int) -> date:
        """The date `n` working days after `start` (start itself not counted)."""
        if n < 0:
            raise ValueError("n must not be negative")
        day = start
        while n:
            day += timedelta(days=1)
            if self.is_working_day(day):
                n -= 1
        return day

    def count(self, start: date, end: date) -> int:
        """Working days d with start < d <= end, so count(s, add(s, n)) == n."""
        total = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            total += self.is_working_day(day)
        return total

    def previous(self, day: date) -> date:
        """The last working day before `day`."""
        day -= timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def reason_off(self, day: date) -> str | None:
        """Why `day` is not a working day, or None if it is one."""
        if self.is_working_day(day):
            return None
        if day in self.extra_off:
            return "extra"
        if day.weekday() >= SATURDAY:
            return "weekend"
        return national_holidays(day.year)[day]


def add_working_days(start: date, n: int, extra_off=frozenset(), restored=frozenset()) -> date:
    return Calendar(frozenset(extra_off), frozenset(restored)).add(start, n)


def count_working_days(start: date, end: date, extra_off=frozenset(), restored=frozenset()) -> int:
    return Calendar(frozenset(extra_off), frozenset(restored)).count(start, end)


class DayOff(BaseModel):
    """An admin's change to the calendar: an extra day off, or a restored working day."""

    day = DateField(unique=True)
    off = BooleanField(default=True)  # False: a listed holiday is a working day after all
    note = CharField(max_length=200, default="")
    created_at = DateTimeField(default=clock.utcnow)

    class Meta:
        table_name = "day_off"


def current_calendar() -> Calendar:
    """The calendar with the admin's changes from the database."""
    extra, restored = set(), set()
    for row in DayOff.select():
        (extra if row.off else restored).add(row.day)
    return Calendar(frozenset(extra), frozenset(restored))
