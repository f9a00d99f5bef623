"""Keeping the statistics tables: one complaint's facts, the cells they sum
into, and the periodic overdue count.

Every event marks its complaint (`mark`, in the event's own transaction);
the worker derives each marked complaint's facts from its own timeline
(`refresh_dirty`, every minute), then only the one
or two cells it belongs to (before and after, if its OPD changed) are summed
again from the facts.  A cell holds the complaints of one month, OPD,
category and channel, so this costs the same at 1,000 or 1,000,000
complaints.  `rebuild_all` derives everything again (nightly, and after the
working-day calendar changed).
"""
from datetime import datetime

from peewee import Case, Value, fn

from portal import clock
from portal.complaints import workflow
from portal.complaints.models import Attachment, Complaint, TimelineEvent
from portal.db import database
from portal.deadlines import sla, workdays
from portal.statistics import stages
from portal.statistics.models import (
    BUDGET_YEAR,
    DIMENSIONS,
    FIRST_RESPONSE,
    RESOLUTION,
    StatCell,
    StatDirty,
    StatDist,
    StatFact,
    StatOverdue,
    StatState,
)

DISTRIBUTIONS = ((FIRST_RESPONSE, "first_response_days"), (RESOLUTION, "resolution_days"),
                 (BUDGET_YEAR, "waiting_budget_year"))


def local_date(utc_naive: datetime):
    return sla.to_local(utc_naive).date()


def derive(complaint: Complaint, events: list, photo_event_ids: set,
           calendar: workdays.Calendar, context: stages.Context | None = None) -> dict:
    """The facts of one complaint (a StatFact row as a dict).

    `events` is its timeline in order; `photo_event_ids` the ids of its
    events that carry a photo.  The definitions here are the ones the public
    page states (`portal.statistics.figures.DEFINITIONS`), and the
    dashboard's (`portal.statistics.stages.DEFINITIONS`).
    """
    context = context or stages.Context()
    received = sla.to_local(complaint.created_at)
    changes = [e for e in events if e.status_after]
    forward = next((i for i, e in enumerate(changes)
                    if e.status_after == workflow.DITERUSKAN), None)
    first_response = None
    if forward is not None:
        # The first step out of "diteruskan" after the first forwarding
        # (report to the pimpinan, or "bukan wewenang"): where the SLA's
        # first-response clock stops.  Opening it ("dibaca") keeps the status.
        step = next((e for e in changes[forward + 1:]
                     if e.status_after != workflow.DITERUSKAN), None)
        if step is not None:
            first_response = calendar.count(local_date(changes[forward].created_at),
                                            local_date(step.created_at))
    first_opening = None
    if forward is not None:
        forwarded_at = changes[forward].created_at
        opened = next((e for e in events if e.kind == "dibaca" and e.created_at >= forwarded_at),
                      None)
        if opened is not None:
            first_opening = calendar.count(local_date(forwarded_at), local_date(opened.created_at))
    follow_ups = [e for e in events if e.kind in workflow.FOLLOW_UP_ACTIONS]
    published = next((e for e in changes if e.status_after == workflow.SELESAI), None)
    return {
        "complaint": complaint.id,
        "year": received.year,
        "month": received.month,
        "opd_id": complaint.opd_id or 0,
        "category_id": complaint.category_id or 0,
        "channel": complaint.channel,
        "confidential": bool(complaint.confidential),
        "forwarded": forward is not None,
        "followed_up": bool(follow_ups),
        "resolved_photo": published is not None and any(
            e.id in photo_event_ids for e in follow_ups),
        "first_opening_days": first_opening,
        "first_response_days": first_response,
        "resolution_days": (calendar.count(received.date(), local_date(published.created_at))
                            if published is not None else None),
        "waiting_budget_year": (complaint.budget_year
                                if complaint.status == workflow.MENUNGGU_ANGGARAN else None),
        "rating": complaint.rating,
        "updated_at": clock.utcnow(),
        **context.derive(complaint, changes, calendar),
    }


def _facts_of(complaint: Complaint, calendar: workdays.Calendar,
              context: stages.Context | None = None) -> dict:
    events = list(complaint.events.order_by(TimelineEvent.created_at, TimelineEvent.id))
    photo_events = {a.event_id for a in Attachment.select(Attachment.event)
                    .where((Attachment.complaint == complaint) & Attachment.event.is_null(False))}
    return derive(complaint, events, photo_events, calendar, context)


