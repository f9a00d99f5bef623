import pytest

from deadline_helpers import act, at, forward, make_city, new_complaint
from portal import clock
from portal.complaints import workflow
from portal.complaints.models import Complaint, TimelineEvent
from portal.deadlines import escalation, tasks
from portal.notifications.service import Notification


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        make_city()
        yield


def recipients(kind="eskalasi"):
    return sorted((n.user.username, n.channel) for n in
                  Notification.select().where(Notification.kind == kind))


def test_overdue_goes_to_the_pimpinan_then_at_twice_the_limit_to_the_admin(ctx):
    forward(new_complaint("2026-03-24 08:00"), "2026-03-25 10:00")  # due 1 April, twice 9 April
    with clock.freeze(at("2026-04-01 23:00")):
        assert escalation.run() == []
    with clock.freeze(at("2026-04-02 09:00")):
        escalation.run()
        assert escalation.run() == []
    assert recipients() == [("pimpinan.dishub", "app"), ("pimpinan.dishub", "email")]
    with clock.freeze(at("2026-04-10 09:00")):
        escalation.run()
    assert ("admin", "app") in recipients() and len(recipients()) == 4
    admin_note = Notification.get((Notification.kind == "eskalasi") & (Notification.user == 1)
                                  & (Notification.channel == "app"))
    assert "dua kali" in admin_note.subject and "DISHUB" in admin_note.subject


def test_late_verification_goes_to_the_admin(ctx):
    new_complaint("2026-03-17 09:00")
    with clock.freeze(at("2026-03-30 09:00")):
        escalation.run()
    assert recipients() == [("admin", "app"), ("admin", "email")]


def test_unanswered_complaints_close_by_themselves(ctx):
    complaint = act(forward(new_complaint("2026-04-06 08:00"), "2026-04-06 10:00"),
                    "laporkan", "2026-04-06 11:00", "operator")
    complaint = act(complaint, "jawab", "2026-04-07 09:00", "pimpinan")
    complaint = act(complaint, "publikasikan", "2026-04-07 10:00", "operator")  # reply by 21 April
    with clock.freeze(at("2026-04-21 20:00")):
        assert escalation.close_unanswered() == []
    with clock.freeze(at("2026-04-22 09:00")):
        tasks.escalate()
        assert escalation.close_unanswered() == []
    complaint = Complaint.get_by_id(complaint.id)
    assert complaint.status == workflow.DITUTUP and complaint.due_at is None
    last = complaint.events.order_by(TimelineEvent.id.desc()).get()
    assert last.kind == "tutup" and last.actor == "Sistem" and "otomatis" in last.text


def test_daily_digest_for_each_pimpinan(ctx):
    overdue = forward(new_complaint("2026-03-17 09:00"), "2026-03-18 09:00")
    waiting = act(act(act(forward(new_complaint("2026-03-17 09:00"), "2026-03-18 09:00"),
                          "laporkan", "2026-03-18 10:00", "operator"),
                      "disposisi", "2026-03-18 11:00", "pimpinan"),
                  "tunggu_anggaran", "2026-03-18 12:00", "kabid")
    forward(new_complaint("2026-04-07 08:00"), "2026-04-07 10:00")
    with clock.freeze(at("2026-04-08 06:50")):
        assert escalation.digest() == []
    with clock.freeze(at("2026-04-11 08:00")):  # Saturday
        assert escalation.digest() == []
    with clock.freeze(at("2026-04-08 07:10")):
        escalation.digest()
        assert escalation.digest() == []
    assert recipients("ringkasan") == [("pimpinan.dishub", "app"), ("pimpinan.dishub", "email"),
                                       ("pimpinan.dpupr", "app")]
    dishub = Notification.get((Notification.kind == "ringkasan") & (Notification.channel == "app")
                              & (Notification.subject.contains("DISHUB")))
    assert "Baru masuk 24 jam terakhir: 1" in dishub.body
    assert "Terlambat: 1" in dishub.body and "Menunggu anggaran: 1" in dishub.body
    assert overdue.status == "diteruskan" and waiting.status == "menunggu_anggaran"
