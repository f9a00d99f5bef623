"""Submission limits on /lapor: per client address and per reporter
contact, a clear Indonesian 429, storage in Redis when configured."""
import pytest

from conftest import make_test_app
from portal import seed
from portal.complaints.models import Complaint
from portal.db import database
from portal.web import limits
from test_citizen import form_data


@pytest.fixture
def limited(tmp_path):
    def build(**config):
        app = make_test_app(tmp_path, RATELIMIT_ENABLED=True, **config)
        with app.app_context():
            seed.seed_demo()
        return app
    yield build
    database.close()


def _submit(client, address="10.0.0.1", **fields):
    client.environ_base["REMOTE_ADDR"] = address
    with client.application.app_context():
        data = form_data(client, **fields)
    return client.post("/lapor", data=data)


def test_per_address_limit_answers_a_clear_429(limited):
    app = limited(SUBMIT_LIMIT_PER_ADDRESS="3 per minute", SUBMIT_LIMIT_PER_CONTACT="100 per hour")
    client = app.test_client()
    for n in range(3):  # each its own report: the same one again would be the first
        assert _submit(client, kontak=f"warga{n}@example.id",
                       judul=f"Lampu PJU mati di tiang {n}").status_code == 303
    refused = _submit(client, kontak="warga9@example.id")
    assert refused.status_code == 429
    text = refused.get_data(as_text=True)
    assert "Terlalu banyak laporan dikirim dari jaringan atau kontak yang sama" in text
    assert "belum tersimpan" in text
    assert int(refused.headers["Retry-After"]) > 0
    # Another address is not affected, and the refused one stored nothing.
    assert _submit(client, address="10.0.0.2", kontak="warga9@example.id").status_code == 303
    with app.app_context():
        assert Complaint.select().count() == 4


def test_per_contact_limit_holds_across_addresses(limited):
    app = limited(SUBMIT_LIMIT_PER_ADDRESS="100 per minute", SUBMIT_LIMIT_PER_CONTACT="2 per hour")
    client = app.test_client()
    assert _submit(client, "10.1.0.1", kontak="0812-3456-7890").status_code == 303
    assert _submit(client, "10.1.0.2", kontak="0812 3456 7890").status_code == 303
    assert _submit(client, "10.1.0.3", kontak="081234567890").status_code == 429
    # Reports without a contact are only counted per address.
    for n in range(3):
        assert _submit(client, f"10.1.1.{n}", kontak="").status_code == 303


def test_the_form_page_itself_is_not_limited(limited):
    app = limited(SUBMIT_LIMIT_PER_ADDRESS="1 per minute")
    client = app.test_client()
    for _ in range(5):
        assert client.get("/lapor").status_code == 200


def test_limits_are_off_in_tests_unless_asked(app, demo, client):
    for n in range(25):  # above the default 20 per minute per address
        assert _submit(client, kontak=f"w{n}@example.id").status_code == 303


def test_storage_follows_the_configuration():
    assert limits.storage_uri({}) == "memory://"
    assert limits.storage_uri({"HUEY_URL": "redis://127.0.0.1:6379/0"}) == "redis://127.0.0.1:6379/0"
    assert limits.storage_uri({"HUEY_URL": "sqlite:///x.db"}) == "memory://"
    assert limits.storage_uri({"RATELIMIT_STORAGE_URI": "redis://h/2",
                               "HUEY_URL": "redis://h/0"}) == "redis://h/2"


@pytest.mark.redis
def test_counters_live_in_redis_when_the_queue_does(limited, redis_url):
    import redis

    store = redis.Redis.from_url(redis_url)
    for key in store.scan_iter("LIMITS:LIMITER/aduan/*"):
        store.delete(key)
    app = limited(HUEY_URL=redis_url, SUBMIT_LIMIT_PER_ADDRESS="2 per minute")
    client = app.test_client()
    assert _submit(client, "10.3.0.1", kontak="a@example.id").status_code == 303
    keys = list(store.scan_iter("LIMITS:LIMITER/aduan/*"))
    assert any(b"lapor-alamat" in key for key in keys)
    assert not any(b"example.id" in key for key in keys)  # contacts are stored hashed
    # Another web process (a fresh limiter storage, the same Redis) counts on.
    other = limited(HUEY_URL=redis_url, SUBMIT_LIMIT_PER_ADDRESS="2 per minute").test_client()
    assert _submit(other, "10.3.0.1", kontak="b@example.id").status_code == 303
    assert _submit(other, "10.3.0.1", kontak="c@example.id").status_code == 429


def test_in_memory_a_new_process_starts_from_zero(limited):
    """The counterpart of the Redis test: it shows that test can fail."""
    limited(SUBMIT_LIMIT_PER_ADDRESS="1 per minute").test_client()
    first = limited(SUBMIT_LIMIT_PER_ADDRESS="1 per minute").test_client()
    assert _submit(first, "10.4.0.1", kontak="a@example.id").status_code == 303
    second = limited(SUBMIT_LIMIT_PER_ADDRESS="1 per minute").test_client()
    assert _submit(second, "10.4.0.1", kontak="b@example.id").status_code == 303