def mark(complaint_id: int) -> None:
    """Note that a complaint's figures changed (called inside the event's transaction)."""
    (StatDirty.insert(complaint_id=complaint_id, version=1)
     .on_conflict(conflict_target=[StatDirty.complaint_id],
                  update={StatDirty.version: StatDirty.version + 1})
     .execute())


def mark_queue_opened(opd_id: int) -> None:
    """An OPD's queue was opened: the complaints that waited for it get their
    facts again (one statement, whatever their number)."""
    F = StatFact
    waiting = F.select(F.complaint, Value(1)).where(
        (F.opd_id == opd_id) & F.queue_opened_at.is_null() & F.queue_arrived_at.is_null(False))
    (StatDirty.insert_from(waiting, [StatDirty.complaint_id, StatDirty.version])
     .on_conflict(conflict_target=[StatDirty.complaint_id],
                  update={StatDirty.version: StatDirty.version + 1})
     .execute())


def refresh_dirty(limit: int = 5000) -> int:
    """Derive the facts of the marked complaints again; return how many."""
    marks = list(StatDirty.select().order_by(StatDirty.complaint_id).limit(limit))
    if not marks:
        return 0  # every minute, mostly: no need to read the calendar and the rules
    calendar = workdays.current_calendar()
    context = stages.Context()
    for row in marks:
        refresh_complaint(row.complaint_id, calendar, context)
        # A mark made while this ran has a higher version and stays for the next run.
        (StatDirty.delete().where((StatDirty.complaint_id == row.complaint_id)
                                  & (StatDirty.version == row.version)).execute())
    return len(marks)


def refresh_complaint(complaint_id: int, calendar: workdays.Calendar | None = None,
                      context: stages.Context | None = None) -> None:
    """Derive one complaint's facts again and re-sum the rows it was and is in."""
    calendar = calendar or workdays.current_calendar()
    with database.atomic():
        old = StatFact.get_or_none(StatFact.complaint == complaint_id)
        complaint = Complaint.get_or_none(Complaint.id == complaint_id)
        touched = [_fact_key(vars_of(old))] if old else []
        if complaint is None:
            StatFact.delete().where(StatFact.complaint == complaint_id).execute()
        else:
            new = _facts_of(complaint, calendar, context)
            (StatFact.insert(**new)
             .on_conflict(conflict_target=[StatFact.complaint],
                          update={StatFact._meta.fields[k]: v for k, v in new.items()
                                  if k != "complaint"})
             .execute())
            touched.append(_fact_key(new))
        cells = {(y, m, dim, key) for y, m, keys in touched for dim, key in keys.items()}
        for cell in cells:
            _resum_cell(*cell)
        for y, m, keys in {(y, m, keys["opd"]) for y, m, keys in touched}:
            _resum_dist(y, m, keys)


def vars_of(fact: StatFact) -> dict:
    return {name: getattr(fact, name) for name in ("year", "month", "opd_id", "category_id",
                                                   "channel")}


def _fact_key(fact: dict) -> tuple:
    return (fact["year"], fact["month"],
            {dim: fact[column] for dim, column in DIMENSIONS.items()})


def _count(condition):
    return fn.SUM(Case(None, [(condition, 1)], 0))


def _cell_sums():
    F = StatFact
    return [fn.COUNT(F.complaint), _count(F.confidential == True),
            _count(F.forwarded == True), _count(F.followed_up == True),
            _count(F.resolved_photo == True),
            fn.COUNT(F.rating), fn.COALESCE(fn.SUM(F.rating), 0)]


CELL_FIELDS = [StatCell.year, StatCell.month, StatCell.dimension, StatCell.key,
               StatCell.received, StatCell.confidential, StatCell.forwarded,
               StatCell.followed_up, StatCell.resolved_photo, StatCell.rating_n,
               StatCell.rating_sum]
DIST_FIELDS = [StatDist.year, StatDist.month, StatDist.opd_id, StatDist.metric,
               StatDist.value, StatDist.n]


def _resum_cell(year: int, month: int, dimension: str, key) -> None:
    F, C = StatFact, StatCell
    column = getattr(F, DIMENSIONS[dimension])
    C.delete().where((C.year == year) & (C.month == month) & (C.dimension == dimension)
                     & (C.key == str(key))).execute()
    query = (F.select(F.year, F.month, Value(dimension), Value(str(key)), *_cell_sums())
             .where((F.year == year) & (F.month == month) & (column == key))
             .group_by(F.year, F.month))
    C.insert_from(query, CELL_FIELDS).execute()


