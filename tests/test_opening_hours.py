import pytest

from deadline_helpers import at, make_city, user
from portal import clock
from portal.deadlines import opening_hours, tasks
from portal.directory.models import Opd
from portal.notifications.service import Notification


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        make_city()
        opening_hours.set_times(Opd.get(Opd.code == "DISHUB"), ["08:00", "13:00"])
        yield


def told():
    return sorted((n.user.username, n.channel) for n in
                  Notification.select().where(Notification.kind == "jam_buka"))


def test_parse_times():
    assert opening_hours.parse_times("13.00, 8:00 08:00") == ["08:00", "13:00"]
    with pytest.raises(opening_hours.BadTimes):
        opening_hours.parse_times("jam delapan")
    with pytest.raises(opening_hours.BadTimes):
        opening_hours.parse_times("25:00")


def test_the_operator_is_reminded_then_the_pimpinan(ctx):
    with clock.freeze(at("2026-04-08 08:29")):
        assert opening_hours.check() == []
    with clock.freeze(at("2026-04-08 08:31")):
        tasks.check_opening_hours()
    assert told() == [("operator.dishub", "app"), ("operator.dishub", "email")]
    with clock.freeze(at("2026-04-08 09:01")):
        opening_hours.check()
        assert opening_hours.check() == []
    assert told() == [("operator.dishub", "app"), ("operator.dishub", "email"),
                      ("pimpinan.dishub", "app"), ("pimpinan.dishub", "email")]


def test_an_opening_in_time_counts_and_is_kept_in_the_history(ctx):
    with clock.freeze(at("2026-04-08 07:55")):
        assert opening_hours.record_opening(user("operator.dishub")) is not None
        assert opening_hours.record_opening(user("operator.dishub")) is None  # a reload
        assert opening_hours.record_opening(user("pimpinan.dishub")) is None  # not an operator
    with clock.freeze(at("2026-04-08 12:00")):
        opening_hours.record_opening(user("operator.dishub"))
    with clock.freeze(at("2026-04-08 14:30")):
        assert opening_hours.check() == []
        assert [h.user.username for h in opening_hours.history()] == ["operator.dishub"] * 2


def test_the_afternoon_slot_needs_its_own_opening(ctx):
    with clock.freeze(at("2026-04-08 07:55")):
        opening_hours.record_opening(user("operator.dishub"))
    with clock.freeze(at("2026-04-08 13:31")):
        opening_hours.check()
    assert told() == [("operator.dishub", "app"), ("operator.dishub", "email")]
    assert "13:00" in Notification.get(Notification.kind == "jam_buka").subject


def test_no_duty_on_holidays_and_weekends(ctx):
    for moment in ("2026-03-20 10:00", "2026-04-11 10:00"):  # cuti bersama Idul Fitri, Saturday
        with clock.freeze(at(moment)):
            assert opening_hours.check() == []


def test_opening_the_queue_page_is_recorded(app, demo, client):
    from portal.deadlines.opening_hours import QueueOpening
    from staff_helpers import login

    login(client, "operator.dishub", demo["operator.dishub"])
    assert client.get("/staf/antrean").status_code == 200
    assert client.get("/staf/antrean").status_code in (200, 304)  # a reload counts once
    assert [o.user.username for o in QueueOpening.select()] == ["operator.dishub"]
