"""The SP4N connector over real HTTP against the simulator, every fault included."""
import io

import pytest

from connector_env import by_external, configure, sp4n_sim  # noqa: F401
from connector_flow import answer, forward
from images import image_bytes
from portal.accounts.models import User
from portal.complaints import service as complaints, workflow
from portal.complaints.models import Attachment, Complaint, TimelineEvent
from portal.directory.models import Opd
from portal.sync import engine, outbox
from portal.sync.intake import REPLY_KIND
from portal.sync.models import DEAD, DONE, OutboxItem, SyncState
from staff_helpers import csrf, login

DEMO_COUNT = 10


@pytest.fixture
def sp4n(app, demo, sp4n_sim):  # noqa: F811
    configure(app, sp4n=sp4n_sim)
    with app.app_context():
        yield sp4n_sim


def _sync():
    return engine.run_pass("sp4n")


def _posted(sim, complaint_id):
    return [f for f in sim.state()["posted_followups"] if f["complaint_id"] == complaint_id]


def test_first_pass_brings_every_disposed_complaint_with_photos_and_replies(sp4n, app):
    run = _sync()
    assert run.error == "" and run.created == DEMO_COUNT
    road = by_external("sp4n", 48201)
    assert road.title.startswith("Jalan berlubang") and road.channel == "sp4n"
    assert road.category.name == "Jalan rusak" and road.opd.code == "DPUPR"
    assert "081234567801" in road.reporter_contact
    assert road.attachments.count() == 1
    photo = road.attachments.get()
    assert (app.config["UPLOAD_FOLDER"] and photo.filename.endswith(".jpg"))
    replies = [e for e in by_external("sp4n", 48203).events if e.kind == REPLY_KIND]
    assert len(replies) == 1
    # SP4N closed 48210 itself; it arrives closed, not in anybody's queue.
    assert by_external("sp4n", 48210).status == "ditutup"

    again = _sync()
    assert (again.created, again.error) == (0, "")
    assert Complaint.select().count() == DEMO_COUNT
    assert TimelineEvent.select().where(TimelineEvent.kind == REPLY_KIND).count() == 1


@pytest.mark.parametrize("fault", [
    {"type": "status_5xx", "status": 503},
    {"type": "timeout", "seconds": 1.5},
    {"type": "malformed_json"},
    {"type": "rate_limit", "retry_after": 1},
])
def test_a_failed_pull_keeps_the_cursor_and_the_next_one_completes(sp4n, fault):
    sp4n.fault(**fault, path="/api/v3/complaints/disposition")
    failed = _sync()
    assert failed.error and failed.created == 0
    assert SyncState.get(SyncState.connector == "sp4n").cursor is None
    assert SyncState.get(SyncState.connector == "sp4n").last_error
    ok = _sync()
    assert (ok.error, ok.created) == ("", DEMO_COUNT)
    assert SyncState.get(SyncState.connector == "sp4n").last_error == ""


def test_slow_answers_and_repeating_reordered_pages_lose_and_duplicate_nothing(sp4n):
    sp4n.fault("slow", seconds=0.2, count=3)
    sp4n.fault("repeat_reorder", count=5, path="/api/v3/complaints/disposition")
    run = _sync()
    assert run.error == "" and run.created == DEMO_COUNT
    assert Complaint.select().count() == DEMO_COUNT


def test_small_pages_that_repeat_items_still_bring_each_once(sp4n, app):
    app.config["CONNECTORS"]["sp4n"]["page_size"] = 3
    sp4n.fault("repeat_reorder", count=10)
    assert _sync().created == DEMO_COUNT
    assert Complaint.select().count() == DEMO_COUNT


def test_a_failed_photo_download_retries_the_whole_item_later(sp4n):
    sp4n.fault("status_5xx", status=500, path="/storage/")
    failed = _sync()
    assert failed.error and Complaint.select().count() < DEMO_COUNT
    assert _sync().error == ""
    assert Complaint.select().count() == DEMO_COUNT
    assert by_external("sp4n", 48201).attachments.count() == 1


def test_forwarding_to_an_opd_tells_the_reporter_once(sp4n):
    _sync()
    forward(by_external("sp4n", 48201))
    assert outbox.deliver_due()["done"] == 1
    posted = _posted(sp4n, 48201)
    assert len(posted) == 1 and "sedang ditangani" in posted[0]["content"]
    # Our follow-up moved SP4N to "Dalam Proses": seen on the next pull, no echo, no notice.
    _sync()
    complaint = by_external("sp4n", 48201)
    assert complaint.status == "diteruskan"
    forwarded = next(e.id for e in complaint.events if e.kind == "teruskan")
    assert "status_kanal" not in [e.kind for e in complaint.events if e.id > forwarded]
    assert OutboxItem.select().count() == 1


