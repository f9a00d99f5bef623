"""On time per step and queue-opening punctuality, as SQL over the facts.

Each figure is a sum of CASE expressions over `StatFact` (see
`portal.statistics.stages`), so the dashboard groups them per OPD, month,
category or status in one query, whatever the number of complaints.
"""
from dataclasses import dataclass, field
from datetime import datetime

from peewee import Case, fn

from portal.statistics.figures import percentile
from portal.statistics.models import StatFact
from portal.statistics.stages import COLUMNS, STAGES


def count_if(condition):
    return fn.COALESCE(fn.SUM(Case(None, [(condition, 1)], 0)), 0)


def _counted(due, done, now: datetime):
    """A step is judged once done, or once its due moment passed undone."""
    return due.is_null(False) & (done.is_null(False) | (due < now))


def _on_time(due, done):
    return due.is_null(False) & done.is_null(False) & (done <= due)


def stage_sums(now: datetime) -> list:
    """Per step, (on time, counted): 2 x len(STAGES) aggregate columns."""
    columns = []
    for stage in STAGES:
        due, done = (getattr(StatFact, name) for name in COLUMNS[stage])
        columns += [count_if(_on_time(due, done)), count_if(_counted(due, done, now))]
    return columns


def all_stage_sums(now: datetime) -> list:
    """(on time, counted) over every step together."""
    on_time, counted = 0, 0
    for stage in STAGES:
        due, done = (getattr(StatFact, name) for name in COLUMNS[stage])
        on_time += Case(None, [(_on_time(due, done), 1)], 0)
        counted += Case(None, [(_counted(due, done, now), 1)], 0)
    return [fn.COALESCE(fn.SUM(on_time), 0), fn.COALESCE(fn.SUM(counted), 0)]


def queue_sums(now: datetime) -> list:
    """Arrived, opened, (opened the same working day, counted), (opened by the
    next opening hour, counted)."""
    F = StatFact
    return [count_if(F.queue_arrived_at.is_null(False)), count_if(F.queue_opened_at.is_null(False)),
            count_if(_on_time(F.queue_day_due, F.queue_opened_at)),
            count_if(_counted(F.queue_day_due, F.queue_opened_at, now)),
            count_if(_on_time(F.queue_slot_due, F.queue_opened_at)),
            count_if(_counted(F.queue_slot_due, F.queue_opened_at, now))]


def rate(on_time: int, counted: int) -> float | None:
    return round(100 * on_time / counted, 1) if counted else None


@dataclass
class Punctuality:
    """One row's punctuality: per step (on time, counted), and the queue's."""

    steps: dict = field(default_factory=dict)
    arrived: int = 0
    opened: int = 0
    same_day: tuple = (0, 0)
    by_slot: tuple = (0, 0)
    wait: dict = field(default_factory=dict)  # working minutes -> complaints

    @classmethod
    def from_sums(cls, stage_values, queue_values):
        steps = {stage: (int(stage_values[2 * i]), int(stage_values[2 * i + 1]))
                 for i, stage in enumerate(STAGES)}
        arrived, opened, day_ok, day_n, slot_ok, slot_n = (int(v) for v in queue_values)
        return cls(steps, arrived, opened, (day_ok, day_n), (slot_ok, slot_n))

    def step_rate(self, stage):
        return rate(*self.steps.get(stage, (0, 0)))

    @property
    def same_day_rate(self):
        return rate(*self.same_day)

    @property
    def by_slot_rate(self):
        return rate(*self.by_slot)

    @property
    def wait_median_hours(self):
        minutes = percentile(self.wait, 50)
        return None if minutes is None else round(minutes / 60, 1)
