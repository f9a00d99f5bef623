"""Sync with the worker killed at bad moments (issue 10.2 and 10.4), through a
real `huey_consumer` process and the SP4N simulator over loopback HTTP.

- killed mid-pull: its lock is a lease, so a restarted consumer pulls once the
  lease ran out (huey's lock_task kept "locked" forever);
- killed mid-POST: the row was claimed before, so it counts as maybe sent and
  the connector looks before posting: SP4N gets the follow-up once."""
import time

import pytest

from conftest import make_test_app
from connector_flow import forward
from consumer_proc import instance_queue, kill, start_consumer, wait_for
from portal.complaints.models import Complaint
from portal.db import database
from portal.sync import engine
from portal.sync.models import DONE, OutboxItem
from simulators.demo import demo_config
from simulators.sp4n import server as sp4n_simulator

LEASE = 2.0
DEMO_COUNT = 10


@pytest.fixture
def sim():
    server, _base = sp4n_simulator.serve(port=0)
    yield server
    server.shutdown()


def _instance(tmp_path, sim):
    from portal import seed

    instance = tmp_path / "instance"
    instance.mkdir()
    connector = {**demo_config(sim.port, 9)["sp4n"], "timeout": 5.0, "interval": 3600}
    (instance / "config.py").write_text(
        f"CONNECTORS = {{'sp4n': {connector!r}}}\n"
        f"SYNC_LOCK_LEASE = {LEASE}\nSYNC_CLAIM_LEASE = {LEASE}\nSYNC_BACKOFF_BASE = 0.0\n")
    app = make_test_app(tmp_path, CONNECTORS={"sp4n": connector}, SYNC_CLAIM_LEASE=LEASE,
                        SYNC_LOCK_LEASE=LEASE)
    with app.app_context():
        seed.seed_demo()
    database.close()
    return instance, app


def test_a_consumer_killed_mid_pull_does_not_stop_sync_past_its_lease(tmp_path, sim):
    from portal.sync.tasks import pull_task

    instance, app = _instance(tmp_path, sim)
    sim.faults.add(sp4n_simulator.simfaults.parse_fault(
        {"type": "slow", "seconds": 60, "path": "/complaints/disposition"}))
    log = open(tmp_path / "consumer.log", "wb")
    with instance_queue(instance):
        pull_task("sp4n")
    consumer = start_consumer(instance, log)
    try:
        wait_for(lambda: sim.faults.fired, what="the pull to hang on SP4N")
        kill(consumer)
        killed_at = time.monotonic()
        with app.app_context():
            assert Complaint.select().count() == 0
        database.close()

        consumer = start_consumer(instance, log)
        attempts = 0

        def pulled():
            nonlocal attempts
            with app.app_context():
                if engine.state_of("sp4n").last_success_at is not None:
                    return True
            database.close()
            attempts += 1
            with instance_queue(instance):
                pull_task("sp4n")  # what the periodic tick does, faster
            return False

        wait_for(pulled, timeout=LEASE + 15, what="a pull after the lease ran out", step=0.5)
        recovered = time.monotonic() - killed_at
    finally:
        kill(consumer)
        log.close()
    assert attempts >= 2, "the first pull after the restart must have met the held lease"
    assert recovered < LEASE + 10, recovered
    with app.app_context():
        assert Complaint.select().count() == DEMO_COUNT


def test_a_consumer_killed_mid_post_gets_the_follow_up_to_sp4n_once(tmp_path, sim):
    from portal.sync.tasks import deliver_due_task

    instance, app = _instance(tmp_path, sim)
    with app.app_context():
        assert engine.run_pass("sp4n", push=False).error == ""
        with instance_queue(instance):
            complaint = forward(Complaint.get(Complaint.external_id == "48201"))
        row = OutboxItem.get()
    database.close()
    # SP4N applies the follow-up, then holds its answer until the worker is dead.
    sim.faults.add(sp4n_simulator.simfaults.parse_fault(
        {"type": "lost_answer", "mode": "hold", "seconds": 60, "method": "POST",
         "path": "/complaints/followup/add"}))
    log = open(tmp_path / "consumer.log", "wb")
    consumer = start_consumer(instance, log)
    posted = lambda: [f for f in sim.state.snapshot(sim.root_url)["posted_followups"]  # noqa: E731
                      if f["complaint_id"] == 48201]
    try:
        wait_for(lambda: posted(), what="SP4N to apply the follow-up")
        kill(consumer)
        with app.app_context():
            killed = OutboxItem.get_by_id(row.id)
            assert killed.state == "pending" and killed.attempts == 0 and killed.claims == 1
        database.close()
        time.sleep(LEASE + 0.2)  # the dead worker's claim runs out

        consumer = start_consumer(instance, log)

        def delivered():
            with app.app_context():
                if OutboxItem.get_by_id(row.id).state == DONE:
                    return True
            database.close()
            with instance_queue(instance):
                deliver_due_task()
            return False

        wait_for(delivered, timeout=20, what="the row to be delivered", step=0.5)
        time.sleep(0.5)
    finally:
        kill(consumer)
        log.close()
    assert len(posted()) == 1, (tmp_path / "consumer.log").read_text()
    with app.app_context():
        done = OutboxItem.get_by_id(row.id)
        assert done.remote_id == str(posted()[0]["id"]) and "sebelumnya" in done.last_error
        assert complaint.id == done.complaint_id
