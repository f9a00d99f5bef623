"""Tasks leave for the worker only after their transaction commits.

A real `huey_consumer` runs on the test's instance (SqliteHuey file).  The
web side creates a complaint inside a transaction and holds it open for a
while.  Sent at once, the task runs while the row is still uncommitted and
fails; sent with `enqueue`, it runs after the commit and finds the row.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

from huey.storage import SqliteStorage

from portal.complaints import service as complaints, tasks as complaint_tasks
from portal.db import database
from portal.tasks.app import enqueue, huey
from tests.conftest import make_test_app

ROOT = Path(__file__).resolve().parent.parent
HOLD = 1.5  # seconds the transaction stays open: many consumer polls


def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def test_no_task_sees_uncommitted_data(tmp_path):
    app = make_test_app(tmp_path)
    instance = tmp_path / "instance"
    log_path = tmp_path / "consumer.log"
    env = {**os.environ, "ADUAN_INSTANCE_PATH": str(instance)}
    env.pop("HUEY_URL", None)
    env.pop("DATABASE_URL", None)
    log = open(log_path, "wb")
    consumer = subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "portal.worker.huey",
         "-w", "1", "-d", "0.05", "-m", "0.1", "-b", "1.05"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    huey.immediate = False
    original = huey.storage
    huey.storage = SqliteStorage(name=huey.name, filename=str(instance / "huey.db"))
    try:
        assert wait_for(lambda: b"huey.consumer" in log_path.read_bytes() or
                        b"Huey consumer" in log_path.read_bytes()), log_path.read_text()
        with app.app_context():
            # Control: a task sent from inside the transaction races the commit.
            with database.atomic():
                early, _ = complaints.submit({"title": "Jalan berlubang di Ciceri",
                                              "body": "Lubang besar di tengah jalan."})
                complaint_tasks.complaint_received(early.id)
                # Held open until the consumer has run it (however loaded the
                # machine is), so the race is shown, not left to timing.
                assert wait_for(lambda: b"DoesNotExist" in log_path.read_bytes()), \
                    "the control task should have run before the commit"

            # The fix: the same work, handed over after the commit.
            with database.atomic():
                late, _ = complaints.submit({"title": "Lampu PJU mati di Cipare",
                                             "body": "Sudah seminggu gelap."})
                enqueue(complaint_tasks.complaint_received, late.id)
                time.sleep(HOLD)
                assert huey.pending_count() == 0  # nothing left before the commit
            assert wait_for(lambda: f"complaint {late.code} received".encode()
                            in log_path.read_bytes()), log_path.read_text()
        # Only the control failed; the complaint sent after commit was logged once.
        text = log_path.read_text()
        ran = [line for line in text.splitlines() if "complaint_received" in line]
        assert sum("executed in" in line for line in ran) == 1  # the late one
        assert text.count("Unhandled exception in task") == 1  # the control
        assert text.count(f"complaint {late.code} received") == 1
    finally:
        huey.storage = original
        consumer.kill()
        consumer.wait(5)
        log.close()
        database.close()
