"""The periodic tasks through a real `huey_consumer` on SqliteHuey.

The consumer runs in a subprocess on the test's instance folder, with the
business clock fixed through ADUAN_FAKE_NOW (portal.clock's test hook).  The
SMTP server holds one message while the consumer is killed with SIGKILL; after
a restart every reminder must have arrived exactly once.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from huey.storage import SqliteStorage

from deadline_helpers import Inbox, make_city, new_complaint, start_smtp, user
from portal.db import database
from portal.deadlines import tasks
from portal.notifications import preferences
from portal.notifications.service import Notification
from portal.tasks.app import huey
from tests.conftest import make_test_app

ROOT = Path(__file__).resolve().parent.parent
COMPLAINTS = 5
HOLD_AT = 3  # the third email is in flight when the worker dies


def wait_for(condition, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def start_consumer(instance: Path, log):
    env = {**os.environ, "ADUAN_INSTANCE_PATH": str(instance),
           "ADUAN_FAKE_NOW": "2026-03-26T08:00:00+07:00"}
    env.pop("HUEY_URL", None)
    env.pop("DATABASE_URL", None)
    return subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "portal.worker.huey",
         "-w", "1", "-n", "-f", "-d", "0.05", "-m", "0.2", "-b", "1.05"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def enqueue_into(instance: Path, task):
    """Enqueue on the instance's SqliteHuey file, as the web app would."""
    huey.immediate = False
    original = huey.storage
    huey.storage = SqliteStorage(name=huey.name, filename=str(instance / "huey.db"))
    try:
        task()
    finally:
        huey.storage = original


@pytest.fixture
def smtp():
    inbox = Inbox(hold_at=HOLD_AT)
    controller = start_smtp(inbox)
    yield controller.port, inbox
    inbox.release.set()
    controller.stop()


def test_a_killed_consumer_sends_every_reminder_exactly_once(tmp_path, smtp):
    port, inbox = smtp
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        f"MAIL_SERVER = '127.0.0.1'\nMAIL_PORT = {port}\nNOTIFY_LEASE_SECONDS = 1\n"
        "MAIL_FROM = 'aduan@serangkota.go.id'\n")
    app = make_test_app(tmp_path)
    with app.test_request_context():
        make_city()
        # The new complaints' handoff notices stay in-app: only reminders are mailed here.
        preferences.save(user("admin"), channel="app")
        codes = {new_complaint("2026-03-17 09:00", title=f"Aduan nomor {i}").display_code
                 for i in range(COMPLAINTS)}  # verification due 27 March: remind on the 26th
        # Reminders follow the person's channel: email from here on.
        preferences.save(user("admin"), channel="email")
    database.close()
    enqueue_into(instance, tasks.send_reminders)

    log = open(tmp_path / "consumer.log", "wb")
    consumer = start_consumer(instance, log)
    try:
        wait_for(inbox.holding.is_set, what="the held email")
        consumer.kill()
        consumer.wait(5)
        inbox.release.set()  # the dead client never sees a 250
        assert len(inbox.messages) == HOLD_AT - 1
        time.sleep(1.2)  # the killed worker's claim outlives its lease

        consumer = start_consumer(instance, log)
        wait_for(lambda: len(inbox.messages) >= COMPLAINTS, what="every email")
        time.sleep(0.5)  # room for a duplicate to show up
    finally:
        consumer.kill()
        consumer.wait(5)
        log.close()

    subjects = inbox.by_header("Subject")
    assert len(subjects) == COMPLAINTS, (tmp_path / "consumer.log").read_text()
    assert {code for code in codes if any(code in s for s in subjects)} == codes
    assert len(set(inbox.by_header("Message-ID"))) == COMPLAINTS
    with app.app_context():
        rows = list(Notification.select().where(Notification.kind != "serah_terima"))
        assert len(rows) == 2 * COMPLAINTS  # in-app and email for the admin
        assert {r.state for r in rows} == {"sent"}
        held = [r for r in rows if r.channel == "email" and r.attempts == 2]
        assert len(held) == 1  # the one in flight at the kill, retried once


def test_work_is_handed_over_only_when_its_transaction_commits(app):
    from portal.tasks.app import enqueue

    calls = []
    with app.app_context():
        with database.atomic():
            enqueue(calls.append, "committed")
            with database.atomic():  # a savepoint does not count as the commit
                enqueue(calls.append, "nested")
            assert calls == []
        assert calls == ["committed", "nested"]
        with database.atomic() as txn:
            enqueue(calls.append, "rolled back")
            txn.rollback()
        enqueue(calls.append, "no transaction")
    assert calls == ["committed", "nested", "no transaction"]
