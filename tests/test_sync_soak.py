"""Soak (issue 10.7): both simulators with every fault switched on at random
while a real `huey_consumer` is killed with SIGKILL and restarted, staff
answer complaints as they arrive, and new complaints keep coming.  Then the
faults stop and the system must settle, checked against the simulators' own
records: every remote complaint arrived exactly once, every local response
was applied exactly once remotely, and no status moved backwards on either
side.  Bounded: CHAOS_SECONDS of faults, at most SETTLE_SECONDS to settle.
The consumer is killed 1-4 s after each start is logged.

The fault counts it survived are printed (pytest -s) and kept in
`instance/soak.json` of the test's temporary folder."""
import json
import random
import time
from collections import Counter

import peewee
import pytest
import requests

from conftest import make_test_app
from connector_flow import answer
from consumer_proc import instance_queue, kill, start_consumer
from portal.complaints import workflow
from portal.complaints.models import Complaint, TimelineEvent
from portal.db import database
from portal.sync.echoes import PROGRESS
from portal.sync.models import DONE, ExternalRef, OutboxItem, SyncState
from simulators.demo import demo_config
from simulators.faults import parse_fault
from simulators.rabeg import server as rabeg_simulator
from simulators.sp4n import server as sp4n_simulator

CHAOS_SECONDS = 30.0
SETTLE_SECONDS = 40.0
TICK = 0.4
LEASE = 2.0
CLAIM_LEASE = 8.0
SP4N_STATUS_ORDER = [0, 1, 2, 3]  # belum/sudah terverifikasi, dalam proses, selesai
RABEG_STATUS_ORDER = ["belum_dibaca", "menunggu", "dalam_proses", "selesai"]

SP4N_FAULTS = [
    {"type": "status_5xx", "status": 503},
    {"type": "status_5xx", "status": 500},
    {"type": "timeout", "seconds": 1.5},
    {"type": "slow", "seconds": 0.3},
    {"type": "rate_limit", "retry_after": 1},
    {"type": "malformed_json"},
    {"type": "repeat_reorder", "path": "/complaints/disposition", "overlap": 3},
    {"type": "shift_pages", "path": "/complaints/disposition", "overlap": 2},
    {"type": "lost_answer", "method": "POST", "mode": "drop"},
    {"type": "lost_answer", "method": "POST", "mode": "502"},
]
RABEG_FAULTS = [f for f in SP4N_FAULTS if f["type"] != "shift_pages"
                and f.get("path") != "/complaints/disposition"] + [
    {"type": "repeat_reorder", "path": "/reports", "overlap": 3}]


@pytest.fixture
def sims():
    sp4n, _ = sp4n_simulator.serve(port=0)
    rabeg, _ = rabeg_simulator.serve(port=0)
    yield sp4n, rabeg
    sp4n.shutdown()
    rabeg.shutdown()


def _arm(sim, rng, catalogue):
    spec = dict(rng.choice(catalogue))
    spec["count"] = rng.randint(1, 3)
    sim.faults.add(parse_fault(spec))


def _add_reports(session, sp4n, rabeg, n):
    session.post(f"{sp4n.root_url}/_sim/reports", json={
        "title": f"Laporan soak {n}", "content": f"Isi laporan soak nomor {n}.", "photos": 1},
        timeout=5)
    session.post(f"{rabeg.root_url}/_sim/reports", json={
        "judul": f"Laporan Rabeg soak {n}", "isi": f"Isi laporan Rabeg soak nomor {n}.",
        "opd_tujuan": "DISHUB"}, timeout=5)


def _tick(instance, huey_pending):
    from portal.sync.tasks import deliver_due_task, pull_task

    with instance_queue(instance):
        if huey_pending() < 6:
            pull_task("sp4n")
            pull_task("rabeg")
            deliver_due_task()