def test_published_answer_goes_with_its_photo_and_a_lost_answer_is_not_posted_twice(sp4n, app):
    _sync()
    complaint = answer(by_external("sp4n", 48202), app.config["UPLOAD_FOLDER"],
                       "Lampu PJU sudah diganti oleh Dishub.")
    sp4n.fault("lost_answer", method="POST", path="/api/v3/complaints/followup/add", count=2)
    first = outbox.deliver_due()
    assert first["retry"] >= 1
    for _ in range(4):
        OutboxItem.update(next_attempt_at=OutboxItem.created_at).where(
            OutboxItem.state == "pending").execute()
        outbox.deliver_due()
    assert OutboxItem.select().where(OutboxItem.state != DONE).count() == 0
    posted = _posted(sp4n, 48202)
    contents = [f["content"] for f in posted]
    assert contents.count("Lampu PJU sudah diganti oleh Dishub.") == 1
    assert contents.count(next(c for c in contents if "sedang ditangani" in c)) == 1
    answer_post = next(f for f in posted if f["content"].startswith("Lampu PJU"))
    assert len(answer_post["attachments"]) == 1
    assert complaint.status == "selesai"


def test_publishing_without_photo_is_refused_with_sp4n_reason_before_anything_is_sent(sp4n, app):
    # A request for information may be answered without a photo in the
    # portal, but SP4N still wants an attachment on the resolving follow-up.
    _sync()
    with pytest.raises(workflow.InputMissing, match="SP4N-LAPOR! mewajibkan minimal satu foto"):
        answer(by_external("sp4n", 48207), app.config["UPLOAD_FOLDER"], "Dua minggu.",
               photo=False)
    complaint = by_external("sp4n", 48207)
    assert complaint.status == "ditindaklanjuti"  # the operator can add a photo and retry
    assert not OutboxItem.select().where(OutboxItem.kind == "response").exists()
    outbox.deliver_due()
    assert not OutboxItem.select().where(OutboxItem.state == DEAD).exists()
    assert "Dua minggu." not in [f["content"] for f in _posted(sp4n, 48207)]


def test_the_operator_reads_sp4n_reason_on_the_page_when_publishing(app, demo, sp4n_sim,  # noqa: F811
                                                                   client):
    configure(app, sp4n=sp4n_sim)
    app.config["CONNECTORS"]["sp4n"]["template_resolved"] = ""
    with app.app_context():  # left before the HTTP part: requests get their own context
        _sync()
        complaint = by_external("sp4n", 48202)
        with pytest.raises(workflow.InputMissing):
            answer(complaint, app.config["UPLOAD_FOLDER"], "Lampu sudah diganti.")
        complaint = Complaint.get_by_id(complaint.id)
        operator = User.get((User.role == "operator") & (User.opd == complaint.opd_id))
    login(client, operator.username, demo[operator.username])
    url = f"/staf/aduan/{complaint.display_code}"
    response = client.post(f"{url}/aksi/publikasikan", headers={"HX-Request": "true"},
                           data={"teks": "Lampu sudah diganti.", "csrf_token": csrf(client, url)})
    assert response.status_code == 422
    assert "template tindak lanjut &#34;selesai&#34; untuk SP4N-LAPOR!" in response.text
    with app.app_context():
        assert Complaint.get_by_id(complaint.id).status == "ditindaklanjuti"
        assert not OutboxItem.select().where(OutboxItem.kind == "response").exists()


def test_the_page_shows_sp4n_rule_and_a_photo_added_when_publishing_goes_with_it(
        app, demo, sp4n_sim, client):  # noqa: F811
    configure(app, sp4n=sp4n_sim)
    with app.app_context():
        _sync()
        complaint = by_external("sp4n", 48207)  # a request for information
        complaints.perform(complaint, "teruskan", role="admin", actor="Admin",
                           opd=Opd.get(Opd.code == "DPUPR"))  # an OPD with demo staff
        complaints.perform(complaint, "laporkan", role="operator", actor="Operator")
        complaints.perform(complaint, "jawab", role="pimpinan", actor="Pimpinan",
                           text="Paling lama 14 hari kerja.")  # no photo: allowed for informasi
        operator = User.get((User.role == "operator") & (User.opd == complaint.opd_id))
    login(client, operator.username, demo[operator.username])
    url = f"/staf/aduan/{complaint.display_code}"
    page = client.get(url).text
    assert "SP4N-LAPOR! mewajibkan minimal satu foto" in page  # before anything is pressed
    response = client.post(f"{url}/aksi/publikasikan", data={
        "teks": "Paling lama 14 hari kerja.", "csrf_token": csrf(client, url),
        "foto": (io.BytesIO(image_bytes("JPEG", (640, 480))), "brosur.jpg")})
    assert response.status_code == 303, response.text
    with app.app_context():
        assert Complaint.get_by_id(complaint.id).status == "selesai"
        outcome = outbox.deliver_due()
        assert outcome["retry"] == outcome["dead"] == 0
    answer_post = next(f for f in _posted(sp4n_sim, 48207)
                       if f["content"] == "Paling lama 14 hari kerja.")
    assert answer_post["_template_code"] == "TL02" and len(answer_post["attachments"]) == 1


