from datetime import datetime, timedelta, timezone

import pytest

from portal import clock


def test_freeze_and_advance():
    moment = datetime(2026, 3, 20, 9, 0, tzinfo=timezone(timedelta(hours=7)))
    with clock.freeze(moment):
        assert clock.now() == moment
        assert clock.utcnow() == datetime(2026, 3, 20, 2, 0)
        clock.advance(timedelta(hours=1))
        assert clock.utcnow() == datetime(2026, 3, 20, 3, 0)
    assert abs(clock.now() - datetime.now(timezone.utc)) < timedelta(seconds=5)


def test_environment_hook_for_other_processes(monkeypatch):
    monkeypatch.setenv(clock.FAKE_NOW_ENV, "2026-03-20T09:00:00+07:00")
    assert clock.utcnow() == datetime(2026, 3, 20, 2, 0)
    # Leases follow the real time even then.
    assert clock.wall_utcnow().year == datetime.now(timezone.utc).year
    assert abs(clock.wall_utcnow() - datetime.now(timezone.utc).replace(tzinfo=None)) < timedelta(seconds=5)


def test_naive_moments_are_refused():
    with pytest.raises(ValueError):
        with clock.freeze(datetime(2026, 3, 20, 9, 0)):
            pass


def test_models_take_their_time_from_the_clock():
    from portal.clock import utcnow

    with clock.freeze(datetime(2025, 1, 1, tzinfo=timezone.utc)):
        assert utcnow() == datetime(2025, 1, 1)
