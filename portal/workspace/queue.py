"""The staff queue: who sees what, the filters, and keyset pagination.

Due dates are derived and stored by the deadlines module (`Complaint.due_at`);
here they are only filtered and sorted on.  "Sort by due date" puts
complaints without a running deadline last, and its cursor carries the due
date itself ("-" for none), so paging never uses OFFSET.
"""
import hashlib
import heapq
from dataclasses import dataclass, field
from datetime import datetime

from peewee import JOIN, SQL, Select, SqliteDatabase, Table, fn

from portal.clock import utcnow
from portal.complaints import replies, tracking, workflow
from portal.complaints.dispositions import Disposition
from portal.complaints.models import Complaint
from portal.db import database
from portal.deadlines import sla as deadlines
from portal.directory.models import Category, Opd
from portal.inputs import parse_id, strip_control
from portal.workspace import search

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

    def condition(self, with_status=True, walk=True, with_text=True):
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
        if self.q and with_text:
            text = search.text_match(self.q, walk)
            code = tracking.normalize(self.q)
            c &= (text | (Complaint.code == code)) if code else text
        return c

    def only_status_or_channel(self) -> bool:
        """True when the maintained tally can answer the counts (no other filter)."""
        return not (self.category or self.overdue or self.replies or self.q)


def _raw(sql: str, params) -> list:
    """Run `sql` written with `?` placeholders on either database."""
    return database.execute_sql(sql.replace("?", database.obj.param), params).fetchall()


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


def page_query(user, filters: Filters):
    """The query behind one page (PAGE_SIZE + 1 rows: the extra one says there is more)."""
    query, order = _keyset(_base(user).where(filters.condition()), filters)
    return query.order_by(*order).limit(PAGE_SIZE + 1)


def page(user, filters: Filters):
    """One page of the queue: (rows, cursor of the next page or None)."""
    rows = list(page_query(user, filters))
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return rows, (_cursor(rows[-1], filters) if more else None)


def tasks(user):
    """This user's tasks, oldest first: (rows shown, total).

    One index walk per task status (OPD, status, creation), merged here: an
    IN over the statuses would make the database either sort every task or
    walk the OPD's whole history in creation order to find the open ones.
    """
    statuses = workflow.task_statuses(user.role)
    if not statuses:
        return [], 0
    keys = []
    for status in statuses:
        # Only the sort key from each walk; the rows shown are read once below
        # (building every status's 50 rows as models was a quarter of the page).
        query = (Complaint.select(Complaint.created_at, Complaint.id)
                 .where(tasks_of(user) & (Complaint.status == status)))
        keys.extend(query.order_by(Complaint.created_at, Complaint.id).limit(TASKS_SHOWN).tuples())
    chosen = [ident for _created, ident in heapq.nsmallest(TASKS_SHOWN, keys)]
    rows = list(_base(user).where(Complaint.id.in_(chosen)).order_by(Complaint.created_at, Complaint.id)) \
        if chosen else []
    if len(rows) < TASKS_SHOWN:
        return rows, len(rows)
    if user.role == workflow.KABID:
        total = _base(user).where(tasks_of(user)).count()  # one bidang's dispositions
    else:
        total = sum(_tally(user, {"status": statuses}).values())
    return rows, total


def _tally(user, where: dict | None = None) -> dict:
    """{(status, channel): n} from the tally the triggers of migration 030 keep."""
    sql = "SELECT status, channel, n FROM complaint_tally WHERE n > 0"
    params = []
    if user.role not in workflow.CITY_WIDE_ROLES:
        sql += " AND opd_id = ?"
        params.append(user.opd_id if user.opd_id is not None else -1)
    for column, values in (where or {}).items():
        sql += f" AND {column} IN ({', '.join('?' * len(values))})"
        params.extend(values)
    counts: dict = {}
    for status, channel, n in _raw(sql, params):
        counts[(status, channel)] = counts.get((status, channel), 0) + n
    return counts


class StatusCounts(dict):
    """{status: complaints}; `capped` when a search matched more than
    COUNT_CAP complaints and the figures are lower bounds."""
    capped = False


# A search counts at most this many matches: "jalan" matches 300,000 of a
# million complaints, and counting them all took seconds while page 1 of the
# list takes milliseconds.  Beyond it the page says "1.000+" per status.
COUNT_CAP = 1000


def status_counts(user, filters: Filters) -> StatusCounts:
    """How many complaints per status, under every filter except status."""
    counts = StatusCounts()
    if filters.only_status_or_channel():
        where = {"channel": [filters.channel]} if filters.channel else None
        for (status, _channel), n in _tally(user, where).items():
            counts[status] = counts.get(status, 0) + n
        return counts
    # The matches' statuses, the first COUNT_CAP + 1 only; counted outside.
    matches = _index_driven(user, filters)
    if matches is None:
        matches = (Complaint.select(Complaint.status)
                   .where(visible_to(user) & filters.condition(with_status=False)))
    matches = matches.limit(COUNT_CAP + 1)
    total = 0
    for status, n in database.execute(
            Select([matches.alias("m")], [SQL("status"), fn.COUNT(SQL("*"))]).group_by(SQL("status"))):
        counts[status] = n
        total += n
    counts.capped = total > COUNT_CAP
    return counts


def _index_driven(user, filters: Filters):
    """SQLite, a text search: the matches in the full-text index's own order,
    each complaint then read by its key, so COUNT_CAP + 1 matches cost that
    many index steps.  Walking the complaints and probing the index per row
    instead cost 130 ms for "jalan" at a million (3,300 probes), and sorting
    by the index would read all 300,000.  None where that does not apply (a
    search that may be a tracking code is OR'ed with it: the usual way)."""
    if not (filters.q and isinstance(database.obj, SqliteDatabase)) or tracking.normalize(filters.q):
        return None
    words = search.words_of(filters.q)
    if not words:
        return None
    fts = Table("complaint_fts").alias("complaint_fts")  # MATCH names the table itself
    # CROSS JOIN: SQLite keeps the index as the outer loop whatever its statistics say.
    return (fts.select(Complaint.status)
            .join(Complaint, JOIN.CROSS)
            .where((fts.c.rowid == Complaint.id)
                   & SQL("complaint_fts MATCH ?", (search.fts_prefixes(words),))
                   & visible_to(user) & filters.condition(with_status=False, with_text=False)))


def channels(user) -> list[str]:
    return sorted({channel for _status, channel in _tally(user)})


def fingerprint(user, *parts) -> str:
    """Changes whenever anything this user's queue shows may have changed.

    `queue_version` counts every write to a complaint of an OPD (a trigger
    bumps it in the writing transaction, migration 030): a primary-key read
    instead of a scan.  City-wide roles see every OPD, so their sum.  The
    hour is included because overdue badges change with time alone.
    """
    if user.role in workflow.CITY_WIDE_ROLES:
        sql, params = "SELECT SUM(version), COUNT(*) FROM queue_version", []
    else:
        sql, params = "SELECT version FROM queue_version WHERE opd_id = ?", [user.opd_id or -1]
    row = (_raw(sql, params) or [None])[0]  # no row yet: an OPD that never had a complaint
    hour = utcnow().strftime("%Y%m%d%H")
    raw = "|".join(str(p) for p in (user.id, user.role, user.opd_id, row, hour, *parts))
    return hashlib.sha256(raw.encode()).hexdigest()[:32]
