"""The staff queue: who sees what, the filters, and keyset pagination.

Due dates are derived and stored by the deadlines module (`Complaint.due_at`);
here they are only filtered and sorted on.  "Sort by due date" puts
complaints without a running deadline last, and its cursor carries the due
date itself ("-" for none), so paging never uses OFFSET.
"""
import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from peewee import JOIN, SQL, fn

from portal.deadlines import sla as deadlines
from portal.complaints import replies, tracking, workflow
from portal.complaints.dispositions import Disposition
from portal.directory.models import Category, Opd
from portal.complaints.models import Complaint
from portal.clock import utcnow
from portal.inputs import parse_id, strip_control

PAGE_SIZE = 25
TASKS_SHOWN = 50
SORTS = ("terlama", "terbaru", "tenggat")
NO_DUE = "-"  # the cursor key of a complaint without a running deadline


def overdue_condition():
    """Late as the deadlines module counts it: the reporter's reply window
    is the reporter's, not the OPD's, so it never makes a complaint late."""
    return (Complaint.due_at.is_null(False) & (Complaint.due_at < utcnow())
            & Complaint.status.in_(workflow.OPEN_STATUSES)
            & (Complaint.due_stage != deadlines.REPORTER_REPLY))


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
    replies: bool = False  # only complaints with a reporter reply the OPD has not seen
    q: str = ""
    sort: str = "terlama"
    after: tuple | None = None  # (sort key, id) of the last row shown
    errors: list = field(default_factory=list)

    @classmethod
    def from_args(cls, args):
        f = cls()
        f.status = args.get("status", "") if args.get("status") in workflow.STATUSES else ""
        f.channel = strip_control(args.get("kanal") or "")[:32]
        f.category = parse_id(args.get("kategori"))
        f.overdue = args.get("terlambat") == "1"
        f.replies = args.get("balasan") == "1"
        f.q = strip_control(args.get("q") or "").strip()[:100]
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
        if self.replies:
            c &= replies.new_condition()
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
        due = None if key == NO_DUE else datetime.fromisoformat(key).replace(tzinfo=None)
    except ValueError:
        return None
    ident = parse_id(ident)
    return (due, ident) if ident else None


def _cursor(complaint, filters) -> str:
    key = complaint.due_at if filters.sort == "tenggat" else complaint.created_at
    return f"{key.isoformat() if key else NO_DUE}~{complaint.id}"


def _after_due(last_due, last_id):
    """Rows after (last_due, last_id) in due order, NULLs last."""
    due = Complaint.due_at
    if last_due is None:
        return due.is_null() & (Complaint.id > last_id)
    return (due.is_null() | (due > last_due)
            | ((due == last_due) & (Complaint.id > last_id)))


def _keyset(query, filters):
    """(query limited to rows after the cursor, ORDER BY terms)."""
    if filters.sort == "tenggat":
        if filters.after:
            query = query.where(_after_due(*filters.after))
        return query, (Complaint.due_at.is_null().asc(), Complaint.due_at.asc(),
                       Complaint.id.asc())
    key = Complaint.created_at
    if filters.sort == "terbaru":
        if filters.after and filters.after[0]:
            last_key, last_id = filters.after
            query = query.where((key < last_key) | ((key == last_key) & (Complaint.id < last_id)))
        return query, (key.desc(), Complaint.id.desc())
    if filters.after and filters.after[0]:
        last_key, last_id = filters.after
        query = query.where((key > last_key) | ((key == last_key) & (Complaint.id > last_id)))
    return query, (key.asc(), Complaint.id.asc())


def _base(user):
    return (Complaint.select(Complaint, Category, Opd)
            .join(Category, join_type=JOIN.LEFT_OUTER, on=(Complaint.category == Category.id))
            .switch(Complaint)
            .join(Opd, join_type=JOIN.LEFT_OUTER, on=(Complaint.opd == Opd.id))
            .where(visible_to(user)))


def page(user, filters: Filters):
    """One page of the queue: (rows, cursor of the next page or None)."""
    query, order = _keyset(_base(user).where(filters.condition()), filters)
    rows = list(query.order_by(*order).limit(PAGE_SIZE + 1))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (_cursor(rows[-1], filters) if more else None)


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

    Every change to a complaint touches `updated_at`, a reporter's reply
    `reply_at` and opening it `opd_seen_at` (the "balasan baru" badge); the hour is included
    because overdue badges change with time alone.
    """
    row = (Complaint.select(fn.COUNT(Complaint.id), fn.MAX(Complaint.updated_at),
                            fn.MAX(Complaint.id), fn.MAX(Complaint.reply_at),
                            fn.MAX(Complaint.opd_seen_at))
           .where(visible_to(user)).tuples().get())
    hour = utcnow().strftime("%Y%m%d%H")
    raw = "|".join(str(p) for p in (user.id, user.role, user.opd_id, *row, hour, *parts))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
