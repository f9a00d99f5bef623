"""Handoff notices: every step of the chain tells the next person at once,
exactly once, in-app and through their chosen channel."""
from datetime import datetime

import pytest

from deadline_helpers import act, at, forward, make_city, new_complaint, user
from portal import clock
from portal.complaints import service as complaints, workflow
from portal.complaints.models import Complaint, TimelineEvent
from portal.db import database
from portal.directory.models import Bidang
from portal.notifications import batching, handoffs, preferences, service as notifications
from portal.notifications.service import Notification


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        make_city()
        kabid = user("kabid.lalin")
        kabid.bidang = Bidang.get(Bidang.name == "Bidang Lalu Lintas")
        kabid.save()
        yield


def notices(channel="app"):
    rows = (Notification.select().where((Notification.kind == handoffs.KIND)
                                        & (Notification.channel == channel))
            .order_by(Notification.id))
    return [(n.user.username, n.subject) for n in rows]


def new_since(before, channel="app"):
    return notices(channel)[len(before):]


def test_each_handoff_reaches_the_next_actor_once_with_a_deep_link(ctx):
    complaint = new_complaint("2026-03-17 09:00")
    code = complaint.display_code
    assert notices() == [("admin", f"Aduan baru {code} menunggu verifikasi")]

    steps = [
        (lambda c: forward(c, "2026-03-17 10:00"), [("operator.dishub", "diteruskan")]),
        (lambda c: act(c, "laporkan", "2026-03-17 11:00", workflow.OPERATOR),
         [("pimpinan.dishub", "dilaporkan")]),
        (lambda c: act(c, "disposisi", "2026-03-17 12:00", workflow.PIMPINAN),
         [("kabid.lalin", "Disposisi")]),
        (lambda c: act(c, "tindak_lanjut", "2026-03-17 13:00", workflow.KABID),
         [("operator.dishub", "Tindak lanjut")]),
        (lambda c: act(c, "publikasikan", "2026-03-17 14:00", workflow.OPERATOR), []),
        (lambda c: act(c, "belum_selesai", "2026-03-17 15:00", workflow.REPORTER),
         [("operator.dishub", "Pelapor menulis")]),
        (lambda c: act(c, "laporkan", "2026-03-17 16:00", workflow.OPERATOR),
         [("pimpinan.dishub", "dilaporkan")]),
        (lambda c: act(c, "kembalikan", "2026-03-17 17:00", workflow.OPERATOR),
         [("admin", "bukan wewenang")]),
    ]
    for step, expected in steps:
        before = notices()
        complaint = step(complaint)
        got = new_since(before)
        assert len(got) == len(expected), got
        assert all(who == person and what in subject
                   for (who, subject), (person, what) in zip(got, expected, strict=False)), got
    # Each in-app notice opens the complaint in the workspace.
    links = {n.link for n in Notification.select().where(Notification.kind == handoffs.KIND)}
    assert links == {f"http://127.0.0.1:5000/staf/aduan/{code}"}
    # Staff with an email address got it there too; kabid.lalin has none.
    assert ("kabid.lalin", "email") not in {(n.user.username, n.channel)
                                            for n in Notification.select()}
    assert len(notices("email")) == len(notices()) - 1


def test_a_reporter_message_goes_to_whoever_holds_the_complaint(ctx):
    complaint = act(forward(new_complaint("2026-03-17 09:00"), "2026-03-17 10:00"),
                    "laporkan", "2026-03-17 11:00", workflow.OPERATOR)
    before = notices()
    complaints.record(complaint, "info_pelapor", "Pelapor", text="Lubangnya makin besar.")
    assert [who for who, _ in new_since(before)] == ["pimpinan.dishub"]


def test_replaying_the_hook_makes_no_second_notice(ctx):
    complaint = forward(new_complaint("2026-03-17 09:00"), "2026-03-17 10:00")
    event = TimelineEvent.get((TimelineEvent.complaint == complaint)
                              & (TimelineEvent.kind == "teruskan"))
    count = Notification.select().count()
    # A retried task or a restarted worker calls the hook again for the same event.
    assert handoffs.notify(Complaint.get_by_id(complaint.id), event) == []
    assert Notification.select().count() == count


def test_the_person_who_acted_is_not_told(ctx):
    complaint = new_complaint("2026-03-17 09:00")
    complaints.perform(complaint, "teruskan", role="admin", actor="admin",
                       actor_user=user("admin"), opd=user("operator.dishub").opd)
    complaints.perform(complaint, "kembalikan", role="operator", actor="op",
                       actor_user=user("operator.dishub"), text="bukan kami")
    assert [who for who, _ in notices()] == ["admin", "operator.dishub", "admin"]


def test_notices_roll_back_with_the_handoff(ctx):
    complaint = new_complaint("2026-03-17 09:00")
    before = Notification.select().count()
    with pytest.raises(RuntimeError):
        with database.atomic():
            forward(complaint, "2026-03-17 10:00")
            raise RuntimeError("rollback")
    assert Notification.select().count() == before


