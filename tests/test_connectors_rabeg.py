"""The Rabeg connector over real HTTP against the simulator, every fault
included, and its signed webhook."""
import json
import time

import pytest

from connector_env import WEBHOOK_SECRET, Sim, by_external, configure, rabeg_sim  # noqa: F401
from connector_flow import answer
from connectors.rabeg.client import sign_webhook
from portal.complaints import service as complaints
from portal.complaints.models import Complaint, TimelineEvent
from portal.sync import engine, outbox
from portal.sync.intake import REPLY_KIND
from portal.sync.models import DONE, OutboxItem, SyncState
from simulators.rabeg import server as rabeg_simulator

DEMO_COUNT = 10


@pytest.fixture
def rabeg(app, demo, rabeg_sim):  # noqa: F811
    configure(app, rabeg=rabeg_sim)
    with app.app_context():
        yield rabeg_sim


def _sync():
    return engine.run_pass("rabeg")


def _report(sim, **fields):
    body = {"judul": "Pohon tumbang menutup jalan", "isi": "Pohon besar tumbang di Jl. Veteran.",
            "opd_tujuan": "DLH", **fields}
    return sim.control("POST", "/reports", json=body)


def test_first_pass_routes_by_opd_code_marks_read_and_brings_citizen_replies(rabeg):
    run = _sync()
    assert (run.error, run.created) == ("", DEMO_COUNT)
    reports = {r["id"]: r for r in rabeg.state()["reports"]}
    for report_id, report in reports.items():
        complaint = by_external("rabeg", report_id)
        assert complaint.channel == "rabeg" and complaint.title == report["judul"]
        if report["opd_tujuan"]:
            assert complaint.opd.code == report["opd_tujuan"]
        else:  # Rabeg did not route it: the category's OPD, as for web complaints
            assert complaint.opd == complaint.category.default_opd
        assert report["status"] != "belum_dibaca"  # Rabeg shows the report was received
    replied = [rid for rid, r in reports.items() if any(t["oleh"] == "warga" for t in r["tanggapan"])]
    assert replied
    for rid in replied:
        assert REPLY_KIND in [e.kind for e in by_external("rabeg", rid).events]
    assert _sync().created == 0 and Complaint.select().count() == DEMO_COUNT


@pytest.mark.parametrize("fault", [
    {"type": "status_5xx", "status": 502},
    {"type": "timeout", "seconds": 1.5},
    {"type": "malformed_json"},
    {"type": "rate_limit", "retry_after": 1},
])
def test_a_failed_pull_keeps_the_cursor_and_the_next_one_completes(rabeg, fault):
    _sync()
    cursor = SyncState.get(SyncState.connector == "rabeg").cursor
    new = _report(rabeg)
    rabeg.fault(**fault, path="/api/v1/reports")
    assert _sync().error
    assert SyncState.get(SyncState.connector == "rabeg").cursor == cursor
    assert _sync().error == ""
    assert by_external("rabeg", new["id"]).opd.code == "DLH"
    assert Complaint.select().count() == DEMO_COUNT + 1


def test_repeating_reordered_small_pages_bring_each_report_once(rabeg, app):
    app.config["CONNECTORS"]["rabeg"]["page_size"] = 3
    rabeg.fault("repeat_reorder", count=10, path="/api/v1/reports")
    rabeg.fault("slow", seconds=0.2, count=2)
    assert _sync().error == ""
    assert Complaint.select().count() == DEMO_COUNT


def test_status_and_answer_pushed_once_despite_lost_answers(rabeg, app):
    new = _report(rabeg, opd_tujuan="DPUPR")
    _sync()
    complaint = by_external("rabeg", new["id"])
    rabeg.fault("lost_answer", method="POST", path="/api/v1/reports/", count=2)
    answer(complaint, app.config["UPLOAD_FOLDER"], "Pohon sudah dipotong dan diangkut.")
    for _ in range(5):
        OutboxItem.update(next_attempt_at=OutboxItem.created_at).where(
            OutboxItem.state == "pending").execute()
        outbox.deliver_due()
    assert OutboxItem.select().where(OutboxItem.state != DONE).count() == 0
    state = rabeg.state()
    ours = [t for t in state["tanggapan"] if t["report_id"] == new["id"]]
    assert [t["isi"] for t in ours].count("Pohon sudah dipotong dan diangkut.") == 1
    final = next(t for t in ours if t["isi"].startswith("Pohon sudah"))
    assert len(final["foto"]) == 1
    report = next(r for r in state["reports"] if r["id"] == new["id"])
    assert report["status"] == "selesai"
    assert state["replayed"] >= 1  # the retry carried the same Idempotency-Key


