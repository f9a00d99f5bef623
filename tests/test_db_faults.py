"""The database goes away under a running web server: connections are
reused across requests, a dropped one is replaced, and a request that meets
a dead connection fails cleanly (503 in Indonesian, no traceback) while the
next one succeeds, without restarting the app.

A PostgreSQL restart cannot be done from a test here; terminating every
backend of the database (pg_terminate_backend) is what a restart does to the
web server's connections.
"""
import os
import threading

import psycopg2
import pytest
import requests
from werkzeug.serving import make_server

from conftest import make_test_app
from portal.complaints import service as complaints
from portal.db import database


@pytest.fixture
def pg_app(tmp_path, postgres_url):
    app = make_test_app(tmp_path, DATABASE_URL=postgres_url)
    yield app, postgres_url
    database.close()


@pytest.fixture
def served(pg_app):
    app, url = pg_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, url, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def terminate_backends(url: str) -> int:
    """Kill every server process of the database `url` names; how many."""
    name = url.rsplit("/", 1)[1]
    admin_dsn = os.environ.get("ADUAN_TEST_POSTGRES",
                               "postgresql://postgres@127.0.0.1:5432/postgres")
    conn = psycopg2.connect(admin_dsn)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = %s AND pid <> pg_backend_pid()", (name,))
        killed = cursor.fetchone()[0]
    conn.close()
    return killed


def backends(url: str) -> int:
    name = url.rsplit("/", 1)[1]
    conn = psycopg2.connect(os.environ.get("ADUAN_TEST_POSTGRES",
                                           "postgresql://postgres@127.0.0.1:5432/postgres"))
    with conn.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,))
        count = cursor.fetchone()[0]
    conn.close()
    return count


def _complaint(app) -> str:
    with app.app_context():
        complaint, _ = complaints.submit({"title": "Jalan berlubang", "body": "Lubang besar."})
        return complaint.display_code


def test_requests_reuse_pooled_connections(served):
    app, url, base = served
    code = _complaint(app)
    database.close()
    for _ in range(20):
        assert requests.get(f"{base}/lacak/{code}", timeout=10).status_code == 200
    # Sequential requests on fresh server threads share one pooled connection
    # (closed after every request before; 20 connections in turn).
    assert len(database.obj._connections) == 1
    assert backends(url) == 1


def test_the_server_recovers_after_its_backends_are_terminated(served):
    app, url, base = served
    code = _complaint(app)
    database.close()
    assert requests.get(f"{base}/lacak/{code}", timeout=10).status_code == 200
    assert terminate_backends(url) >= 1  # the pooled, idle connection of the web server
    # The pool finds the connection dead when handing it out and opens a new one.
    after = requests.get(f"{base}/lacak/{code}", timeout=10)
    assert after.status_code == 200 and code in after.text
    assert requests.get(f"{base}/healthz", timeout=10).json()["checks"]["database"] == "ok"


def test_a_connection_dying_mid_use_is_one_clean_503_then_recovery(served, monkeypatch):
    """When the check at hand-out cannot see it (the server dies between the
    check and the query), that request answers 503 in Indonesian, and the
    broken connection is not returned to the pool."""
    app, url, base = served
    code = _complaint(app)
    database.close()
    assert requests.get(f"{base}/lacak/{code}", timeout=10).status_code == 200
    pool = type(database.obj)
    monkeypatch.setattr(pool, "_is_closed", lambda self, conn: bool(conn.closed))
    terminate_backends(url)
    failed = requests.get(f"{base}/lacak/{code}", timeout=10)
    assert failed.status_code == 503 and failed.headers["Retry-After"]
    assert "Layanan sedang sibuk" in failed.text
    assert "Traceback" not in failed.text and "psycopg2" not in failed.text
    recovered = requests.get(f"{base}/lacak/{code}", timeout=10)
    assert recovered.status_code == 200 and code in recovered.text