def test_anonymous_reporters_are_never_named_and_confidential_stays_in_app(ctx):
    complaint, _ = complaints.submit({
        "title": "Pungli di loket parkir", "body": "Petugas meminta uang tambahan.",
        "reporter_name": "Budi Santoso", "reporter_contact": "budi@example.org",
        "anonymous": True, "confidential": True})
    complaints.record(complaint, "info_pelapor", "Pelapor",
                      text="Kejadiannya jam 10 pagi.")
    rows = list(Notification.select().where(Notification.kind == handoffs.KIND))
    assert rows and all("Budi" not in n.body + n.subject for n in rows)
    app_rows = [n for n in rows if n.channel == "app"]
    mail_rows = [n for n in rows if n.channel == "email"]
    assert all("Pungli" in n.body for n in app_rows)
    assert mail_rows and all("Pungli" not in n.body and "jam 10" not in n.body
                             for n in mail_rows)
    assert all("Pelapor: Kejadiannya" in n.body for n in app_rows if "jam 10" in n.body)


def test_quiet_hours_hold_the_channel_but_not_the_in_app_list(ctx):
    preferences.save(user("admin"), channel="email", quiet_start="21:00", quiet_end="06:00")
    with clock.freeze(at("2026-03-17 22:30")):
        complaints.submit({"title": "Lampu mati", "body": "Gelap sekali di sini."})
        complaints.submit({"title": "Got mampet", "body": "Banjir tiap hujan turun."})
    mails = Notification.select().where((Notification.kind == handoffs.KIND)
                                        & (Notification.channel == "email"))
    assert {n.state for n in mails} == {notifications.HELD}
    assert {n.hold_until for n in mails} == {datetime(2026, 3, 17, 23, 0)}  # 06:00 WIB
    in_app = Notification.select().where((Notification.kind == handoffs.KIND)
                                         & (Notification.channel == "app"))
    assert in_app.count() == 2 and notifications.HELD not in {n.state for n in in_app}
    # The sweep does not send held rows.
    assert not {n.id for n in mails.clone()} & set(notifications.undelivered_ids())
    with clock.freeze(at("2026-03-18 05:59")):
        assert batching.release_due() == []
    with clock.freeze(at("2026-03-18 06:00")):
        digest_ids = batching.release_due()
        assert batching.release_due() == []
    assert len(digest_ids) == 1
    digest = Notification.get_by_id(digest_ids[0])
    assert digest.channel == "email" and digest.user.username == "admin"
    assert "2 pemberitahuan" in digest.subject
    assert "Lampu mati" not in digest.body and "/staf/aduan/" in digest.body
    assert {n.state for n in mails.clone()} == {notifications.DIGESTED}


def test_batching_sends_a_lone_notice_as_it_is_at_the_next_slot(ctx):
    preferences.save(user("admin"), channel="email", batch_minutes="30")
    with clock.freeze(at("2026-03-17 09:10")):
        complaints.submit({"title": "Lampu mati", "body": "Gelap sekali di sini."})
    mail = Notification.get((Notification.kind == handoffs.KIND)
                            & (Notification.channel == "email"))
    assert mail.state == notifications.HELD
    assert mail.hold_until == datetime(2026, 3, 17, 2, 30)  # 09:30 WIB
    with clock.freeze(at("2026-03-17 09:30")):
        assert batching.release_due() == [mail.id]
    assert Notification.get_by_id(mail.id).state == notifications.PENDING


@pytest.mark.parametrize("fields, message", [
    ({"channel": "sms"}, "saluran"),
    ({"channel": "whatsapp", "phone": "0812 3456 7890"}, "saluran"),  # not configured
    ({"channel": "email", "quiet_start": "21:00"}, "jam tenang"),
    ({"channel": "email", "quiet_start": "25:00", "quiet_end": "06:00"}, "21:00"),
    ({"channel": "email", "batch_minutes": "-5"}, "Interval"),
    ({"channel": "email", "batch_minutes": "lima"}, "Interval"),
])
def test_bad_settings_are_refused_with_a_message(ctx, fields, message):
    with pytest.raises(preferences.InvalidPreference) as error:
        preferences.save(user("admin"), **fields)
    assert message in str(error.value)


def test_hold_until_across_midnight():
    pref = preferences.NotifyPreference(channel="email", quiet_start=datetime(1, 1, 1, 21).time(),
                                        quiet_end=datetime(1, 1, 1, 6).time(), batch_minutes=0)
    assert preferences.hold_until(pref, at("2026-03-17 20:59")) is None
    assert preferences.hold_until(pref, at("2026-03-18 02:00")) == datetime(2026, 3, 17, 23, 0)
    assert preferences.hold_until(pref, at("2026-03-17 21:00")) == datetime(2026, 3, 17, 23, 0)
