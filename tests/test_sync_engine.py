"""The sync engine against an in-memory connector: intake, outbox, backoff,
dead letters, conflicts.  The connectors over HTTP are tested in
test_connectors_*.py against the simulators."""
import random
from datetime import timedelta

import pytest

from portal.clock import utcnow
from portal.complaints import service as complaints
from portal.complaints.models import Complaint, TimelineEvent
from portal.db import database
from portal.directory.models import Opd
from portal.sync import engine, outbox
from portal.sync.errors import RemoteRejected, TransientError
from portal.sync.intake import CONFLICT_KIND, REPLY_KIND
from portal.sync.models import DEAD, DONE, PENDING, ExternalRef, OutboxItem, SyncState
from sync_fakes import install_fake


@pytest.fixture
def fake(app, demo):
    with app.app_context():
        yield install_fake(app)


def _complaint(external_id="A1"):
    ref = ExternalRef.get(ExternalRef.channel == "fake", ExternalRef.external_id == external_id)
    return Complaint.get_by_id(ref.complaint_id)


def _kinds(complaint):
    return [e.kind for e in complaint.events.order_by(TimelineEvent.id)]


def test_pull_creates_once_with_opd_from_category_and_stores_cursor(fake):
    fake.put("A1", category="Penerangan Jalan Umum", reporter_contact="0812 1111 2222")
    fake.put("A2", opd_code="DPUPR", status="diteruskan")
    run = engine.run_pass("fake")
    assert (run.fetched, run.created, run.error) == (2, 2, "")
    first, second = _complaint("A1"), _complaint("A2")
    assert first.channel == "fake" and first.external_id == "A1"
    assert first.opd.code == "DISHUB" and first.status == "baru"
    assert second.opd.code == "DPUPR" and second.status == "diteruskan"
    assert SyncState.get(SyncState.connector == "fake").cursor == max(
        i.updated_at for i in fake.remote.values()).isoformat()

    # The same items again (a repeated page, a re-read overlap): nothing new.
    SyncState.update(cursor=None).execute()
    again = engine.run_pass("fake")
    assert (again.fetched, again.created, again.updated) == (2, 0, 0)
    assert Complaint.select().count() == 2


def test_a_remote_queue_status_without_a_known_opd_waits_for_the_admin(fake):
    fake.put("A1", status="diteruskan", category="tidak dikenal")
    engine.run_pass("fake")
    assert _complaint().status == "baru" and _complaint().opd is None


def test_reporter_reply_reaches_the_timeline_once(fake):
    fake.put("A1")
    engine.run_pass("fake")
    fake.reply("A1", "m1", "Lampunya masih mati, Pak.")
    engine.run_pass("fake")
    SyncState.update(cursor=None).execute()
    engine.run_pass("fake")
    events = [e for e in _complaint().events if e.kind == REPLY_KIND]
    assert [e.text for e in events] == ["Lampunya masih mati, Pak."]
    # The reporter speaking, as on the tracking page: public, not "(internal)".
    assert events[0].public


def test_local_change_writes_outbox_in_the_same_transaction(fake):
    fake.put("A1")
    engine.run_pass("fake")
    complaint = _complaint()
    with pytest.raises(RuntimeError):
        with database.atomic():
            complaints.perform(complaint, "teruskan", role="admin", actor="Admin",
                               opd=Opd.get(Opd.code == "DISHUB"))
            raise RuntimeError("the request failed after the change")
    assert OutboxItem.select().count() == 0 and _complaint().status == "baru"

    complaints.perform(complaint, "teruskan", role="admin", actor="Admin",
                       opd=Opd.get(Opd.code == "DISHUB"))
    item = OutboxItem.get()
    assert (item.connector, item.kind, item.state, item.data["status"]) == (
        "fake", "status", PENDING, "diteruskan")
    assert outbox.deliver_due() == {"done": 1, "retry": 0, "dead": 0}
    update = fake.pushed[0]
    assert (update.external_id, update.status, update.previous_status) == ("A1", "diteruskan", "baru")
    assert update.key == f"aduan-outbox-{item.id}"
    assert OutboxItem.get().state == DONE
    assert outbox.deliver_due() == {"done": 0, "retry": 0, "dead": 0}  # never twice
    assert len(fake.pushed) == 1


def _teruskan(complaint):
    complaints.perform(complaint, "teruskan", role="admin", actor="Admin",
                       opd=Opd.get(Opd.code == "DISHUB"))


def test_transient_failures_back_off_honour_retry_after_then_deliver(fake, app):
    fake.put("A1")
    engine.run_pass("fake")
    _teruskan(_complaint())
    fake.failures = [TransientError("503", status=503, retry_after=120)]
    before = utcnow()
    assert outbox.deliver_due()["retry"] == 1
    item = OutboxItem.get()
    assert item.attempts == 1 and "503" in item.last_error
    assert item.next_attempt_at >= before + timedelta(seconds=119)
    assert outbox.deliver_due()["retry"] == 0  # not due yet
    OutboxItem.update(next_attempt_at=utcnow()).execute()
    assert outbox.deliver_due()["done"] == 1
    assert fake.pushed[0].attempt == 1  # the connector knows to look before posting