def _answer_new(app, answered):
    """Staff answer what arrived: forward, report, answer with a photo, publish."""
    with app.app_context():
        fresh = list(Complaint.select().where(Complaint.channel.in_(("sp4n", "rabeg"))
                                              & (Complaint.status == workflow.BARU)
                                              & Complaint.id.not_in(list(answered) or [0]))
                     .limit(3))
        for complaint in fresh:
            text = f"Tanggapan resmi untuk {complaint.code}: sudah ditangani."
            try:
                answer(complaint, app.config["UPLOAD_FOLDER"], text)
                answered[complaint.id] = text
            except (workflow.TransitionRefused, peewee.OperationalError):
                pass  # a pull moved it meanwhile, or the worker held the database: next time
    database.close()


def _settled(app, sp4n, rabeg, settle_started):
    with app.app_context():
        states = {s.connector: s for s in SyncState.select()}
        passes_done = all(states.get(n) and states[n].last_success_at
                          and states[n].last_success_at > settle_started for n in ("sp4n", "rabeg"))
        pending = OutboxItem.select().where(OutboxItem.state != DONE).count()
        refs = Counter(r.channel for r in ExternalRef.select())
    database.close()
    with sp4n.state.lock:
        remote_sp4n = len(sp4n.state.complaints)
    with rabeg.state.lock:
        remote_rabeg = len(rabeg.state.reports)
    return (passes_done and pending == 0 and refs["sp4n"] == remote_sp4n
            and refs["rabeg"] == remote_rabeg)


