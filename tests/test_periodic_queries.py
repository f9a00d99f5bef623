"""The periodic passes make the same number of queries for 50 complaints
crossing a threshold as for 500, and nothing is sent twice."""
from datetime import timedelta

import pytest

from deadline_helpers import at, make_city
from portal.complaints import tracking, workflow
from portal.complaints.dispositions import Disposition
from portal.complaints.models import Complaint, TimelineEvent
from portal.db import database
from portal.deadlines import escalation, reminders, sla as deadlines
from portal.directory.models import Bidang, Opd
from portal.notifications.service import Notification


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        make_city()
        yield


def utc(text):
    return deadlines.to_utc_naive(at(text))


def insert(n, **fields):
    """`n` complaints written directly (the passes only read them)."""
    opd = Opd.get(Opd.code == "DISHUB")
    created = utc("2026-03-02 09:00")
    rows = [{"code": tracking.new_code(), "title": f"Lampu mati {i}", "body": "Gelap sekali.",
             "opd": opd.id, "status": workflow.DITERUSKAN, "channel": "web",
             "due_stage": deadlines.FIRST_RESPONSE, "created_at": created,
             "updated_at": created, **fields} for i in range(n)]
    with database.atomic():
        for start in range(0, n, 100):
            Complaint.insert_many(rows[start:start + 100]).execute()
    return list(Complaint.select().order_by(Complaint.id.desc()).limit(n))


def count_queries(monkeypatch, fn, *args):
    count = 0
    real = database.obj.execute_sql

    def counting(sql, params=None, *a, **kw):
        nonlocal count
        count += 1
        return real(sql, params, *a, **kw)

    monkeypatch.setattr(database.obj, "execute_sql", counting)
    try:
        result = fn(*args)
    finally:
        monkeypatch.setattr(database.obj, "execute_sql", real)
    return count, result


def test_escalation_queries_do_not_grow_with_the_overdue(ctx, monkeypatch):
    now = utc("2026-04-10 09:00")
    late = dict(due_at=utc("2026-04-01 23:59"), escalate_admin_at=utc("2026-04-09 23:59"))
    insert(50, **late)
    few, ids_few = count_queries(monkeypatch, escalation.run, now)
    insert(500, **late)
    many, ids_many = count_queries(monkeypatch, escalation.run, now)
    assert few == many and few <= 12, (few, many)
    # pimpinan.dishub (app + email) and the admin (app + email) for each complaint
    assert len(ids_few) == 50 * 4 and len(ids_many) == 500 * 4
    idle, again = count_queries(monkeypatch, escalation.run, now)
    assert again == [] and idle <= 2  # nothing crossed a threshold since


def test_escalation_repeats_when_the_due_date_moves(ctx):
    now = utc("2026-04-10 09:00")
    [complaint] = insert(1, due_at=utc("2026-04-01 23:59"))
    assert len(escalation.run(now)) == 2 and escalation.run(now) == []
    Complaint.update(due_at=utc("2026-04-06 23:59")).where(Complaint.id == complaint.id).execute()
    assert len(escalation.run(now)) == 2  # a new deadline, missed again


def test_reminder_queries_do_not_grow_with_the_due(ctx, monkeypatch):
    now = utc("2026-04-08 10:00")  # a Wednesday
    due = dict(due_at=utc("2026-04-09 12:00"))  # Thursday: remind from Wednesday 00:00
    insert(50, **due)
    few, ids_few = count_queries(monkeypatch, reminders.run, now)
    insert(500, **due)
    many, ids_many = count_queries(monkeypatch, reminders.run, now)
    assert few == many and few <= 11, (few, many)  # incl. one read of the channel settings
    assert len(ids_few) == 50 * 2 and len(ids_many) == 500 * 2  # operator.dishub: app + email
    assert count_queries(monkeypatch, reminders.run, now)[1] == []


def test_reminders_of_disposed_complaints_in_one_pass(ctx, monkeypatch):
    now = utc("2026-04-08 10:00")
    rows = insert(30, due_at=utc("2026-04-09 12:00"), status=workflow.DIDISPOSISI)
    bidang = Bidang.get()
    Disposition.insert_many([{"complaint": c.id, "bidang": bidang.id, "instruction": "-"}
                             for c in rows[:10]]).execute()
    created = reminders.run(now)
    recipients = {(n.complaint_id, n.user.username) for n in
                  Notification.select().where(Notification.id.in_(created))}
    # No Kabid has an account: the pimpinan holds what was disposed.
    assert {u for _c, u in recipients} == {"pimpinan.dishub"}
    assert {c for c, _u in recipients} == {c.id for c in rows}


def test_digest_queries_do_not_grow_with_complaints(ctx, monkeypatch):
    now = utc("2026-04-08 07:30")
    insert(50, due_at=utc("2026-04-01 23:59"))
    few, _ = count_queries(monkeypatch, escalation.digest, now)
    insert(500, due_at=utc("2026-04-01 23:59"))
    TimelineEvent.delete().execute()
    many, _ = count_queries(monkeypatch, escalation.digest, now + timedelta(days=1))
    assert few == many and few <= 10, (few, many)
    note = Notification.select().where((Notification.kind == "ringkasan")
                                       & Notification.subject.contains("DISHUB")).order_by(
        Notification.id.desc()).first()
    assert "Terlambat: 550" in note.body