def _resum_dist(year: int, month: int, opd_id: int) -> None:
    F, D = StatFact, StatDist
    D.delete().where((D.year == year) & (D.month == month) & (D.opd_id == opd_id)).execute()
    for metric, name in DISTRIBUTIONS:
        column = getattr(F, name)
        query = (F.select(F.year, F.month, F.opd_id, Value(metric), column, fn.COUNT(F.complaint))
                 .where((F.year == year) & (F.month == month) & (F.opd_id == opd_id)
                        & column.is_null(False))
                 .group_by(F.year, F.month, F.opd_id, column))
        D.insert_from(query, DIST_FIELDS).execute()


def resum_all() -> None:
    """Re-sum every aggregate row from the facts as they are."""
    F = StatFact
    with database.atomic():
        StatCell.delete().execute()
        for dimension, name in DIMENSIONS.items():
            column = getattr(F, name)
            key = column if name == "channel" else column.cast("VARCHAR(32)")
            query = (F.select(F.year, F.month, Value(dimension), key, *_cell_sums())
                     .group_by(F.year, F.month, column))
            StatCell.insert_from(query, CELL_FIELDS).execute()
        StatDist.delete().execute()
        for metric, name in DISTRIBUTIONS:
            column = getattr(F, name)
            query = (F.select(F.year, F.month, F.opd_id, Value(metric), column,
                              fn.COUNT(F.complaint))
                     .where(column.is_null(False))
                     .group_by(F.year, F.month, F.opd_id, column))
            StatDist.insert_from(query, DIST_FIELDS).execute()


def rebuild_all(batch: int = 500) -> int:
    """Derive every complaint's facts again and re-sum every cell; return how many."""
    calendar = workdays.current_calendar()
    context = stages.Context()
    count = 0
    last_id = 0
    while True:
        with database.atomic():
            chunk = list(Complaint.select().where(Complaint.id > last_id)
                         .order_by(Complaint.id).limit(batch))
            if not chunk:
                break
            ids = [c.id for c in chunk]
            events, photos = {}, set()
            for e in (TimelineEvent.select().where(TimelineEvent.complaint.in_(ids))
                      .order_by(TimelineEvent.created_at, TimelineEvent.id)):
                events.setdefault(e.complaint_id, []).append(e)
            for a in Attachment.select(Attachment.event).where(
                    Attachment.complaint.in_(ids) & Attachment.event.is_null(False)):
                photos.add(a.event_id)
            rows = [derive(c, events.get(c.id, []), photos, calendar, context) for c in chunk]
            StatFact.delete().where(StatFact.complaint.in_(ids)).execute()
            StatFact.insert_many(rows).execute()
            count += len(rows)
            last_id = ids[-1]
    with database.atomic():
        StatFact.delete().where(StatFact.complaint.not_in(Complaint.select(Complaint.id))).execute()
        resum_all()
        _mark("rebuilt")
    refresh_overdue()
    return count


def refresh_overdue(now: datetime | None = None) -> int:
    """Count the open complaints past their deadline, per cell; return the total.

    The same rule as the staff queue's "terlambat": a deadline running now
    and passed, except the reporter's own reply window.  Reads through the
    `due_at` index, so it touches only complaints with a deadline passed.
    """
    now = now or clock.utcnow()
    counts: dict[tuple, int] = {}
    query = (Complaint.select(Complaint.created_at, Complaint.opd)
             .where((Complaint.due_at < now)
                    & Complaint.status.in_(workflow.OPEN_STATUSES)
                    & ((Complaint.due_stage != sla.REPORTER_REPLY)
                       | Complaint.due_stage.is_null()))
             .tuples())
    for created_at, opd_id in query:
        day = local_date(created_at)
        key = (day.year, day.month, opd_id or 0)
        counts[key] = counts.get(key, 0) + 1
    with database.atomic():
        StatOverdue.delete().execute()
        rows = [dict(zip(("year", "month", "opd_id"), key, strict=True), n=n)
                for key, n in counts.items()]
        for i in range(0, len(rows), 500):
            StatOverdue.insert_many(rows[i:i + 500]).execute()
        _mark("overdue", now)
    return sum(counts.values())


def _mark(name: str, at: datetime | None = None) -> None:
    at = at or clock.utcnow()
    (StatState.insert(name=name, at=at)
     .on_conflict(conflict_target=[StatState.name], update={StatState.at: at}).execute())


def state(name: str) -> datetime | None:
    row = StatState.get_or_none(StatState.name == name)
    return row.at if row else None
