"""Shared fixtures: a fresh instance folder and real SQLite file per test,
Huey in immediate mode, and helpers for the real services when present."""
import contextlib
import os
import re
import socket
import tempfile
import threading
import uuid

import pytest
from werkzeug.serving import make_server

# Importing the portal builds the Huey instance from settings: point the
# default instance folder away from the working tree before that happens.
os.environ.setdefault("ADUAN_INSTANCE_PATH", tempfile.mkdtemp(prefix="aduan-tests-"))

from portal import create_app, schema, seed
from portal.db import database
from portal.tasks.app import huey

ON_CI = os.environ.get("CI") == "true"


def need(service: str, reason: str):
    """Skip locally, but fail loudly on CI where the service must exist."""
    if ON_CI:
        pytest.fail(f"{service} is required on CI: {reason}")
    pytest.skip(f"{service} not available: {reason}")


@pytest.fixture(autouse=True)
def immediate_huey():
    huey.immediate = True
    yield huey
    huey.immediate = False


def make_test_app(tmp_path, **config):
    """An app on a fresh instance folder; a config value of None drops the key."""
    instance = tmp_path / "instance"
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'aduan.db'}",
        "SECRET_KEY": "test-secret",
        "LOAD_ENTRY_POINTS": False,
        "PASSWORD_PROFILE": "CHEAPEST",
        "RATELIMIT_ENABLED": False,  # on only in the tests of the limits
        **config,
    }
    app = create_app({key: value for key, value in config.items() if value is not None})
    with app.app_context():
        schema.upgrade(database.obj)
    return app


@pytest.fixture
def app(request, tmp_path):
    """The app on a fresh SQLite file; with ADUAN_TEST_DATABASE=postgres, on a
    fresh PostgreSQL database instead (the whole suite runs on either)."""
    config = {}
    if os.environ.get("ADUAN_TEST_DATABASE") == "postgres":
        config["DATABASE_URL"] = request.getfixturevalue("migrated_postgres_url")
    app = make_test_app(tmp_path, **config)
    yield app
    database.close()


@pytest.fixture
def demo(app):
    """The demo data; returns {username: password} of the demo staff."""
    with app.app_context():
        credentials = seed.seed_demo()
    return {username: password for username, _role, password in credentials}


@pytest.fixture
def client(app):
    return app.test_client()


HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
ATTR = re.compile(r'(\w+)="([^"]*)"')


def hidden_fields(html: str) -> dict:
    """The hidden inputs of a page (CSRF token, idempotency token)."""
    fields = {}
    for tag in HIDDEN.findall(html):
        attrs = dict(ATTR.findall(tag))
        if "name" in attrs:
            fields[attrs["name"]] = attrs.get("value", "")
    return fields


@pytest.fixture
def live_server(app):
    """The app served over real HTTP on 127.0.0.1, for browsers and clients."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        need("Chromium", f"{CHROMIUM} is missing (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(java_script_enabled=True, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _port_open(host, port) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _postgres_admin() -> str:
    if not _port_open("127.0.0.1", 5432):
        need("PostgreSQL", "nothing listens on 127.0.0.1:5432")
    return os.environ.get("ADUAN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


@contextlib.contextmanager
def scratch_database(prefix: str, template: str | None = None):
    """A new PostgreSQL database (a copy of `template` if given): (admin DSN,
    its name, its URL); dropped, connections and all, afterwards."""
    import psycopg2

    admin_dsn = _postgres_admin()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    conn = psycopg2.connect(admin_dsn)
    conn.autocommit = True
    copy = f' TEMPLATE "{template}"' if template else ""
    conn.cursor().execute(f'CREATE DATABASE "{name}"{copy}')
    try:
        yield admin_dsn, name, admin_dsn.rsplit("/", 1)[0] + "/" + name
    finally:
        database.close()
        conn.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


@pytest.fixture
def postgres_url():
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    with scratch_database("aduan_test") as (_admin, _name, url):
        yield url


@pytest.fixture(scope="session")
def postgres_template():
    """A database migrated once per test session, copied for each test.

    Why: running every migration (tables, triggers, indexes) for each test
    was most of the PostgreSQL pass's time; CREATE DATABASE ... TEMPLATE copies
    the result in milliseconds.
    """
    from playhouse.db_url import connect

    with scratch_database("aduan_tmpl") as (admin_dsn, name, url):
        migrated = connect(url)
        schema.upgrade(migrated)
        migrated.close()
        yield admin_dsn, name


@pytest.fixture
def migrated_postgres_url(postgres_template):
    """A PostgreSQL database with every migration applied, for one test."""
    with scratch_database("aduan_test", template=postgres_template[1]) as (_admin, _name, url):
        yield url


@pytest.fixture
def redis_url():
    if not _port_open("127.0.0.1", 6379):
        need("Redis", "nothing listens on 127.0.0.1:6379")
    return f"redis://127.0.0.1:6379/{int(os.environ.get('ADUAN_TEST_REDIS_DB', '15'))}"
