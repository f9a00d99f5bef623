"""Logging under gunicorn: the root logger is bare there, so INFO would be
lost unless the app configures its own loggers; each line carries the
request id the proxy sent."""
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
LISTENING = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")


def _collect(stream, lines):
    for line in iter(stream.readline, ""):
        lines.append(line)


def _wait_for(lines, pattern, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for line in list(lines):
            found = pattern.search(line)
            if found:
                return found
        time.sleep(0.05)
    return None


def test_gunicorn_logs_each_request_at_info_with_its_request_id(tmp_path):
    assert GUNICORN.exists(), "gunicorn is in the test extra: pip install -e '.[test]'"
    instance = tmp_path / "instance"
    env = {**os.environ, "ADUAN_INSTANCE_PATH": str(instance),
           "DATABASE_URL": f"sqlite:///{instance / 'aduan.db'}",
           "SECRET_KEY": secrets.token_hex(32)}
    env.pop("ADUAN_LOG_LEVEL", None)
    server = subprocess.Popen(
        [str(GUNICORN), "--bind", "127.0.0.1:0", "--workers", "1", "--timeout", "60", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = []
    reader = threading.Thread(target=_collect, args=(server.stderr, lines), daemon=True)
    reader.start()
    try:
        listening = _wait_for(lines, LISTENING, 20)
        assert listening, "gunicorn did not start:\n" + "".join(lines)
        base = f"http://127.0.0.1:{listening.group(1)}"
        response = None
        deadline = time.monotonic() + 40
        while response is None and time.monotonic() < deadline and server.poll() is None:
            try:  # the worker imports the app after the master listens (slow on a busy host)
                response = requests.get(f"{base}/healthz", headers={"X-Request-ID": "abc123"},
                                        timeout=20)
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        assert response is not None, "no answer from gunicorn:\n" + "".join(lines)
        assert response.headers["X-Request-ID"] == "abc123"
        line = _wait_for(lines, re.compile(r"^.* INFO aduan\.web \[abc123\] GET /healthz "
                                           r"\d{3} \d+ms$", re.M), 10)
        assert line, "no INFO line with [abc123] in gunicorn's stderr:\n" + "".join(lines)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
        reader.join(5)
