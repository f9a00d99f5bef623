"""`make run`'s script: web server and Huey consumer together; Ctrl-C stops both."""
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from conftest import hidden_fields
from portal.tasks.app import make_huey

pytestmark = pytest.mark.once  # runs scripts/run on its own SQLite instance

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return requests.get(url, timeout=1)
        except requests.ConnectionError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {seconds}s")


def group_alive(pgid) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def test_run_serves_processes_tasks_syncs_and_stops_on_ctrl_c(tmp_path):
    port, sp4n_port, rabeg_port = free_port(), free_port(), free_port()
    env = {**os.environ, "ADUAN_INSTANCE_PATH": str(tmp_path), "PORT": str(port),
           "SP4N_PORT": str(sp4n_port), "RABEG_PORT": str(rabeg_port),
           "PATH": f"{BIN}:{os.environ['PATH']}", "VIRTUAL_ENV": str(BIN.parent)}
    for command in (["init-instance"], ["db", "upgrade"], ["seed"]):
        subprocess.run([BIN / "flask", "--app", "portal", *command], env=env, check=True,
                       capture_output=True, cwd=ROOT)
    subprocess.run([BIN / "python", "-m", "simulators.demo", "--sp4n-port", str(sp4n_port),
                    "--rabeg-port", str(rabeg_port), "--instance", str(tmp_path)],
                   env=env, check=True, capture_output=True, cwd=ROOT)
    process = subprocess.Popen([ROOT / "scripts" / "run"], env=env, cwd=ROOT, start_new_session=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        health = wait_for(f"{base}/healthz")
        assert health.status_code == 200 and health.json()["status"] == "ok"

        session = requests.Session()
        tokens = hidden_fields(session.get(f"{base}/lapor").text)
        answer = session.post(f"{base}/lapor", allow_redirects=False, data={
            **tokens, "judul": "Drainase tersumbat", "kategori": "3", "klasifikasi": "pengaduan",
            "isi": "Saluran air tersumbat sampah, tiap hujan jalan tergenang."})
        assert answer.status_code == 303
        # The consumer, not the web process, takes the task off the queue.
        queue = make_huey(None, str(tmp_path))
        deadline = time.monotonic() + 20
        while queue.pending_count() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert queue.pending_count() == 0

        # A newcomer sees complaints arrive from both simulated channels
        # within a minute (the demo pulls every minute, and once at start).
        channels = set()
        deadline = time.monotonic() + 60
        while channels != {"sp4n", "rabeg", "web"} and time.monotonic() < deadline:
            time.sleep(1)
            with sqlite3.connect(tmp_path / "aduan.db") as db:
                channels = {row[0] for row in db.execute("SELECT DISTINCT channel FROM complaint")}
        assert channels == {"sp4n", "rabeg", "web"}
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        output = process.communicate(timeout=20)[0].decode()
    deadline = time.monotonic() + 10
    while group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not group_alive(process.pid), output
    assert "Aduan berhenti." in output


def test_the_readme_gives_the_consumer_command_scripts_run_uses():
    """Production must not run a consumer without --flush-locks."""
    line = next(text for text in (ROOT / "scripts" / "run").read_text().splitlines()
                if "huey_consumer" in text and not text.lstrip().startswith("#"))
    args = line.split("huey_consumer", 1)[1].strip('" ').split("&")[0].split("--quiet")[0].split()
    command = " ".join(["huey_consumer", *args])
    assert "--flush-locks" in command
    assert command in (ROOT / "README.md").read_text()
