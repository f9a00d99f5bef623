import pytest

from conftest import hidden_fields
from portal.complaints.models import Complaint
from portal.directory.models import Category
from portal.tasks import app as queue


def test_default_queue_is_sqlite_in_the_instance_folder(tmp_path):
    huey = queue.make_huey(None, str(tmp_path))
    assert type(huey.storage).__name__ == "SqliteStorage"
    assert (tmp_path / "huey.db").exists()


@pytest.fixture(params=["sqlite", "redis"])
def real_queue(request, tmp_path, immediate_huey, monkeypatch):
    """The app's Huey, not immediate, on a real SQLite file or Redis server."""
    if request.param == "redis":
        url = request.getfixturevalue("redis_url")
        other = queue.make_huey(url, "unused")
        assert type(other.storage).__name__ == "RedisStorage"
    else:
        other = queue.make_huey(None, str(tmp_path / "queue"))
    other.flush()
    monkeypatch.setattr(immediate_huey, "immediate", False)
    monkeypatch.setattr(immediate_huey, "storage", other.storage)
    yield immediate_huey
    other.flush()


def test_submission_enqueues_work_for_the_consumer(client, demo, real_queue):
    # The web request only enqueues; a consumer runs the task later.
    tokens = hidden_fields(client.get("/lapor").text)
    client.post("/lapor", data={**tokens, "judul": "Parkir liar di trotoar", "klasifikasi": "pengaduan",
                                "isi": "Parkir liar menutup trotoar setiap sore di depan toko.",
                                "kategori": str(Category.get(Category.name == "Parkir").id)})
    # Two tasks: the arrival's duplicate check (sent at commit) and its log line.
    assert real_queue.pending_count() == 2
    results = {}
    while real_queue.pending_count():
        task = real_queue.dequeue()
        results[task.name.rsplit(".", 1)[-1]] = real_queue.execute(task)
    assert results == {"find_duplicates_task": None, "complaint_received": Complaint.get().code}


def test_the_app_and_the_worker_configure_the_same_queue(tmp_path, monkeypatch):
    from portal import config

    settings = config.load(tmp_path)
    huey = queue.configure(settings)
    assert huey is queue.huey
    assert huey.storage_kwargs == {"filename": str(tmp_path / "huey.db")}
    unconfigured = queue.Huey("x", storage_class=queue.UnconfiguredStorage)
    with pytest.raises(RuntimeError, match="not configured"):
        unconfigured.storage.enqueue(b"task")
