import sys
import types

import pytest

from deadline_helpers import make_city, user
from portal.notifications import service as notifications
from portal.notifications.service import Notification
from portal.plugins import manager as plugins
from portal.plugins.hookspecs import hookimpl
from tests.conftest import make_test_app


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        make_city()
        yield


def test_keys_make_a_notification_unique(ctx):
    first = notifications.create("k:1", "app", "Satu", user=user("admin"), kind="uji")
    assert first is not None
    assert notifications.create("k:1", "app", "Dua", user=user("admin"), kind="uji") is None
    assert Notification.select().count() == 1


def test_inbox_and_reading(ctx):
    admin = user("admin")
    ids = [notifications.create(f"k:{i}", "app", f"S{i}", user=admin, kind="uji") for i in range(3)]
    notifications.create("k:mail", "email", "Surel", user=admin, kind="uji")
    assert [n.subject for n in notifications.inbox(admin)] == ["S2", "S1", "S0"]
    assert notifications.unread_count(admin) == 3
    assert notifications.mark_read(admin, ids[0]) == 1
    assert notifications.mark_read(user("operator.dishub"), ids[1]) == 0  # not theirs
    assert notifications.unread_count(admin) == 2


def test_a_claim_held_by_a_live_worker_is_not_taken_but_a_stale_one_is(tmp_path):
    app = make_test_app(tmp_path, NOTIFY_LEASE_SECONDS=0)
    with app.test_request_context():
        make_city()
        notification_id = notifications.create("k:x", "app", "X", user=user("admin"), kind="uji")
        Notification.update(state=notifications.SENDING,
                            claimed_at=notifications.clock.wall_utcnow()).execute()
        app.config["NOTIFY_LEASE_SECONDS"] = 300
        assert notifications.deliver(notification_id) is None
        assert notifications.undelivered_ids() == []
        app.config["NOTIFY_LEASE_SECONDS"] = 0
        assert notifications.undelivered_ids() == [notification_id]
        assert notifications.deliver(notification_id) == notifications.SENT
        assert notifications.deliver(notification_id) is None


def test_a_plugin_adds_a_channel_and_the_first_result_wins(ctx):
    sent = []
    gateway = types.ModuleType("sms_gateway")

    @hookimpl
    def aduan_notify(notification):
        if notification.channel != "sms":
            return None
        sent.append((notification.recipient, notification.subject))
        return True

    gateway.aduan_notify = aduan_notify
    plugins.manager().register(gateway, name="sms_gateway")
    try:
        notification_id = notifications.create("k:sms", "sms", "Status", address="+6281234567890",
                                               kind="status")
        assert notifications.deliver(notification_id) == notifications.SENT
    finally:
        plugins.manager().unregister(name="sms_gateway")
    assert sent == [("+6281234567890", "Status")]


def test_citizen_contacts():
    assert notifications.citizen_channel("warga@example.org") == ("email", "warga@example.org")
    assert notifications.citizen_channel("0812-3456 7890") == ("sms", "081234567890")
    assert notifications.citizen_channel("") is None
    assert notifications.citizen_channel("tidak ada") is None
    assert "sms_gateway" not in sys.modules