def test_citizen_response_reaches_the_opd_queue(rabeg):
    new = _report(rabeg)
    _sync()
    rabeg.control("POST", f"/reports/{new['id']}/reply", json={"isi": "Masih ada dahan di jalan."})
    _sync()
    events = by_external("rabeg", new["id"]).events
    assert [e.text for e in events if e.kind == REPLY_KIND] == ["Masih ada dahan di jalan."]


def test_rejected_complaint_is_told_to_rabeg_as_a_response(rabeg):
    new = _report(rabeg)
    _sync()
    complaints.perform(by_external("rabeg", new["id"]), "tolak", role="admin", actor="Admin",
                       text="Bukan kewenangan Pemkot.")
    assert outbox.deliver_due()["done"] == 1
    ours = [t for t in rabeg.state()["tanggapan"] if t["report_id"] == new["id"]]
    assert len(ours) == 1 and "Ditolak" in ours[0]["isi"]


# --- webhook --------------------------------------------------------------------


def _hook(client, body: bytes, signature):
    headers = {"Content-Type": "application/json"}
    if signature:
        headers["X-Rabeg-Signature"] = signature
    return client.post("/hooks/rabeg", data=body, headers=headers)


def test_signed_webhook_pulls_that_report_at_once(rabeg, client):
    new = _report(rabeg)
    body = json.dumps({"event": "report.created", "id": new["id"]}).encode()
    response = _hook(client, body, sign_webhook(WEBHOOK_SECRET, body))
    assert response.status_code == 204
    assert by_external("rabeg", new["id"]).title == "Pohon tumbang menutup jalan"
    assert Complaint.select().count() == 1  # only that report, the cursor untouched
    assert SyncState.get(SyncState.connector == "rabeg").cursor is None


@pytest.mark.parametrize("signature", [None, "sha256=00", "sha256=" + "a" * 64, "md5=x"])
def test_a_bad_signature_gets_401_and_changes_nothing(rabeg, client, signature):
    new = _report(rabeg)
    body = json.dumps({"event": "report.created", "id": new["id"]}).encode()
    assert _hook(client, body, signature).status_code == 401
    assert Complaint.select().count() == 0


def test_a_signature_of_another_body_is_refused(rabeg, client):
    new = _report(rabeg)
    body = json.dumps({"event": "report.created", "id": new["id"]}).encode()
    other = json.dumps({"event": "report.updated", "id": new["id"]}).encode()
    assert _hook(client, body, sign_webhook(WEBHOOK_SECRET, other)).status_code == 401


def test_signed_but_malformed_webhook_is_a_400(rabeg, client):
    body = b'{"event": "something.else"}'
    assert _hook(client, body, sign_webhook(WEBHOOK_SECRET, body)).status_code == 400


def test_webhook_without_configured_secret_is_not_found(app, client, demo):
    assert _hook(client, b"{}", "sha256=00").status_code == 404


def test_webhook_from_the_simulator_over_real_http(app, demo, live_server):
    server, url = rabeg_simulator.serve(port=0, seed_demo=False,
                                        webhook_url=live_server + "/hooks/rabeg",
                                        webhook_secret=WEBHOOK_SECRET)
    try:
        sim = Sim(server, url)
        configure(app, rabeg=sim)
        new = _report(sim)
        deadline = time.monotonic() + 5
        with app.app_context():
            while time.monotonic() < deadline:
                if TimelineEvent.select().exists():
                    break
                time.sleep(0.05)
            assert by_external("rabeg", new["id"]).channel == "rabeg"
        # The simulator records a delivery once our 204 is back, which is
        # after the pull the webhook started: wait for it too.
        while time.monotonic() < deadline and not sim.state()["webhooks"]:
            time.sleep(0.05)
        deliveries = sim.state()["webhooks"]
        assert deliveries and deliveries[0]["status"] == 204
    finally:
        server.shutdown()


def test_rabeg_declares_its_photo_rule_for_a_resolving_tanggapan():
    from connectors.rabeg.plugin import CONNECTOR
    from portal.plugin_api import Publication

    bare = Publication(external_id="r1", complaint_code="ADU-1", classification="pengaduan",
                       status="selesai", photos=0)
    assert "Rabeg mewajibkan minimal satu foto" in CONNECTOR.publish_requirements({}, bare)[0]
    bare.photos = 1
    assert CONNECTOR.publish_requirements({}, bare) == []
