"""The leaders' dashboard (staff): per OPD, how fast complaints are opened
and answered, how old the open ones are, and what waits for a budget.

Unlike the public page this reads the facts joined to the complaints under
the staff's filters (a bounded date range, 90 days by default), so it can
filter by anything the complaint has.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from peewee import JOIN

from portal import clock, config
from portal.complaints import workflow
from portal.complaints.models import Complaint
from portal.deadlines import sla
from portal.directory.models import Opd
from portal.statistics.figures import percentile
from portal.statistics.models import StatFact

DEFAULT_DAYS = 90
MIN_FOR_RANKING = 5
# Age of an open complaint, in calendar days since it was received.
AGE_BUCKETS = ((0, 7), (8, 30), (31, 90), (91, None))
# The OPD's backlog: open, and not yet answered (a published response waits
# for the reporter, not for the OPD).
BACKLOG_STATUSES = workflow.OPEN_STATUSES - {workflow.SELESAI}


def _digits(raw) -> bool:
    # str.isdigit() is true for "²", which int() refuses.
    return bool(raw) and raw.isascii() and raw.isdigit() and len(raw) <= 12


@dataclass
class Filters:
    start: date
    end: date
    opd_id: int | None = None
    category_id: int | None = None
    channel: str = ""
    status: str = ""
    min_n: int = MIN_FOR_RANKING
    errors: list = field(default_factory=list)

    @classmethod
    def from_args(cls, args, today: date):
        errors = []

        def day(name, default):
            raw = (args.get(name) or "").strip()
            if not raw:
                return default
            try:
                return date.fromisoformat(raw)
            except ValueError:
                errors.append(name)
                return default

        end = day("sampai", today)
        start = day("dari", end - timedelta(days=DEFAULT_DAYS))
        if start > end:
            errors.append("dari")
            start = end - timedelta(days=DEFAULT_DAYS)
        number = (args.get("min") or "").strip()
        return cls(start=start, end=end,
                   opd_id=int(args["opd"]) if _digits(args.get("opd")) else None,
                   category_id=(int(args["kategori"]) if _digits(args.get("kategori"))
                                else None),
                   channel=(args.get("kanal") or "")[:32],
                   status=args.get("status") if args.get("status") in workflow.STATUSES else "",
                   min_n=int(number) if _digits(number) and 0 < int(number) < 10_000
                   else MIN_FOR_RANKING,
                   errors=errors)

    def condition(self):
        tz = config.local_tz()
        start = sla.to_utc_naive(datetime.combine(self.start, time.min, tz))
        end = sla.to_utc_naive(datetime.combine(self.end + timedelta(days=1), time.min, tz))
        c = (Complaint.created_at >= start) & (Complaint.created_at < end)
        if self.opd_id:
            c &= Complaint.opd == self.opd_id
        if self.category_id:
            c &= Complaint.category == self.category_id
        if self.channel:
            c &= Complaint.channel == self.channel
        if self.status:
            c &= Complaint.status == self.status
        return c


@dataclass
class OpdRow:
    opd_id: int
    name: str
    received: int = 0
    opening: list = field(default_factory=list)  # working days to first opening
    response: list = field(default_factory=list)  # working days to first response
    ages: list = field(default_factory=lambda: [0] * len(AGE_BUCKETS))

    @property
    def open_total(self) -> int:
        return sum(self.ages)

    @staticmethod
    def _median(values):
        return percentile({v: values.count(v) for v in set(values)}, 50)

    @property
    def opening_median(self):
        return self._median(self.opening)

    @property
    def response_median(self):
        return self._median(self.response)

    @property
    def response_p90(self):
        return percentile({v: self.response.count(v) for v in set(self.response)}, 90)


def _bucket(age_days: int) -> int:
    for i, (low, high) in enumerate(AGE_BUCKETS):
        if age_days >= low and (high is None or age_days <= high):
            return i
    return len(AGE_BUCKETS) - 1


def per_opd(visible, filters: Filters, now: datetime | None = None) -> list[OpdRow]:
    """One row per OPD that received complaints under the filters, busiest first."""
    now = now or clock.utcnow()
    names = {o.id: o.label for o in Opd.select()}
    rows: dict[int, OpdRow] = {}
    query = (Complaint.select(Complaint.opd, Complaint.status, Complaint.created_at,
                              StatFact.first_opening_days, StatFact.first_response_days)
             .join(StatFact, JOIN.LEFT_OUTER, on=(StatFact.complaint == Complaint.id))
             .where(visible & filters.condition() & Complaint.opd.is_null(False)).tuples())
    for opd_id, status, created_at, opening, response in query:
        row = rows.setdefault(opd_id, OpdRow(opd_id, names.get(opd_id, "")))
        row.received += 1
        if opening is not None:
            row.opening.append(opening)
        if response is not None:
            row.response.append(response)
        if status in BACKLOG_STATUSES:
            row.ages[_bucket((now - created_at).days)] += 1
    return sorted(rows.values(), key=lambda r: (-r.received, r.name))


def ranking(rows: list[OpdRow], min_n: int) -> list[OpdRow]:
    """Fastest first response first, among OPDs with at least `min_n` answered
    complaints, so one quick answer does not top the list."""
    ranked = [r for r in rows if len(r.response) >= min_n]
    return sorted(ranked, key=lambda r: (r.response_median, r.response_p90, r.name))


def waiting_for_budget(visible, filters: Filters) -> list[Complaint]:
    """Complaints waiting for a budget, with their locations, for budget planning.
    Not limited by the date range: a budget year gathers older complaints too."""
    condition = visible & (Complaint.status == workflow.MENUNGGU_ANGGARAN)
    if filters.opd_id:
        condition &= Complaint.opd == filters.opd_id
    if filters.category_id:
        condition &= Complaint.category == filters.category_id
    return list(Complaint.select(Complaint, Opd)
                .join(Opd, JOIN.LEFT_OUTER, on=(Complaint.opd == Opd.id))
                .where(condition)
                .order_by(Complaint.budget_year, Opd.name, Complaint.created_at))
