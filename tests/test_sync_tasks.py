"""The Huey side: the periodic tick pulls what is due, under a lock, and
delivers the outbox; connectors/demo.py writes the demo configuration."""
import time
from datetime import timedelta

from connector_env import configure, sp4n_sim  # noqa: F401
from portal.clock import utcnow
from portal.complaints.models import Complaint
from portal.sync import engine, leases, tasks
from portal.sync.models import SyncRun, SyncState


def test_tick_pulls_connectors_whose_interval_has_passed(app, demo, sp4n_sim):  # noqa: F811
    configure(app, sp4n=sp4n_sim)
    with app.app_context():
        tasks.sync_tick.call_local()
        assert Complaint.select().count() == 10 and SyncRun.select().count() == 1
        tasks.sync_tick.call_local()  # interval not over yet: no second pass
        assert SyncRun.select().count() == 1
        SyncState.update(last_pull_at=utcnow() - timedelta(seconds=301)).execute()
        tasks.sync_tick.call_local()
        assert SyncRun.select().count() == 2


def test_a_pull_already_running_is_not_started_twice(app, demo, sp4n_sim):  # noqa: F811
    configure(app, sp4n=sp4n_sim)
    with app.app_context(), leases.held("sync-pull-sp4n") as mine:
        assert mine
        assert tasks.pull_task.call_local("sp4n") == "locked"
        assert SyncRun.select().count() == 0
    with app.app_context():
        assert tasks.pull_task.call_local("sp4n") == "ok"


def test_a_dead_holders_lease_expires_and_a_live_one_is_renewed(app):
    with app.app_context():
        store = leases.DatabaseLeases()
        assert store.acquire("sync-pull-x", "dead-worker", 0.3)
        assert not store.acquire("sync-pull-x", "other", 5)
        time.sleep(0.4)  # the dead worker never renews
        assert store.acquire("sync-pull-x", "other", 5)
        store.release("sync-pull-x", "other")
        with leases.held("sync-pull-y", seconds=0.6) as mine:
            assert mine
            time.sleep(1.0)  # longer than the lease: the heartbeat kept it
            assert not store.acquire("sync-pull-y", "intruder", 5)
        assert store.acquire("sync-pull-y", "after", 5)


def test_redis_leases_expire_and_only_the_owner_releases(redis_url):
    store = leases.RedisLeases(redis_url)
    name = f"test-{time.time_ns()}"
    assert store.acquire(name, "a", 0.3)
    assert not store.acquire(name, "b", 5)
    store.release(name, "b")  # not the owner: nothing happens
    assert not store.acquire(name, "b", 5)
    time.sleep(0.4)
    assert store.acquire(name, "b", 5) and store.renew(name, "b", 5)
    assert not store.renew(name, "a", 5)
    store.release(name, "b")
    assert store.holder(name) is None


def test_due_for_pull(app):
    assert engine.due_for_pull("nothing-yet", 60)


def test_demo_config_points_at_the_simulators_and_is_written_once(tmp_path):
    from simulators import demo

    config = demo.demo_config(8701, 8702)
    assert config["sp4n"]["base_url"] == "http://127.0.0.1:8701/api/v3"
    assert config["rabeg"]["base_url"] == "http://127.0.0.1:8702"
    assert config["sp4n"]["interval"] == config["rabeg"]["interval"] == 60
    (tmp_path / "config.py").write_text("SECRET_KEY = 'x'\n")
    assert demo.write(tmp_path, 8701, 8702)
    assert not demo.write(tmp_path, 9999, 9998)
    namespace = {}
    exec((tmp_path / "config.py").read_text(), namespace)
    assert namespace["CONNECTORS"] == config and namespace["SECRET_KEY"] == "x"
    assert demo.rabeg_simulator_args(5000)[1] == "http://127.0.0.1:5000/hooks/rabeg"
