"""Login lockout: a growing delay per account (never a hard lock), a limit
per client address, the real address behind trusted proxies, and a cap on
parallel password hashing."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import requests

from conftest import hidden_fields, make_test_app
from portal import clock
from portal.accounts import lockout, users
from portal.db import database

T0 = datetime(2026, 3, 20, 2, 0, tzinfo=timezone.utc)


def _try(client, username, password, address="10.0.0.1", headers=None):
    client.environ_base["REMOTE_ADDR"] = address
    page = client.get("/staf/masuk")
    data = {"username": username, "password": password, **hidden_fields(page.get_data(as_text=True))}
    return client.post("/staf/masuk", data=data, headers=headers or {})


def test_account_delay_grows_and_holds_across_addresses(app):
    with app.app_context(), clock.freeze(T0):
        for n in range(lockout.FREE_FAILURES - 1):
            lockout.record_failure("operator", f"10.0.0.{n}")
        assert lockout.seconds_to_wait("operator", "10.9.9.9") == 0
        waits = []
        for n in range(8):
            lockout.record_failure("Operator ", f"10.1.0.{n}")  # same account, however typed
            waits.append(lockout.seconds_to_wait("operator", "10.9.9.9"))
        # 1, 2, 4 ... seconds, capped: never a lock measured in minutes.
        assert waits == [1, 2, 4, 8, 16, 32, 60, 60]
        assert lockout.seconds_to_wait("admin", "10.9.9.9") == 0


def test_right_password_works_once_the_delay_has_passed(app, demo, client):
    with clock.freeze(T0):
        for n in range(lockout.FREE_FAILURES + 3):
            assert _try(client, "admin", "salah-sekali", address=f"10.2.0.{n}").status_code in (401, 429)
            clock.advance(timedelta(seconds=60))  # each guess waits out the delay before it
        clock.advance(timedelta(seconds=-60))
        refused = _try(client, "admin", demo["admin"], address="10.3.0.1")
        assert refused.status_code == 429
        assert "Coba lagi dalam 8 detik" in refused.get_data(as_text=True)
        assert refused.headers["Retry-After"] == "8"
        clock.advance(timedelta(seconds=8))
        assert _try(client, "admin", demo["admin"], address="10.3.0.1").status_code == 303
        # Success starts the account from zero again.
        assert _try(app.test_client(), "admin", "salah", address="10.3.0.2").status_code == 401


def test_refused_attempts_are_not_counted(app, demo, client):
    with clock.freeze(T0):
        for _ in range(lockout.FREE_FAILURES):
            _try(client, "admin", "salah-sekali")
        for _ in range(20):  # hammering during the delay changes nothing
            assert _try(client, "admin", "salah-sekali").status_code == 429
        with app.app_context():
            assert lockout.seconds_to_wait("admin", "10.0.0.1") == 1


def test_one_address_guessing_many_accounts_is_stopped(tmp_path):
    app = make_test_app(tmp_path, LOGIN_ADDRESS_FAILURES=6)
    client = app.test_client()
    with clock.freeze(T0):
        for n in range(5):
            assert _try(client, f"tebak{n}", "salah", address="10.5.0.1").status_code == 401
        assert _try(client, "tebak9", "salah", address="10.5.0.1").status_code == 429
        assert _try(client, "tebak9", "salah", address="10.5.0.2").status_code == 401
        clock.advance(lockout.ADDRESS_WINDOW + timedelta(seconds=1))
        assert _try(client, "tebak9", "salah", address="10.5.0.1").status_code == 401
    database.close()


def test_the_lock_is_in_the_database(app, demo, client, tmp_path):
    with clock.freeze(T0):
        for _ in range(lockout.FREE_FAILURES + 4):
            _try(client, "admin", "salah-sekali")
        restarted = make_test_app(tmp_path, DATABASE_URL=app.config["DATABASE_URL"]).test_client()
        assert _try(restarted, "admin", demo["admin"], address="10.7.7.7").status_code == 429


def test_behind_a_trusted_proxy_the_client_address_counts(tmp_path):
    app = make_test_app(tmp_path, TRUSTED_PROXIES=1, LOGIN_ADDRESS_FAILURES=3)
    client = app.test_client()
    try:
        with clock.freeze(T0):
            # Every request comes from the proxy's address; the clients differ.
            for n in range(3):
                _try(client, f"x{n}", "salah", address="127.0.0.1",
                     headers={"X-Forwarded-For": "203.0.113.5"})
            assert _try(client, "y", "salah", address="127.0.0.1",
                        headers={"X-Forwarded-For": "203.0.113.5"}).status_code == 429
            assert _try(client, "y", "salah", address="127.0.0.1",
                        headers={"X-Forwarded-For": "203.0.113.6"}).status_code == 401
    finally:
        database.close()


def test_without_trusted_proxies_a_forged_header_changes_nothing(tmp_path):
    app = make_test_app(tmp_path, LOGIN_ADDRESS_FAILURES=3)
    client = app.test_client()
    try:
        with clock.freeze(T0):
            for n in range(3):
                _try(client, f"x{n}", "salah", headers={"X-Forwarded-For": f"198.51.100.{n}"})
            assert _try(client, "y", "salah",
                        headers={"X-Forwarded-For": "198.51.100.77"}).status_code == 429
    finally:
        database.close()


def test_parallel_failed_logins_never_hash_more_than_the_cap(app, live_server, monkeypatch):
    """24 parallel failures: at most PASSWORD_HASH_CONCURRENCY argon2 checks
    run at once (each one costs 64 MiB in production)."""
    running = peak = 0
    lock = threading.Lock()
    real = users._hasher

    class SlowHasher:
        hash = real.hash
        check_needs_rehash = real.check_needs_rehash

        def verify(self, password_hash, password):
            return slow_verify(password_hash, password)

    def slow_verify(password_hash, password):
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        try:
            time.sleep(0.05)  # a production-sized hash takes about this long
            return real.verify(password_hash, password)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(users, "_hasher", SlowHasher())
    assert app.config["PASSWORD_HASH_CONCURRENCY"] == 2

    def attempt(n):
        session = requests.Session()
        page = session.get(f"{live_server}/staf/masuk", timeout=30)
        data = {"username": f"tamu{n}", "password": "salah-sekali", **hidden_fields(page.text)}
        return session.post(f"{live_server}/staf/masuk", data=data, timeout=30).status_code

    with ThreadPoolExecutor(24) as pool:
        statuses = list(pool.map(attempt, range(24)))
    assert statuses == [401] * 24
    assert peak == 2