def test_soak_every_fault_and_killed_workers(tmp_path, sims):
    sp4n, rabeg = sims
    seed = int(time.time())
    rng = random.Random(seed)
    from portal import seed as directory

    instance = tmp_path / "instance"
    instance.mkdir()
    demo = demo_config(sp4n.port, rabeg.port)
    # Small pages, so listings span pages and can shift under the pass.
    connectors = {name: {**demo[name], "timeout": 1.0, "interval": 3600, "page_size": 4}
                  for name in demo}
    # Short leases and backoff so a killed worker's work resumes within the
    # run; the claim lease still outlasts one delivery (a look and a post).
    settings = {"SYNC_LOCK_LEASE": LEASE, "SYNC_CLAIM_LEASE": CLAIM_LEASE,
                "SYNC_BACKOFF_BASE": 0.5, "SYNC_BACKOFF_CAP": 1.0, "SYNC_MAX_ATTEMPTS": 10_000}
    (instance / "config.py").write_text(f"CONNECTORS = {connectors!r}\n" + "".join(
        f"{key} = {value!r}\n" for key, value in settings.items()))
    app = make_test_app(tmp_path, CONNECTORS=connectors, **settings)
    with app.app_context():
        directory.seed_demo()
    database.close()

    from huey.storage import SqliteStorage

    queue = SqliteStorage(name="aduan", filename=str(instance / "huey.db"))
    session = requests.Session()
    session.trust_env = False
    log = open(tmp_path / "consumer.log", "wb")
    consumer = start_consumer(instance, log, workers=2)
    kills, added, answered = 0, 0, {}
    started = time.monotonic()
    next_kill = None

    def consumers_up():
        return (tmp_path / "consumer.log").read_bytes().count(b"Huey consumer started")
    try:
        while time.monotonic() - started < CHAOS_SECONDS:
            for sim, catalogue in ((sp4n, SP4N_FAULTS), (rabeg, RABEG_FAULTS)):
                # A few pending at a time: enough that most passes meet one,
                # few enough that work still gets through between them.
                if len(sim.faults.snapshot()["pending"]) < 2 and rng.random() < 0.7:
                    _arm(sim, rng, catalogue)
            if rng.random() < 0.3:
                added += 1
                _add_reports(session, sp4n, rabeg, added)
            if next_kill is None and consumers_up() > kills:
                # Killed only once it runs: a slow start would otherwise
                # be all that is ever killed.
                next_kill = time.monotonic() + rng.uniform(1.0, 4.0)
            if next_kill is not None and time.monotonic() >= next_kill:
                kill(consumer)  # mid-pull, mid-POST, mid-transaction: wherever it is
                kills += 1
                consumer = start_consumer(instance, log, workers=2)
                next_kill = None
            _tick(instance, queue.queue_size)
            _answer_new(app, answered)
            time.sleep(TICK)

        sp4n.faults.clear()
        rabeg.faults.clear()
        settle_started_wall = __import__("portal.clock", fromlist=["utcnow"]).utcnow()
        settle_deadline = time.monotonic() + SETTLE_SECONDS
        while not _settled(app, sp4n, rabeg, settle_started_wall):
            assert time.monotonic() < settle_deadline, (
                "did not settle; consumer log tail:\n"
                + (tmp_path / "consumer.log").read_text(errors="replace")[-3000:])
            _tick(instance, queue.queue_size)
            time.sleep(TICK)
        time.sleep(1.0)  # room for a late duplicate to show up
    finally:
        kill(consumer)
        log.close()
        session.close()
    elapsed = time.monotonic() - started

    fired = Counter(f["type"] for sim in (sp4n, rabeg) for f in sim.faults.fired)
    report = {"seed": seed, "seconds": round(elapsed, 1), "kills": kills,
              "complaints_added": 2 * added, "answered": len(answered),
              "faults": dict(fired), "shifted": len(sp4n.state.shifted)}
    (instance / "soak.json").write_text(json.dumps(report))
    print("\nsoak:", json.dumps(report))

    with sp4n.state.lock:
        sp4n_snapshot = sp4n.state.snapshot(sp4n.root_url)
    with rabeg.state.lock:
        rabeg_snapshot = rabeg.state.snapshot(rabeg.root_url)
    # The run must have exercised something, however loaded the machine is.
    assert kills >= 3 and len(answered) >= 3 and sum(fired.values()) >= 10, (
        report, (tmp_path / "consumer.log").read_text(errors="replace")[-6000:])

    with app.app_context():
        # Every remote complaint arrived exactly once.
        remote_ids = {"sp4n": {str(c["complaint_id"]) for c in sp4n_snapshot["complaints"]},
                      "rabeg": {r["id"] for r in rabeg_snapshot["reports"]}}
        for channel, ids in remote_ids.items():
            refs = [r.external_id for r in ExternalRef.select().where(ExternalRef.channel == channel)]
            assert sorted(refs) == sorted(ids), channel
            assert Complaint.select().where(Complaint.channel == channel).count() == len(ids)

        # Every local response was applied exactly once remotely.
        by_complaint = {r.complaint_id: r for r in ExternalRef.select()}
        sp4n_posts = Counter((str(f["complaint_id"]), f["content"])
                             for f in sp4n_snapshot["posted_followups"])
        rabeg_posts = Counter((t["report_id"], t["isi"]) for t in rabeg_snapshot["tanggapan"])
        assert all(n == 1 for n in sp4n_posts.values()), sp4n_posts.most_common(3)
        assert all(n == 1 for n in rabeg_posts.values()), rabeg_posts.most_common(3)
        for complaint_id, text in answered.items():
            ref = by_complaint[complaint_id]
            posts = sp4n_posts if ref.channel == "sp4n" else rabeg_posts
            assert posts[(ref.external_id, text)] == 1, (ref.channel, ref.external_id)
        assert OutboxItem.select().where(OutboxItem.state != DONE).count() == 0

        # No status moved backwards, here or there.
        for complaint in Complaint.select():
            steps = [PROGRESS[e.status_after] for e in TimelineEvent.select()
                     .where((TimelineEvent.complaint == complaint.id)
                            & TimelineEvent.status_after.is_null(False))
                     .order_by(TimelineEvent.id)]
            assert steps == sorted(steps), (complaint.code, steps)
    for remote in sp4n_snapshot["complaints"]:
        codes = [SP4N_STATUS_ORDER.index(log["status_code"]) for log in remote["data_logs"]
                 if log["status_code"] in SP4N_STATUS_ORDER]
        assert codes == sorted(codes), (remote["complaint_id"], codes)
    by_report = {}
    for report_id, status in rabeg_snapshot["status_log"]:
        by_report.setdefault(report_id, []).append(RABEG_STATUS_ORDER.index(status))
    for report_id, steps in by_report.items():
        assert steps == sorted(steps), (report_id, steps)
