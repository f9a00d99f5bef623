"""Login lockout: counted per (username, address) in the database."""
from datetime import timedelta

from portal.accounts import lockout
from portal.accounts.lockout import LoginFailure
from portal.clock import utcnow


def test_five_failures_lock_that_pair_for_fifteen_minutes(app):
    with app.app_context():
        for _ in range(lockout.MAX_FAILURES - 1):
            lockout.record_failure("operator", "10.0.0.1")
        assert lockout.minutes_locked("operator", "10.0.0.1") == 0
        lockout.record_failure("Operator ", "10.0.0.1")  # same account, however typed
        assert lockout.minutes_locked("operator", "10.0.0.1") == lockout.LOCK_MINUTES
        assert lockout.minutes_locked("operator", "10.0.0.2") == 0
        assert lockout.minutes_locked("admin", "10.0.0.1") == 0


def test_lock_runs_out_and_counting_starts_again(app):
    with app.app_context():
        for _ in range(lockout.MAX_FAILURES):
            lockout.record_failure("operator", "10.0.0.1")
        LoginFailure.update(locked_until=utcnow() - timedelta(seconds=1)).execute()
        assert lockout.minutes_locked("operator", "10.0.0.1") == 0
        lockout.record_failure("operator", "10.0.0.1")
        assert lockout.minutes_locked("operator", "10.0.0.1") == 0
        assert LoginFailure.get().count == 1


def test_success_clears_the_count(app):
    with app.app_context():
        for _ in range(lockout.MAX_FAILURES - 1):
            lockout.record_failure("operator", "10.0.0.1")
        lockout.clear("operator", "10.0.0.1")
        lockout.record_failure("operator", "10.0.0.1")
        assert LoginFailure.get().count == 1
