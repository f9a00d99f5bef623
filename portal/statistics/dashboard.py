"""The leaders' dashboard (staff): per OPD, how fast complaints are opened
and answered, how old the open ones are, and what waits for a budget.

Unlike the public page this reads the facts joined to the complaints under
the staff's filters (a bounded date range, 90 days by default), so it can
filter by anything the complaint has.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from peewee import JOIN, fn

from portal import clock, config
from portal.complaints import workflow
from portal.complaints.models import Complaint
from portal.deadlines import sla
from portal.directory.models import Category, Opd
from portal.statistics import punctuality
from portal.statistics.figures import percentile
from portal.statistics.models import StatFact

DEFAULT_DAYS = 90
MIN_FOR_RANKING = 5
# Age of an open complaint, in calendar days since it was received.
AGE_BUCKETS = ((0, 7), (8, 30), (31, 90), (91, None))
# The OPD's backlog: open, and not yet answered (a published response waits
# for the reporter, not for the OPD).
BACKLOG_STATUSES = workflow.OPEN_STATUSES - {workflow.SELESAI}
# "Kelompokkan menurut": month of receipt, category, or status now.
MONTH, CATEGORY, STATUS = "bulan", "kategori", "status"
GROUPS = {MONTH: _l("Bulan"), CATEGORY: _l("Kategori"), STATUS: _l("Status")}


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
    group: str = MONTH
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
        group = (args.get("kelompok") or MONTH).strip()
        if group not in GROUPS:
            errors.append("kelompok")
            group = MONTH
        return cls(start=start, end=end,
                   opd_id=int(args["opd"]) if _digits(args.get("opd")) else None,
                   category_id=(int(args["kategori"]) if _digits(args.get("kategori"))
                                else None),
                   channel=(args.get("kanal") or "")[:32],
                   status=args.get("status") if args.get("status") in workflow.STATUSES else "",
                   min_n=int(number) if _digits(number) and 0 < int(number) < 10_000
                   else MIN_FOR_RANKING,
                   group=group, errors=errors)

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
    opening: dict = field(default_factory=dict)  # working days to first opening -> complaints
    response: dict = field(default_factory=dict)  # working days to first response -> complaints
    ages: list = field(default_factory=lambda: [0] * len(AGE_BUCKETS))
    timing: punctuality.Punctuality = field(default_factory=punctuality.Punctuality)

    @property
    def open_total(self) -> int:
        return sum(self.ages)

    @property
    def answered(self) -> int:
        return sum(self.response.values())

    @property
    def opening_median(self):
        return percentile(self.opening, 50)

    @property
    def response_median(self):
        return percentile(self.response, 50)

    @property
    def response_p90(self):
        return percentile(self.response, 90)


def _age_sums(now: datetime) -> list:
    """Open complaints per age bucket (calendar days since received)."""
    sums = []
    for low, high in AGE_BUCKETS:
        c = Complaint.status.in_(BACKLOG_STATUSES) & (
            Complaint.created_at <= now - timedelta(days=low))
        if high is not None:
            c &= Complaint.created_at > now - timedelta(days=high + 1)
        sums.append(punctuality.count_if(c))
    return sums


def _with_facts(*columns):
    return (Complaint.select(*columns)
            .join(StatFact, JOIN.LEFT_OUTER, on=(StatFact.complaint == Complaint.id)))


def _histograms(condition, column) -> dict:
    """{opd_id: {value: complaints}} of one fact column."""
    out: dict = {}
    query = (_with_facts(Complaint.opd, column, fn.COUNT(Complaint.id))
             .where(condition & column.is_null(False))
             .group_by(Complaint.opd, column).tuples())
    for opd_id, value, n in query:
        out.setdefault(opd_id, {})[value] = n
    return out


def per_opd(visible, filters: Filters, now: datetime | None = None) -> list[OpdRow]:
    """One row per OPD that received complaints under the filters, busiest
    first: a handful of grouped queries, whatever the number of complaints."""
    now = now or clock.utcnow()
    names = {o.id: o.label for o in Opd.select()}
    condition = visible & filters.condition() & Complaint.opd.is_null(False)
    ages, steps, queue = _age_sums(now), punctuality.stage_sums(now), punctuality.queue_sums(now)
    query = (_with_facts(Complaint.opd, fn.COUNT(Complaint.id), *ages, *steps, *queue)
             .where(condition).group_by(Complaint.opd).tuples())
    opening = _histograms(condition, StatFact.first_opening_days)
    response = _histograms(condition, StatFact.first_response_days)
    wait = _histograms(condition, StatFact.queue_wait_minutes)
    rows = []
    for opd_id, received, *sums in query:
        a, s = len(ages), len(steps)
        row = OpdRow(opd_id, names.get(opd_id, ""), received,
                     opening=opening.get(opd_id, {}), response=response.get(opd_id, {}),
                     ages=[int(n) for n in sums[:a]],
                     timing=punctuality.Punctuality.from_sums(sums[a:a + s], sums[a + s:]))
        row.timing.wait = wait.get(opd_id, {})
        rows.append(row)
    return sorted(rows, key=lambda r: (-r.received, r.name))


def ranking(rows: list[OpdRow], min_n: int) -> list[OpdRow]:
    """Fastest first response first, among OPDs with at least `min_n` answered
    complaints, so one quick answer does not top the list."""
    ranked = [r for r in rows if r.answered >= min_n]
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


@dataclass
class GroupRow:
    label: str
    received: int
    forwarded: int
    followed_up: int
    on_time: int
    judged: int

    @property
    def followed_up_pct(self):
        return punctuality.rate(self.followed_up, self.forwarded)

    @property
    def on_time_pct(self):
        return punctuality.rate(self.on_time, self.judged)


def breakdown(visible, filters: Filters, now: datetime | None = None) -> list[GroupRow]:
    """The complaints under the filters grouped by `filters.group`: received,
    followed up (of those forwarded, as on the public page) and on time over
    every step.  One grouped query."""
    now = now or clock.utcnow()
    F = StatFact
    if filters.group == MONTH:
        keys = [F.year, F.month]
    elif filters.group == CATEGORY:
        keys = [Complaint.category]
    else:
        keys = [Complaint.status]
    query = (_with_facts(*keys, fn.COUNT(Complaint.id), punctuality.count_if(F.forwarded == True),
                         punctuality.count_if(F.followed_up == True),
                         *punctuality.all_stage_sums(now))
             .where(visible & filters.condition()).group_by(*keys).tuples())
    names = ({c.id: c.name for c in Category.select(Category.id, Category.name)}
             if filters.group == CATEGORY else {})
    rows = []
    for values in query:
        key, sums = values[:len(keys)], [int(v) for v in values[len(keys):]]
        rows.append((_sort_key(filters.group, key),
                     GroupRow(_label(filters.group, key, names), *sums)))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _sort_key(group, key):
    if group == MONTH:
        return (key[0] is None, key[0] or 0, key[1] or 0)
    if group == STATUS:
        return (workflow.STATUSES.index(key[0]) if key[0] in workflow.STATUSES else 99,)
    return (key[0] is None, key[0] or 0)


def _label(group, key, names: dict) -> str:
    if group == MONTH:
        # Facts not yet derived (the worker runs every minute) have no month.
        return f"{key[0]}-{key[1]:02d}" if key[0] else str(_l("Belum dihitung"))
    if group == STATUS:
        return workflow.status_label(key[0])
    if key[0] is None:
        return str(_l("Tanpa kategori"))
    return names.get(key[0], str(key[0]))


@dataclass
class Dashboard:
    """Everything the page shows, and the export writes, for one set of filters."""

    filters: Filters
    rows: list
    ranking: list
    groups: list
    budget: list


def build(visible, filters: Filters, now: datetime | None = None) -> Dashboard:
    now = now or clock.utcnow()
    rows = per_opd(visible, filters, now)
    return Dashboard(filters, rows, ranking(rows, filters.min_n),
                     breakdown(visible, filters, now), waiting_for_budget(visible, filters))
