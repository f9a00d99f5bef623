import pytest

from deadline_helpers import at, forward, make_city, new_complaint
from portal import clock, reminders, tasks
from portal.notifications import Notification
from portal.queue import huey


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        make_city()
        yield


def sent_to():
    return sorted((n.user.username, n.channel) for n in Notification.select())


def test_the_holder_is_reminded_one_working_day_before_and_only_once(ctx):
    complaint = new_complaint("2026-03-17 09:00")  # verification due Friday 27 March
    with clock.freeze(at("2026-03-25 16:00")):
        assert reminders.run() == []
    with clock.freeze(at("2026-03-26 08:00")):
        assert len(reminders.run()) == 2
        assert reminders.run() == []
    assert sent_to() == [("admin", "app"), ("admin", "email")]
    reminder = Notification.get(Notification.channel == "app")
    assert complaint.display_code in reminder.subject and "27-03-2026 23:59" in reminder.subject
    assert "Verifikasi: 3 hari kerja" in reminder.body
    assert reminder.link.endswith(f"/staf/aduan/{complaint.display_code}")


def test_after_forwarding_the_operator_is_reminded(ctx):
    complaint = forward(new_complaint("2026-03-17 09:00"), "2026-03-26 10:00")  # due 2 April
    with clock.freeze(at("2026-03-31 23:00")):
        assert reminders.run() == []
    with clock.freeze(at("2026-04-01 07:00")):
        reminders.run()
    assert sent_to() == [("operator.dishub", "app"), ("operator.dishub", "email")]
    assert complaint.due_at is not None


def test_the_periodic_task_delivers_and_honours_its_lock(ctx):
    new_complaint("2026-03-17 09:00")
    with clock.freeze(at("2026-03-26 08:00")):
        with huey.lock_task("aduan-reminders"):
            tasks.send_reminders()
        assert Notification.select().count() == 0
        tasks.send_reminders()  # periodic tasks keep no result: count the rows
        assert Notification.select().count() == 2
    # No MAIL_SERVER in this app: the email stays in the table, marked unhandled.
    assert sorted(n.state for n in Notification.select()) == ["sent", "unhandled"]
