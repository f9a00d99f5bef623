import pytest

from deadline_helpers import Inbox, forward, free_port, make_city, new_complaint, start_smtp, user
from portal.notifications import mail, service as notifications
from portal.notifications.service import Notification
from tests.conftest import make_test_app


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = start_smtp(inbox)
    yield controller.port, inbox
    controller.stop()


def mail_app(tmp_path, port, **config):
    return make_test_app(tmp_path, MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                         MAIL_FROM="aduan@serangkota.go.id",
                         BASE_URL="https://aduan.serangkota.go.id", **config)


def test_a_citizen_gets_a_mail_with_the_tracking_link_on_each_public_status_change(tmp_path, smtp):
    port, inbox = smtp
    app = mail_app(tmp_path, port)
    with app.test_request_context():
        make_city()
        complaint = new_complaint("2026-03-17 09:00", contact="warga@example.org")

        forward(complaint, "2026-03-18 09:00")
    citizen = [m for m in inbox.messages if m["To"] == "warga@example.org"]
    assert len(citizen) == 2
    last = citizen[-1]
    assert last["From"] == "aduan@serangkota.go.id"
    assert "Diteruskan ke OPD" in last["Subject"]
    assert f"https://aduan.serangkota.go.id/lacak/{complaint.display_code}" in last.get_content()
    assert len(set(m["Message-ID"] for m in citizen)) == 2
    # The staff the complaint was handed to hear by email too (handoff notices).
    staff = sorted((m["To"], m["Subject"]) for m in inbox.messages if m not in citizen)
    assert [to for to, _subject in staff] == ["admin@serangkota.go.id",
                                              "operator.dishub@serangkota.go.id"]
    with app.app_context():
        emails = Notification.select().where(Notification.channel == "email")
        assert {n.state for n in emails} == {notifications.SENT}


def test_delivering_again_sends_nothing(tmp_path, smtp):
    port, inbox = smtp
    app = mail_app(tmp_path, port)
    with app.test_request_context():
        make_city()
        ids = notifications.for_user(user("admin"), "uji:1", "Uji", body="isi", kind="uji")
        assert notifications.for_user(user("admin"), "uji:1", "Uji", body="isi", kind="uji") == []
        for notification_id in ids + ids:
            notifications.deliver(notification_id)
    assert len(inbox.messages) == 1


def test_without_mail_server_nothing_is_sent_and_the_log_says_so(app, caplog):
    with app.test_request_context():
        make_city()
        [app_id, email_id] = notifications.for_user(user("admin"), "uji:2", "Uji", kind="uji")
        assert notifications.deliver(email_id) == notifications.UNHANDLED
        assert notifications.deliver(app_id) == notifications.SENT
    assert "MAIL_SERVER is not set" in caplog.text


def test_a_server_that_is_down_leaves_the_mail_pending_for_a_retry(tmp_path):

    app = mail_app(tmp_path, free_port(), MAIL_TIMEOUT=2)
    with app.test_request_context():
        make_city()
        [app_id, email_id] = notifications.for_user(user("admin"), "uji:3", "Uji", kind="uji")
        notifications.deliver(app_id)
        assert notifications.deliver(email_id) == notifications.PENDING
        assert notifications.undelivered_ids() == [email_id]


def test_flags_from_the_environment_are_strings():
    from portal import config

    assert config.flag("0") is False and config.flag("true") is True and config.flag(True) is True
    assert mail.message_id("a") == mail.message_id("a") != mail.message_id("b")
