import pytest

from deadline_helpers import at, forward, make_city, new_complaint
from portal import clock
from portal.deadlines import reminders, tasks
from portal.notifications.service import Notification
from portal.tasks.app import huey


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        make_city()
        yield


def sent_to():
    return sorted((n.user.username, n.channel) for n in reminder_rows())


def reminder_rows():
    """Everything but the handoff notices (portal.notifications.handoffs)."""
    return Notification.select().where(Notification.kind != "serah_terima")


def test_the_holder_is_reminded_one_working_day_before_and_only_once(ctx):
    complaint = new_complaint("2026-03-17 09:00")  # verification due Friday 27 March
    with clock.freeze(at("2026-03-25 16:00")):
        assert reminders.run() == []
    with clock.freeze(at("2026-03-26 08:00")):
        assert len(reminders.run()) == 2
        assert reminders.run() == []
    assert sent_to() == [("admin", "app"), ("admin", "email")]
    reminder = reminder_rows().where(Notification.channel == "app").get()
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
        assert reminder_rows().count() == 0
        tasks.send_reminders()  # periodic tasks keep no result: count the rows
        assert reminder_rows().count() == 2
    # No MAIL_SERVER in this app: the email stays in the table, marked unhandled.
    assert sorted(n.state for n in reminder_rows()) == ["sent", "unhandled"]


def _disposed_to(bidang_name):
    from datetime import timezone

    from deadline_helpers import act
    from portal.accounts.models import User
    from portal.complaints import workflow
    from portal.directory.models import Bidang, Opd

    dishub = Opd.get(Opd.code == "DISHUB")
    User.update(bidang=Bidang.get(Bidang.name == "Bidang Lalu Lintas")).where(
        User.username == "kabid.lalin").execute()
    parkir = Bidang.create(opd=dishub, name="Bidang Perparkiran")
    Bidang.create(opd=dishub, name="Bidang Angkutan")  # no Kabid account
    User.create(username="kabid.parkir", password_hash="-", role=workflow.KABID,
                full_name="kabid.parkir", opd=dishub, bidang=parkir)
    complaint = forward(new_complaint("2026-03-02 09:00"), "2026-03-02 10:00")
    complaint = act(complaint, "laporkan", "2026-03-02 11:00", workflow.OPERATOR)
    complaint = act(complaint, "disposisi", "2026-03-02 12:00", workflow.PIMPINAN,
                    bidang=[Bidang.get(Bidang.name == bidang_name)])
    assert complaint.status == workflow.DIDISPOSISI
    return complaint, complaint.due_at.replace(tzinfo=timezone.utc)


def test_a_disposed_complaint_reminds_only_the_kabid_it_was_disposed_to(ctx):
    from datetime import timedelta

    _complaint, due = _disposed_to("Bidang Lalu Lintas")
    with clock.freeze(due - timedelta(hours=1)):
        reminders.run()
    assert sent_to() == [("kabid.lalin", "app")]  # not kabid.parkir of the same OPD


def test_disposed_to_a_bidang_without_kabid_the_pimpinan_is_reminded(ctx):
    from datetime import timedelta

    _complaint, due = _disposed_to("Bidang Angkutan")
    with clock.freeze(due - timedelta(hours=1)):
        reminders.run()
    assert sent_to() == [("pimpinan.dishub", "app"), ("pimpinan.dishub", "email")]


def test_reminders_follow_each_persons_channel_settings(ctx, app):
    """The periodic passes use the channel each person chose, as handoffs do:
    only the app for one, WhatsApp for another, held during quiet hours."""
    from portal.accounts.models import User
    from portal.notifications import preferences

    app.config.update(WHATSAPP_TOKEN="t", WHATSAPP_PHONE_NUMBER_ID="1")
    admin = User.get(User.username == "admin")
    new_complaint("2026-03-17 09:00")
    preferences.save(admin, channel=preferences.APP)
    with clock.freeze(at("2026-03-26 08:00")):
        reminders.run()
    assert sent_to() == [("admin", "app")]  # no email, although the account has one
    Notification.delete().execute()
    preferences.save(admin, channel=preferences.WHATSAPP, phone="0812 3456 7890",
                     quiet_start="22:00", quiet_end="06:00")
    new_complaint("2026-03-17 09:30")
    with clock.freeze(at("2026-03-26 08:00")):  # 08:00 local: outside quiet hours
        created = reminders.run()
    rows = {n.channel: n for n in reminder_rows()}
    assert set(rows) == {"app", "whatsapp"} and rows["whatsapp"].address == "+6281234567890"
    assert rows["whatsapp"].state == "pending" and rows["whatsapp"].id in created
    Notification.delete().execute()
    new_complaint("2026-03-17 10:00")
    with clock.freeze(at("2026-03-26 23:30")):  # quiet hours: kept for the morning
        created = reminders.run()
    held = reminder_rows().where(Notification.channel == "whatsapp").get()
    assert held.state == "held" and held.hold_until is not None and held.id not in created
