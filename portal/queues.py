"""The staff queue: who sees what, the filters, and keyset pagination.

Due dates belong to the deadlines module.  `due_date_column` and
`overdue_condition` are the only places that know about them: they use
`Complaint.due_at` when the model has it; without it nothing is overdue
and "sort by due date" falls back to age.
"""
import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from peewee import JOIN, SQL, fn

from . import tracking, workflow
from .dispositions import Disposition
from .models import Category, Complaint, Opd, utcnow

PAGE_SIZE = 25
TASKS_SHOWN = 50
SORTS = ("terlama", "terbaru", "tenggat")
NO_DUE_DATE = datetime(9999, 12, 31)  # sorts complaints without a due date last
# A complaint answered, or waiting for a budget year, is not late.
LATE_STATUSES = workflow.OPEN_STATUSES - {workflow.SELESAI, workflow.MENUNGGU_ANGGARAN}


def due_date_column():
    return getattr(Complaint, "due_at", None)


def overdue_condition():
    due = due_date_column()
    if due is None:
        return SQL("1 = 0")
    return due.is_null(False) & (due < utcnow()) & Complaint.status.in_(LATE_STATUSES)


def visible_to(user):
    """City-wide roles see every complaint, OPD staff their own OPD's."""
    if user.role in workflow.CITY_WIDE_ROLES:
        return SQL("1 = 1")
    if user.opd_id is None:
        return SQL("1 = 0")
    return Complaint.opd == user.opd_id


def tasks_of(user):
    """Complaints waiting for this user's role (a Kabid: for their bidang)."""
    statuses = workflow.task_statuses(user.role)
    if not statuses:
        return SQL("1 = 0")
    condition = visible_to(user) & Complaint.status.in_(statuses)
    if user.role == workflow.KABID:
        condition &= Complaint.id.in_(Disposition.select(Disposition.complaint)
                                      .where(Disposition.bidang == user.bidang_id))
    return condition


@dataclass
class Filters:
    status: str = ""
    channel: str = ""
    category: int | None = None
    overdue: bool = False
    q: str = ""
    sort: str = "terlama"
    after: tuple | None = None  # (sort key, id) of the last row shown
    errors: list = field(default_factory=list)

    @classmethod
    def from_args(cls, args):
        f = cls()
        f.status = args.get("status", "") if args.get("status") in workflow.STATUSES else ""
        f.channel = (args.get("kanal") or "")[:32]
        f.category = int(args["kategori"]) if (args.get("kategori") or "").isdigit() else None
        f.overdue = args.get("terlambat") == "1"
        f.q = (args.get("q") or "").strip()[:100]
        f.sort = args.get("urutan") if args.get("urutan") in SORTS else "terlama"
        f.after = _parse_cursor(args.get("setelah"))
        return f

    def condition(self, with_status=True):
        c = SQL("1 = 1")
        if with_status and self.status:
            c &= Complaint.status == self.status
        if self.channel:
            c &= Complaint.channel == self.channel
        if self.category:
            c &= Complaint.category == self.category
        if self.overdue:
            c &= overdue_condition()
        if self.q:
            text = Complaint.title.contains(self.q) | Complaint.body.contains(self.q)
            code = tracking.normalize(self.q)
            c &= (text | (Complaint.code == code)) if code else text
        return c


def _parse_cursor(value):
    if not value or "~" not in value:
        return None
    key, _sep, ident = value.rpartition("~")
    try:
        return datetime.fromisoformat(key), int(ident)
    except ValueError:
        return None


def _sort(filters):
    """(key expression, ascending?) for the chosen order."""
    due = due_date_column()
    if filters.sort == "tenggat" and due is not None:
        return fn.COALESCE(due, NO_DUE_DATE), True
    if filters.sort == "terbaru":
        return Complaint.created_at, False
    return Complaint.created_at, True


def _row_key(complaint, filters):
    due = due_date_column()
    if filters.sort == "tenggat" and due is not None:
        return getattr(complaint, "due_at", None) or NO_DUE_DATE
    return complaint.created_at


def _base(user):
    return (Complaint.select(Complaint, Category, Opd)
            .join(Category, join_type=JOIN.LEFT_OUTER, on=(Complaint.category == Category.id))
            .switch(Complaint)
            .join(Opd, join_type=JOIN.LEFT_OUTER, on=(Complaint.opd == Opd.id))
            .where(visible_to(user)))


def page(user, filters: Filters):
    """One page of the queue: (rows, cursor of the next page or None)."""
    key, ascending = _sort(filters)
    query = _base(user).where(filters.condition())
    if filters.after:
        last_key, last_id = filters.after
        if ascending:
            query = query.where((key > last_key) | ((key == last_key) & (Complaint.id > last_id)))
        else:
            query = query.where((key < last_key) | ((key == last_key) & (Complaint.id < last_id)))
    order = (key.asc(), Complaint.id.asc()) if ascending else (key.desc(), Complaint.id.desc())
    rows = list(query.order_by(*order).limit(PAGE_SIZE + 1))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    cursor = f"{_row_key(rows[-1], filters).isoformat()}~{rows[-1].id}" if more else None
    return rows, cursor


def tasks(user):
    """This user's tasks, oldest first: (rows shown, total)."""
    query = _base(user).where(tasks_of(user))
    total = query.count()
    return list(query.order_by(Complaint.created_at, Complaint.id).limit(TASKS_SHOWN)), total


def status_counts(user, filters: Filters) -> dict:
    """How many complaints per status, under every filter except status."""
    query = (Complaint.select(Complaint.status, fn.COUNT(Complaint.id).alias("n"))
             .where(visible_to(user) & filters.condition(with_status=False))
             .group_by(Complaint.status))
    return {row.status: row.n for row in query}


def channels(user) -> list[str]:
    query = (Complaint.select(Complaint.channel).distinct()
             .where(visible_to(user)).order_by(Complaint.channel))
    return [row.channel for row in query]


def fingerprint(user, *parts) -> str:
    """Changes whenever anything this user's queue shows may have changed.

    Every change to a complaint touches `updated_at`; the hour is included
    because overdue badges change with time alone.
    """
    row = (Complaint.select(fn.COUNT(Complaint.id), fn.MAX(Complaint.updated_at),
                            fn.MAX(Complaint.id))
           .where(visible_to(user)).tuples().get())
    hour = utcnow().strftime("%Y%m%d%H")
    raw = "|".join(str(p) for p in (user.id, user.role, user.opd_id, *row, hour, *parts))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
