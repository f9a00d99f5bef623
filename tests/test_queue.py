from conftest import hidden_fields
from portal import queue
from portal.models import Category, Complaint


def test_default_queue_is_sqlite_in_the_instance_folder(tmp_path):
    huey = queue.make_huey(None, str(tmp_path))
    assert type(huey).__name__ == "SqliteHuey"
    assert (tmp_path / "huey.db").exists()


def test_submission_enqueues_work_for_the_consumer(client, demo, immediate_huey, tmp_path, monkeypatch):
    # Not immediate: the web request only enqueues; a consumer runs it later.
    stored = queue.make_huey(None, str(tmp_path / "q"))
    monkeypatch.setattr(immediate_huey, "immediate", False)
    monkeypatch.setattr(immediate_huey, "storage", stored.storage)
    tokens = hidden_fields(client.get("/lapor").text)
    client.post("/lapor", data={**tokens, "judul": "Parkir liar di trotoar", "klasifikasi": "pengaduan",
                                "isi": "Parkir liar menutup trotoar setiap sore di depan toko.",
                                "kategori": str(Category.get(Category.name == "Parkir").id)})
    assert immediate_huey.pending_count() == 1
    task = immediate_huey.dequeue()
    assert immediate_huey.execute(task) == Complaint.get().code


def test_redis_queue_runs_tasks(redis_url, client, demo, immediate_huey, monkeypatch):
    redis_huey = queue.make_huey(redis_url, "unused")
    assert type(redis_huey).__name__ == "RedisHuey"
    redis_huey.flush()
    monkeypatch.setattr(immediate_huey, "immediate", False)
    monkeypatch.setattr(immediate_huey, "storage", redis_huey.storage)
    tokens = hidden_fields(client.get("/lapor").text)
    client.post("/lapor", data={**tokens, "judul": "Sampah menumpuk di pasar", "klasifikasi": "pengaduan",
                                "isi": "Sampah menumpuk tiga hari di pasar Rau, bau sekali.",
                                "kategori": str(Category.get(Category.name == "Sampah dan kebersihan").id)})
    assert immediate_huey.pending_count() == 1
    assert immediate_huey.execute(immediate_huey.dequeue()) == Complaint.get().code
    redis_huey.flush()
