"""Every notification, email and digest produced while complaints travel
the whole chain and fall overdue: an anonymous reporter never reaches
non-admin staff; a confidential complaint's content never reaches a
citizen-facing channel (email or SMS to the reporter)."""
from datetime import timedelta

import pytest

from deadline_helpers import act, at, forward, make_city
from portal import clock
from portal.accounts.models import User
from portal.complaints import service as complaints, workflow
from portal.complaints.models import Complaint
from portal.deadlines import escalation, opening_hours, reminders
from portal.notifications import mail
from portal.notifications.service import Notification

NAME, CONTACT = "Rahmat Hidayat", "rahmat.hidayat@example.org"
TITLE = "Pungli di loket Dishub"
BODY = "Petugas loket meminta uang tambahan untuk uji KIR."
RESPONSE = "Petugas berinisial AS sudah diperiksa Inspektorat dan dimutasi."


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        make_city()
        opening_hours.set_times(User.get(User.username == "operator.dishub").opd, ["08:00"])
        yield


def _complaint(confidential):
    with clock.freeze(at("2026-03-02 09:00")):
        complaint, _ = complaints.submit({
            "title": TITLE, "body": BODY, "anonymous": True, "confidential": confidential,
            "reporter_name": NAME, "reporter_contact": CONTACT})
    return Complaint.get_by_id(complaint.id)


def _run_tasks(moment):
    with clock.freeze(moment):
        reminders.run()
        escalation.run()
        escalation.digest()
        opening_hours.check()


def _through_the_chain(complaint):
    """Every stage, each left to fall overdue and escalate before it moves on."""
    day = at("2026-03-02 09:00")
    steps = [("teruskan", workflow.ADMIN), ("laporkan", workflow.OPERATOR),
             ("disposisi", workflow.PIMPINAN), ("tindak_lanjut", workflow.KABID),
             ("publikasikan", workflow.OPERATOR)]
    for action, role in steps:
        complaint = Complaint.get_by_id(complaint.id)
        if complaint.due_at:
            # A reminder before it falls due, escalation after, admin at twice the limit.
            for offset in (timedelta(hours=-20), timedelta(hours=2), timedelta(days=40)):
                _run_tasks(_aware(complaint.due_at) + offset)
        day += timedelta(days=45)
        when = day.strftime("%Y-%m-%d %H:%M")
        if action == "teruskan":
            complaint = forward(complaint, when)
        else:
            extra = {"text": RESPONSE} if action == "publikasikan" else {}
            complaint = act(complaint, action, when, role, **extra)
    _run_tasks(_aware(Complaint.get_by_id(complaint.id).due_at) + timedelta(days=1))
    return complaint


def _aware(naive_utc):
    from datetime import timezone

    return naive_utc.replace(tzinfo=timezone.utc)


def _texts(notification):
    parts = [notification.subject, notification.body, notification.link]
    if notification.channel == "email" and notification.recipient:
        parts.append(mail.build_message(notification).as_string())
    return "\n".join(parts)


@pytest.mark.parametrize("confidential", [False, True])
def test_no_notification_leaks_the_reporter_or_confidential_content(ctx, confidential):
    complaint = _through_the_chain(_complaint(confidential))
    assert complaint.status == workflow.SELESAI
    produced = list(Notification.select())
    staff = [n for n in produced if n.user_id]
    citizen = [n for n in produced if n.address]
    # The run really produced what it checks: staff reminders, escalations,
    # digests, opening-hour alerts, and the reporter's status mails.
    kinds = {n.kind for n in staff}
    assert {"pengingat", "eskalasi", "ringkasan", "jam_buka"} <= kinds, kinds
    assert {n.user.role for n in staff} >= {"admin", "operator", "pimpinan"}
    assert citizen and all(n.address == CONTACT for n in citizen)

    for n in staff:
        text = _texts(n)
        if n.user.role != workflow.ADMIN:
            assert NAME not in text and CONTACT not in text, (n.key, text)
    for n in citizen:
        text = _texts(n)
        assert complaint.display_code in text  # the tracking link is always there
        if confidential:
            for secret in (TITLE, BODY, RESPONSE):
                assert secret not in text, (n.key, text)
    if not confidential:  # the same run does carry the content when it may
        assert any(RESPONSE in _texts(n) for n in citizen)
