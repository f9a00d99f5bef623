"""Throughput against the framework's ceiling, over real HTTP.

gunicorn `-w 2` serves the portal (10k complaints) and, in the same run, a
bare Flask "hello" app; `wrk -t2 -c16` loads one, then the other, page by
page, round after round (interleaved, so both see the same machine).  Each
ratio is the page's requests per second divided by the bare app's: 1.0 would
be a page that costs nothing beyond Flask itself.

`POST /lapor` sends a valid form with a fresh submission token per request
(a wrk Lua script), so each request creates a complaint.
"""
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import Result

ROOT = Path(__file__).resolve().parent.parent
QUICK = os.environ.get("BENCH_QUICK") == "1"
DURATION = 2 if QUICK else 5
ROUNDS = 1 if QUICK else 3
COMPLAINTS = 2_000 if QUICK else 10_000
UNCACHED = "queue, render cache off"

LUA = """
local counter = 0
local thread_id = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  thread_id = tid or 0
end
request = function()
  counter = counter + 1
  local token = string.format("bench-%%d-%%d-%%d", thread_id, counter, math.random(1, 1000000000))
  local body = "csrf_token=%(csrf)s&token=" .. token ..
    "&judul=Lampu+jalan+mati+di+Ciceri&isi=Lampu+PJU+mati+sejak+seminggu%%2C+jalan+gelap+sekali." ..
    "&kategori=%(category)s&klasifikasi=pengaduan"
  return wrk.format("POST", "/lapor", {["Content-Type"] = "application/x-www-form-urlencoded",
                                       ["Accept-Encoding"] = "gzip",
                                       ["Cookie"] = "%(cookie)s"}, body)
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


def _gunicorn(app: str, port: int, env: dict) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}",
               "--log-level", "warning", app]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    _wait(port)
    return process


def _wrk(url: str, *, headers=(), script=None) -> tuple[float, int]:
    """(requests per second, error responses and timeouts) of one wrk run."""
    # What every phone browser sends: pages go out gzipped, as they would.
    command = ["wrk", "-t2", "-c16", f"-d{DURATION}s", "--latency", "-H", "Accept-Encoding: gzip"]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", script]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True,
                         timeout=DURATION + 30).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: .*?timeout (\d+)", out)
    return rate, (int(errors.group(1)) if errors else 0) + (
        int(socket_errors.group(1)) if socket_errors else 0)


def _prepare_instance(folder: Path) -> dict:
    """An instance with COMPLAINTS complaints; the staff credentials."""
    env = {**os.environ, "ADUAN_INSTANCE_PATH": str(folder)}
    (folder / "config.py").write_text(
        f'SECRET_KEY = "{secrets.token_hex(32)}"\nLOG_LEVEL = "WARNING"\nLOAD_ENTRY_POINTS = False\n'
        # One wrk client stands for many citizens: the per-address limit would
        # answer most of its submissions with 429.
        "RATELIMIT_ENABLED = False\n")
    code = (
        "import json, sys\n"
        "from benchmarks.datagen import fill, open_bench_database\n"
        "from portal import schema\n"
        "from portal.accounts import users\n"
        "from portal.accounts.models import User\n"
        f"app, db = open_bench_database('sqlite:///{folder / 'aduan.db'}')\n"
        "with app.app_context():\n"
        f"    fill(db, {COMPLAINTS})\n"
        "    schema.optimize(db); db.execute_sql('ANALYZE')\n"
        "    print(json.dumps({'operator.dpupr': users.reset_password("
        "User.get(User.username == 'operator.dpupr'))}))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                         text=True, check=True).stdout
    import json

    return json.loads(out.strip().splitlines()[-1])


def _session(base: str, credentials: dict):
    """(staff cookie, citizen cookie, CSRF token for the form, a category id, a tracking URL)."""
    import requests

    staff = requests.Session()
    page = staff.get(f"{base}/staf/masuk").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = staff.post(f"{base}/staf/masuk", allow_redirects=False,
                        data={"username": "operator.dpupr", "password": credentials["operator.dpupr"],
                              "csrf_token": token})
    assert answer.status_code == 303, answer.status_code
    # A browser keeps the cookie its first queue page set (with the session's
    # CSRF token); wrk sends one fixed cookie, so take it after that page.
    assert staff.get(f"{base}/staf/antrean").status_code == 200
    citizen = requests.Session()
    form = citizen.get(f"{base}/lapor").text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    category = re.search(r'<option value="(\d+)"', form).group(1)
    made = citizen.post(f"{base}/lapor", allow_redirects=False, data={
        "csrf_token": csrf, "token": "bench-first", "judul": "Lampu jalan mati di Ciceri",
        "isi": "Lampu PJU mati sejak seminggu, jalan gelap sekali.", "kategori": category,
        "klasifikasi": "pengaduan"})
    assert made.status_code == 303, made.status_code
    return (f"session={staff.cookies['session']}", f"session={citizen.cookies['session']}",
            csrf, category, made.headers["Location"].replace(base, ""))


def bench_throughput():
    if not shutil.which("wrk"):
        return [Result("throughput suite skipped", "wrk not installed", 1, 1,
                       note="apt-get install -y wrk")]
    folder = Path(tempfile.mkdtemp(prefix="aduan-http-"))
    credentials = _prepare_instance(folder)
    env = {**os.environ, "ADUAN_INSTANCE_PATH": str(folder), "PYTHONPATH": str(ROOT)}
    bare_port, portal_port, uncached_port = _free_port(), _free_port(), _free_port()
    # A second portal with the queue's render cache off: what rendering the
    # queue costs each time, beside what an unchanged queue costs.
    processes = [_gunicorn("benchmarks.bare_app:app", bare_port, env),
                 _gunicorn("wsgi:app", portal_port, env),
                 _gunicorn("wsgi:app", uncached_port, {**env, "ADUAN_QUEUE_RENDER_CACHE": "0"})]
    try:
        base = f"http://127.0.0.1:{portal_port}"
        staff_cookie, citizen_cookie, csrf, category, track = _session(base, credentials)
        script = folder / "post.lua"
        script.write_text(LUA % {"csrf": csrf, "category": category, "cookie": citizen_cookie})
        pages = [
            ("/", {}),
            (track, {}),
            ("/lapor", {}),
            ("/staf/antrean", {"headers": [f"Cookie: {staff_cookie}"]}),
            (UNCACHED, {"headers": [f"Cookie: {staff_cookie}"]}),
            ("POST /lapor", {"script": str(script)}),
        ]
        ratios = {name: [] for name, _ in pages}
        rates = {name: [] for name, _ in pages}
        errors = {name: 0 for name, _ in pages}
        for _ in range(ROUNDS):
            for name, options in pages:
                bare, _ = _wrk(f"http://127.0.0.1:{bare_port}/")
                path = {"POST /lapor": "/lapor", UNCACHED: "/staf/antrean"}.get(name, name)
                where = f"http://127.0.0.1:{uncached_port}" if name == UNCACHED else base
                rate, failed = _wrk(where + path, **options)
                ratios[name].append(rate / bare)
                rates[name].append((bare, rate))
                errors[name] += failed
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)
    results = []
    labels = {track: "/lacak/<kode>", "/staf/antrean": f"/staf/antrean ({COMPLAINTS:,} complaints)",
              UNCACHED: f"/staf/antrean ({COMPLAINTS:,} complaints), rendered every time"}
    for name, _ in pages:
        ratio = statistics.median(ratios[name])
        bare, rate = max(rates[name], key=lambda r: r[1])
        note = f"{rate:.0f} req/s vs bare {bare:.0f} req/s"
        if errors[name]:
            note += f"; {errors[name]} error responses or timeouts (over 2 s)"
        results.append(Result(f"throughput {labels.get(name, name)}", "bare Flask hello",
                              1 / bare, 1 / rate, note=note, shown_ratio=ratio))
    return results