def test_after_max_attempts_a_dead_letter_that_an_admin_can_retry(fake, app):
    app.config["SYNC_MAX_ATTEMPTS"] = 3
    fake.put("A1")
    engine.run_pass("fake")
    _teruskan(_complaint())
    # Answered failures (a 503): retried at once with no backoff; an unanswered one
    # would wait until a late apply could have landed.
    fake.failures = [TransientError("HTTP 503", status=503)] * 3
    outcomes = [outbox.deliver_due() for _ in range(3)]
    assert [o["retry"] for o in outcomes] == [1, 1, 0] and outcomes[2]["dead"] == 1
    assert OutboxItem.get().state == DEAD and OutboxItem.get().attempts == 3
    assert outbox.retry_dead(OutboxItem.get().id)
    assert outbox.deliver_due()["done"] == 1 and len(fake.pushed) == 1


def test_a_refusal_is_a_dead_letter_at_once(fake):
    fake.put("A1")
    engine.run_pass("fake")
    _teruskan(_complaint())
    fake.failures = [RemoteRejected("foto wajib", status=422)]
    assert outbox.deliver_due()["dead"] == 1
    assert "foto wajib" in OutboxItem.get().last_error


def test_later_rows_wait_for_an_earlier_one_of_the_same_complaint(fake):
    fake.put("A1")
    engine.run_pass("fake")
    complaint = _complaint()
    _teruskan(complaint)
    complaints.perform(complaint, "laporkan", role="operator", actor="Operator")
    fake.failures = [TransientError("503")]
    assert outbox.deliver_due() == {"done": 0, "retry": 1, "dead": 0}
    OutboxItem.update(next_attempt_at=utcnow()).execute()
    outbox.deliver_due()
    assert [u.status for u in fake.pushed] == ["diteruskan", "dilaporkan"]


def test_remote_status_allowed_by_workflow_is_applied_and_not_echoed(fake):
    fake.put("A1", status="diteruskan", opd_code="DISHUB", remote_status="proses")
    engine.run_pass("fake")
    complaint = _complaint()
    complaint.status = "selesai"
    Complaint.update(status="selesai", updated_at=fake.clock).where(
        Complaint.id == complaint.id).execute()
    fake.put("A1", status="ditutup", remote_status="ditutup")
    run = engine.run_pass("fake")
    assert run.updated == 1 and _complaint().status == "ditutup"
    assert "tutup" in _kinds(_complaint())
    assert OutboxItem.select().count() == 0  # the channel told us; no echo


def test_an_older_remote_change_never_overwrites_a_newer_local_one(fake):
    fake.put("A1", status="baru", remote_status="baru")
    engine.run_pass("fake")
    remote_change_time = fake.tick()
    _teruskan(_complaint())  # local change, now (after the remote clock)
    fake.put("A1", status="ditolak", remote_status="ditolak", updated_at=remote_change_time)
    run = engine.run_pass("fake")
    assert run.conflicts == 1
    assert _complaint().status == "diteruskan"
    conflict = [e for e in _complaint().events if e.kind == CONFLICT_KIND]
    assert conflict and "ditolak" in conflict[0].text
    # Seen once is enough: the same remote version does not add a second notice.
    SyncState.update(cursor=None).execute()
    engine.run_pass("fake")
    assert _kinds(_complaint()).count(CONFLICT_KIND) == 1


def test_a_remote_status_the_workflow_forbids_is_only_noted(fake):
    fake.put("A1", status="baru", remote_status="baru")
    engine.run_pass("fake")
    fake.put("A1", status="selesai", remote_status="selesai")
    engine.run_pass("fake")
    assert _complaint().status == "baru"
    assert "status_kanal" in _kinds(_complaint())


def test_backoff_grows_with_jitter_and_respects_the_cap():
    rng = random.Random(7)
    delays = [outbox.backoff_delay(n, 10, 300, rng=rng) for n in range(1, 8)]
    for n, delay in enumerate(delays, start=1):
        ceiling = min(300, 10 * 2 ** (n - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert outbox.backoff_delay(1, 10, 300, retry_after=900) == 900
    assert outbox.backoff_delay(3, 0, 300) == 0


def test_connector_not_configured_is_reported_not_crashed(app, demo):
    with app.app_context():
        run = engine.run_pass("sp4n")
    assert "tidak aktif" in run.error


def test_an_item_that_cannot_be_applied_does_not_hold_up_the_others(fake):
    fake.put("A1")
    fake.put("BAD", title=None, body=None)  # a connector bug: no text at all
    fake.put("A3")
    run = engine.run_pass("fake")
    assert run.created == 2 and "BAD: IntegrityError" in run.error
    assert SyncState.get(SyncState.connector == "fake").cursor is None  # tried again next time
    fake.put("BAD", title="Lampu mati", body="Sejak Senin.")  # the fixed connector sends it again
    run = engine.run_pass("fake")
    assert (run.error, run.created) == ("", 1)
    assert SyncState.get(SyncState.connector == "fake").cursor is not None


def test_run_history_is_bounded(fake, monkeypatch):
    from portal.sync.models import SyncRun

    monkeypatch.setattr(engine, "KEEP_RUNS", 3)
    for _ in range(5):
        engine.run_pass("fake")
    assert SyncRun.select().count() == 3
