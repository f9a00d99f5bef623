"""Two web servers (gunicorn with deploy/gunicorn.conf.py) and two task
consumers on one PostgreSQL database, one Redis queue and one shared photo
folder, each with an instance folder of its own: every complaint is stored
once and handled once, a photo sent to one server is served by the other,
and a session works (and ends) across both.  Bounded: about 30 seconds."""
import io
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from conftest import hidden_fields
from portal.db import open_database
from staff_helpers import photo_bytes
from test_run_script import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.once]

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
COMPLAINTS = 24


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return requests.get(url, timeout=5)
        except requests.RequestException:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {seconds}s")


def _start(command, env, log):
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def _stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def _submit(base, n):
    session = requests.Session()
    tokens = hidden_fields(session.get(f"{base}/lapor", timeout=30).text)
    categories = re.findall(r'<option value="(\d+)"', session.get(f"{base}/lapor", timeout=30).text)
    data = {**tokens, "judul": f"Lampu jalan mati nomor {n}", "kategori": categories[0],
            "klasifikasi": "pengaduan", "kontak": f"warga{n}@example.id",
            "isi": f"Lampu jalan nomor {n} di Jalan Ahmad Yani mati sejak minggu lalu."}
    answer = session.post(f"{base}/lapor", data=data, allow_redirects=False, timeout=30,
                          files={"foto": (f"foto{n}.png", io.BytesIO(photo_bytes()), "image/png")})
    # A double tap: the same form sent again must not make a second complaint.
    again = session.post(f"{base}/lapor", data=data, allow_redirects=False, timeout=30,
                         files={"foto": (f"foto{n}.png", io.BytesIO(photo_bytes()), "image/png")})
    assert answer.status_code == again.status_code == 303, answer.text[:500]
    assert answer.headers["Location"] == again.headers["Location"]
    return answer.headers["Location"].rsplit("/", 1)[1]


def test_two_web_servers_and_two_consumers_share_everything(tmp_path, postgres_url, redis_url):
    import redis

    open_database(postgres_url)  # the fixture closes the connection afterwards
    queue_url = redis_url.rsplit("/", 1)[0] + "/13"  # a database of its own
    redis.Redis.from_url(queue_url).flushdb()
    shared = {"SECRET_KEY": secrets.token_hex(32), "DATABASE_URL": postgres_url,
              "HUEY_URL": queue_url, "ADUAN_UPLOAD_FOLDER": str(tmp_path / "photos"),
              "ADUAN_PASSWORD_PROFILE": "CHEAPEST", "ADUAN_LOG_LEVEL": "INFO",
              # Every test client comes from 127.0.0.1: one address for all.
              "ADUAN_SUBMIT_LIMIT_PER_ADDRESS": "1000 per minute",
              "PATH": f"{BIN}:{os.environ['PATH']}", "ADUAN_LOAD_ENTRY_POINTS": "0"}

    def host_env(name):
        return {**os.environ, **shared, "ADUAN_INSTANCE_PATH": str(tmp_path / name)}

    flask = [BIN / "flask", "--app", "portal"]
    subprocess.run([*flask, "db", "upgrade"], env=host_env("a"), cwd=ROOT, check=True,
                   capture_output=True, timeout=120)
    seeded = subprocess.run([*flask, "seed"], env=host_env("a"), cwd=ROOT, check=True,
                            capture_output=True, text=True, timeout=120).stdout
    admin_password = re.search(r"^\s+admin\s+admin\s+(\S+)$", seeded, re.M)[1]

    processes, logs, bases = [], [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            log = open(tmp_path / f"web-{name}.log", "wb")
            env = {**host_env(name), "ADUAN_BIND": f"127.0.0.1:{port}", "ADUAN_WORKERS": "2",
                   "ADUAN_THREADS": "4"}
            processes.append(_start([BIN / "gunicorn", "-c", "deploy/gunicorn.conf.py",
                                     "wsgi:app"], env, log))
            bases.append(f"http://127.0.0.1:{port}")
        for name, extra in (("a", []), ("b", ["--no-periodic"])):
            path = tmp_path / f"worker-{name}.log"
            logs.append(path)
            processes.append(_start([BIN / "huey_consumer", "portal.worker.huey", "--workers", "2",
                                     "--worker-type", "thread", "--flush-locks", *extra],
                                    host_env(f"worker-{name}"), open(path, "wb")))
        for base in bases:
            assert wait_for(f"{base}/healthz").json()["status"] == "ok"

        with ThreadPoolExecutor(8) as pool:
            codes = list(pool.map(lambda n: _submit(bases[n % 2], n), range(COMPLAINTS)))
        assert len(set(codes)) == COMPLAINTS

        # Stored once, whichever server took it, and its photo served by the other.
        for n, code in enumerate(codes):
            page = requests.get(f"{bases[(n + 1) % 2]}/lacak/{code}", timeout=30)
            assert page.status_code == 200
            photo = re.search(r'src="(/foto/[0-9a-f]{32}\.jpg)"', page.text)[1]
            assert requests.get(bases[(n + 1) % 2] + photo, timeout=30).status_code == 200

        # Handled once: each arrival task ran on exactly one of the consumers.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            text = "".join(p.read_text(errors="replace") for p in logs)
            handled = re.findall(r"complaint (\w+) received via web", text)
            if len(handled) >= COMPLAINTS:
                break
            time.sleep(0.5)
        time.sleep(1)  # a duplicate would show up now
        text = "".join(p.read_text(errors="replace") for p in logs)
        handled = re.findall(r"complaint (\w+) received via web", text)
        assert sorted(handled) == sorted(code.replace("-", "") for code in codes)

        # A staff session made on one server works on the other, and ends on both.
        staff = requests.Session()
        tokens = hidden_fields(staff.get(f"{bases[0]}/staf/masuk", timeout=30).text)
        staff.post(f"{bases[0]}/staf/masuk", timeout=30, allow_redirects=False,
                   data={**tokens, "username": "admin", "password": admin_password})
        assert staff.get(f"{bases[1]}/staf/antrean", timeout=30, allow_redirects=False
                         ).status_code == 200
        copy = requests.Session()
        copy.cookies.update(staff.cookies)
        tokens = hidden_fields(staff.get(f"{bases[1]}/staf/keluar", timeout=30).text)
        staff.post(f"{bases[1]}/staf/keluar", data=tokens, timeout=30, allow_redirects=False)
        assert copy.get(f"{bases[0]}/staf/antrean", timeout=30, allow_redirects=False
                        ).status_code == 302
    finally:
        for process in processes:
            _stop(process)