def test_each_kind_of_follow_up_carries_its_own_template_code(sp4n, app):
    _sync()
    answer(by_external("sp4n", 48202), app.config["UPLOAD_FOLDER"], "Lampu sudah diganti.")
    outcome = outbox.deliver_due()
    assert outcome["retry"] == outcome["dead"] == 0
    sent = {f["content"]: f["_template_code"] for f in _posted(sp4n, 48202)}
    assert sent.pop("Lampu sudah diganti.") == "TL02"  # resolved
    assert list(sent.values()) == ["TL01"]  # the "sedang ditangani" note


def test_asking_the_reporter_uses_the_information_template(sp4n):
    _sync()
    complaints.perform(by_external("sp4n", 48205), "tunda", role="admin", actor="Admin",
                       text="Mohon sebutkan arah simpang yang lampunya mati.")
    assert outbox.deliver_due()["done"] == 1
    assert [f["_template_code"] for f in _posted(sp4n, 48205)] == ["TL03"]


def test_a_progress_note_without_its_template_is_a_dead_letter_naming_the_setting(sp4n, app):
    app.config["CONNECTORS"]["sp4n"]["template_in_process"] = ""
    _sync()
    forward(by_external("sp4n", 48205))
    outbox.deliver_due()
    dead = OutboxItem.get(OutboxItem.state == DEAD)
    assert 'template tindak lanjut "sedang diproses"' in dead.last_error
    assert _posted(sp4n, 48205) == []


def test_without_a_resolved_template_publishing_is_refused_with_a_clear_message(sp4n, app):
    app.config["CONNECTORS"]["sp4n"]["template_resolved"] = ""
    _sync()
    with pytest.raises(workflow.InputMissing, match='template tindak lanjut "selesai"'):
        answer(by_external("sp4n", 48204), app.config["UPLOAD_FOLDER"], "Sudah.")
    assert not OutboxItem.select().where(OutboxItem.kind == "response").exists()


def test_an_answer_without_photo_is_refused_before_anything_reaches_sp4n(sp4n, app):
    """SP4N refuses a resolving follow-up without an attachment; the portal's
    own photo rule refuses it first, so no dead letter appears later."""
    _sync()
    with pytest.raises(workflow.InputMissing, match="foto"):
        answer(by_external("sp4n", 48204), app.config["UPLOAD_FOLDER"], "Sudah.", photo=False)
    outbox.deliver_due()
    assert not OutboxItem.select().where(OutboxItem.kind == "response").exists()
    assert not OutboxItem.select().where(OutboxItem.state == DEAD).exists()
    assert by_external("sp4n", 48204).status == "dilaporkan"


def test_rate_limited_push_waits_as_long_as_sp4n_asks(sp4n):
    _sync()
    forward(by_external("sp4n", 48205))
    sp4n.fault("rate_limit", retry_after=60, path="/api/v3/complaints/followup/add")
    assert outbox.deliver_due()["retry"] == 1
    item = OutboxItem.get()
    assert (item.next_attempt_at - item.created_at).total_seconds() >= 59


def test_reporter_reply_and_sp4n_auto_close_reach_the_portal(sp4n, app):
    _sync()
    complaint = answer(by_external("sp4n", 48206), app.config["UPLOAD_FOLDER"],
                       "Sampah sudah diangkut.")
    outbox.deliver_due()
    sp4n.control("POST", "/reports/48206/reply", json={"content": "Terima kasih, sudah bersih."})
    _sync()
    replies = [e.text for e in by_external("sp4n", 48206).events if e.kind == REPLY_KIND]
    assert replies == ["Terima kasih, sudah bersih."]
    sp4n.control("POST", "/reports/48206/status", json={"status_code": 3})
    _sync()
    assert Complaint.get_by_id(complaint.id).status == "ditutup"
    assert Attachment.select().where(Attachment.complaint == complaint.id).count() >= 1


def test_health_and_bad_credentials(sp4n, app):
    assert engine.health("sp4n").ok
    app.config["CONNECTORS"]["sp4n"]["access_token"] = "salah"
    assert not engine.health("sp4n").ok
    run = _sync()
    assert run.error.startswith("kredensial ditolak")


def test_a_post_that_timed_out_is_not_looked_for_before_sp4n_could_apply_it(sp4n, app):
    # SP4N holds the request longer than we wait, then applies it anyway.
    _sync()
    forward(by_external("sp4n", 48207))
    sp4n.fault("timeout", seconds=0.8, path="/api/v3/complaints/followup/add")
    assert outbox.deliver_due()["retry"] == 1
    item = OutboxItem.get()
    timeout = app.config["CONNECTORS"]["sp4n"]["timeout"]
    assert (item.next_attempt_at - item.attempted_at).total_seconds() >= 2 * timeout - 0.01
    import time

    time.sleep(2 * timeout)
    assert outbox.deliver_due()["done"] == 1
    assert len(_posted(sp4n, 48207)) == 1
