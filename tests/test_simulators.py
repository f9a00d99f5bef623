"""The simulators themselves: CLI, loopback binding, control API, photos, shutdown."""

import io
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest
import requests
from PIL import Image

from sim_http import http  # noqa: F401
from simulators.rabeg import server as rabeg_sim
from simulators.sp4n import server as sp4n_sim


@pytest.fixture(params=[sp4n_sim, rabeg_sim], ids=["sp4n", "rabeg"])
def sim(request):
    server, _ = request.param.serve(port=0)
    yield server
    server.shutdown()


def first_line(stream, timeout=10.0):
    lines = queue.Queue()
    threading.Thread(target=lambda: lines.put(stream.readline()), daemon=True).start()
    return lines.get(timeout=timeout)


@pytest.mark.parametrize("module, extra", [
    ("simulators.sp4n", ["--no-demo"]),
    ("simulators.rabeg", ["--api-key", "kunci-uji"]),
])
def test_cli_serves_until_sigterm(http, module, extra):
    process = subprocess.Popen(
        [sys.executable, "-m", module, "--port", "0", "--quiet", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        banner = first_line(process.stdout)
        root = banner.split("control: ")[1].split("/_sim")[0]
        state = http.get(f"{root}/_sim/state").json()
        assert state["applied"] == {}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_rabeg_cli_needs_webhook_secret_with_url():
    result = subprocess.run(
        [sys.executable, "-m", "simulators.rabeg",
         "--webhook-url", "http://127.0.0.1:9/hooks/rabeg"],
        capture_output=True, text=True, timeout=20)
    assert result.returncode == 2
    assert "--webhook-secret" in result.stderr


@pytest.mark.parametrize("module", [sp4n_sim, rabeg_sim])
def test_refuses_non_loopback_host(module):
    with pytest.raises(ValueError):
        module.serve(port=0, host="0.0.0.0")


def test_demo_photos_are_real_jpegs(http):
    server, base_url = sp4n_sim.serve(port=0)
    try:
        state = http.get(f"{server.root_url}/_sim/state").json()
        url = next(c["attachments"][0]["url"] for c in state["complaints"] if c["attachments"])
        assert url.startswith(server.root_url)
        response = http.get(url)
        assert response.headers["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(response.content)) as image:
            assert image.format == "JPEG" and image.size == (320, 240)
    finally:
        server.shutdown()


def test_bad_fault_is_refused_and_faults_can_be_cleared(sim, http):
    faults = f"{sim.root_url}/_sim/faults"
    assert http.post(faults, json={"type": "meteor"}).status_code == 400
    assert http.post(faults, json={"type": "status_5xx", "status": 404}).status_code == 400
    armed = http.post(faults, json={"faults": [{"type": "slow", "count": 3},
                                               {"type": "rate_limit"}]})
    assert armed.status_code == 201 and len(armed.json()["pending"]) == 2
    assert http.delete(faults).json() == {"cleared": 2}
    assert http.get(faults).json()["pending"] == []


def test_shutdown_does_not_wait_for_a_sleeping_timeout_fault(http):
    server, base_url = rabeg_sim.serve(port=0)
    http.post(f"{server.root_url}/_sim/faults", json={"type": "timeout", "seconds": 30})
    with pytest.raises(requests.Timeout):
        http.get(base_url + "/api/v1/opd", timeout=0.3)
    started = time.monotonic()
    server.shutdown()
    assert time.monotonic() - started < 2


def test_reset_empties_and_reseeds(sim, http):
    http.post(f"{sim.root_url}/_sim/reset", json={"demo": False})
    state = http.get(f"{sim.root_url}/_sim/state").json()
    assert not state.get("complaints", state.get("reports"))
    http.post(f"{sim.root_url}/_sim/reset", json={})
    state = http.get(f"{sim.root_url}/_sim/state").json()
    assert len(state.get("complaints", state.get("reports"))) == 10


def test_control_api_validates_input(sim, http):
    response = http.post(f"{sim.root_url}/_sim/reports", json={"photos": 1})
    assert response.status_code == 400
    response = http.post(f"{sim.root_url}/_sim/reports/999/reply", json={})
    assert response.status_code in (400, 404)
