"""A third-party connector package, pip-installed into this venv, is
discovered through the `aduan.connectors` entry point, configured and syncs."""
import importlib
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from werkzeug.serving import make_server

from conftest import make_test_app
from portal.complaints import service as complaints
from portal.complaints.models import Complaint
from portal.db import database
from portal.sync import engine, outbox
from portal.sync.intake import REPLY_KIND

PACKAGE = Path(__file__).resolve().parent.parent / "examples" / "aduan-connector-demo"
DIST = "aduan-connector-demo"


def _pip(*args):
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args],
                   check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def venv_install(tmp_path_factory):
    # Built from a copy so no build/ leftovers stay in the source tree;
    # --no-deps/--no-build-isolation: nothing is fetched from the network.
    source = tmp_path_factory.mktemp("pkg") / PACKAGE.name
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns(
        "build", "*.egg-info", "__pycache__"))
    _pip("install", "--no-deps", "--no-build-isolation", "--no-cache-dir", str(source))
    importlib.invalidate_caches()
    yield
    _pip("uninstall", "-y", DIST)
    importlib.invalidate_caches()
    for name in [m for m in sys.modules if m.startswith("aduan_connector_demo")]:
        del sys.modules[name]


WEBHOOK_SECRET = "rahasia-demo"


@pytest.fixture
def demo_app(venv_install, tmp_path):
    from aduan_connector_demo import simulator

    sim = simulator.serve()
    app = make_test_app(tmp_path, LOAD_ENTRY_POINTS=True, SYNC_BACKOFF_BASE=0, CONNECTORS={
        "demo": {"base_url": sim.base_url, "api_key": simulator.API_KEY, "timeout": 0.5,
                 "webhook_secret": WEBHOOK_SECRET}})
    from portal import seed

    with app.app_context():
        seed.seed_demo()
    yield app, sim
    sim.shutdown()
    database.close()


@pytest.fixture
def portal_url(demo_app):
    """The portal over real HTTP, for the demo app's webhooks."""
    app, _sim = demo_app
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


def test_installed_plugin_is_discovered_configured_and_syncs(demo_app):
    app, sim = demo_app
    listing = app.test_cli_runner().invoke(args=["connectors"]).output
    line = next(line for line in listing.splitlines() if line.startswith("demo "))
    assert "0.1.0" in line and "aktif" in line and "kesehatan: OK" in line

    first = sim.add("Lampu taman mati", "Lampu taman kota mati sejak Senin.",
                    kontak="081300000001", opd="DLH")
    result = app.test_cli_runner().invoke(args=["sync", "demo"])
    assert "demo: diambil 1, baru 1" in result.output, result.output
    with app.app_context():
        complaint = Complaint.get(Complaint.channel == "demo")
        assert complaint.external_id == str(first["id"]) and complaint.opd.code == "DLH"
        complaints.perform(complaint, "teruskan", role="admin", actor="Admin", opd=complaint.opd)
        assert outbox.deliver_due()["done"] == 1
    assert sim.answers[-1]["status"] == "diproses"

    sim.reply(first["id"], "Sudah seminggu, mohon dipercepat.")
    with app.app_context():
        assert engine.run_pass("demo").error == ""
        assert engine.run_pass("demo").fetched == 0  # the cursor moved on
        assert [e.text for e in complaint.events if e.kind == REPLY_KIND] == [
            "Sudah seminggu, mohon dipercepat."]
        assert Complaint.select().count() == 1


def test_uninstalled_connectors_are_not_loaded_without_entry_points(app):
    with app.app_context():
        from portal.sync import config

        assert "demo" not in config.installed()


def test_the_example_webhook_over_real_http_pulls_the_announced_report(demo_app, portal_url):
    app, sim = demo_app
    sim.webhook_url, sim.webhook_secret = portal_url + "/hooks/demo", WEBHOOK_SECRET
    first = sim.add("Saluran tersumbat", "Saluran air di Jl. Veteran tersumbat.", opd="DLH")
    assert sim.webhooks == [204]
    with app.app_context():
        complaint = Complaint.get(Complaint.channel == "demo")
        assert complaint.external_id == str(first["id"])
        assert complaint.title == "Saluran tersumbat"
    sim.reply(first["id"], "Airnya sudah meluap ke jalan.")
    assert sim.webhooks == [204, 204]
    with app.app_context():
        assert [e.text for e in complaint.events if e.kind == REPLY_KIND] == [
            "Airnya sudah meluap ke jalan."]


def test_the_example_webhook_refuses_forged_stale_and_oversized_requests(demo_app, portal_url):
    from aduan_connector_demo import simulator

    app, sim = demo_app
    report = sim.add("Lampu taman mati", "Sejak Senin.")
    url = portal_url + "/hooks/demo"
    body = json.dumps({"id": report["id"]}).encode()
    now = str(int(time.time()))

    def post(headers, data=body):
        return requests.post(url, data=data, headers=headers, timeout=10)

    forged = post(simulator.sign("rahasia-lain", body, now))
    assert forged.status_code == 401 and forged.json()["error"] == "tanda tangan tidak sah"
    assert post({"Content-Type": "application/json"}).status_code == 401
    stale = post(simulator.sign(WEBHOOK_SECRET, body, str(int(time.time()) - 3600)))
    assert stale.status_code == 401 and "jendela" in stale.json()["error"]
    # The time is signed too: a fresh time on an old signature does not pass.
    old = simulator.sign(WEBHOOK_SECRET, body, str(int(time.time()) - 3600))
    assert post({**old, "X-Demo-Waktu": now}).status_code == 401
    junk = b'{"tidak": "ada id"}'
    assert post(simulator.sign(WEBHOOK_SECRET, junk, now), junk).status_code == 400
    big = b" " * (app.config["WEBHOOK_MAX_BYTES"] + 1)
    assert post(simulator.sign(WEBHOOK_SECRET, big, now), big).status_code == 413
    assert requests.post(portal_url + "/hooks/tidak-ada", data=body, timeout=10).status_code == 404
    with app.app_context():
        assert Complaint.select().count() == 0  # nothing pulled by a refused webhook
    assert post(simulator.sign(WEBHOOK_SECRET, body, now)).status_code == 204
    with app.app_context():
        assert Complaint.select().count() == 1
