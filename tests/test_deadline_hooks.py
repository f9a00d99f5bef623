import pytest

from deadline_helpers import at, forward, make_city, new_complaint
from portal import clock
from portal.complaints import service as complaints
from portal.complaints.models import Complaint
from portal.db import database
from portal.notifications.service import Notification


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        make_city()
        yield


def test_a_phone_number_gets_an_sms_notification_with_the_tracking_link(ctx):
    complaint = forward(new_complaint("2026-03-17 09:00", contact="0812 3456 7890"),
                        "2026-03-18 09:00")
    messages = list(Notification.select().where(Notification.kind == "status")
                    .order_by(Notification.id))
    assert [(m.channel, m.address) for m in messages] == [("sms", "081234567890")] * 2
    assert all(m.link == f"http://127.0.0.1:5000/lacak/{complaint.display_code}" for m in messages)
    # No SMS plugin installed: the row records that nobody delivered it.
    assert {m.state for m in messages} == {"unhandled"}


def test_no_contact_no_message_and_internal_events_do_nothing(ctx):
    complaint = new_complaint("2026-03-17 09:00")
    due = complaint.due_at
    with clock.freeze(at("2026-03-18 09:00")):
        complaints.record(complaint, "catatan", "Admin", text="cek lokasi")
    assert Notification.select().where(Notification.kind != "serah_terima").count() == 0
    assert Complaint.get_by_id(complaint.id).due_at == due


def test_everything_rolls_back_with_the_event(ctx):
    complaint = new_complaint("2026-03-17 09:00", contact="warga@example.org")
    before = Notification.select().where(Notification.kind != "serah_terima").count()
    with pytest.raises(RuntimeError):
        with database.atomic():
            complaints.perform(complaint, "tolak", role="admin", actor="Admin", text="spam")
            raise RuntimeError("rollback")
    assert Notification.select().where(Notification.kind != "serah_terima").count() == before
    assert Complaint.get_by_id(complaint.id).due_stage == "verifikasi"
