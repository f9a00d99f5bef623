"""The WhatsApp channel against the local Graph API simulator, over real HTTP:
template messages out, signed status webhooks back into the portal."""
import hashlib
import hmac
import json
import time

import pytest

from deadline_helpers import forward, make_city, new_complaint, user
from portal.complaints import service as complaints
from portal.notifications import handoffs, preferences, service as notifications, whatsapp
from portal.notifications.service import Notification
from sim_http import http  # noqa: F401 - fixture
from simulators.whatsapp import server as wa_sim

SECRET = "app-secret-uji"


@pytest.fixture
def sim(app, live_server):
    server = wa_sim.start(webhook_url=f"{live_server}/hooks/whatsapp", app_secret=SECRET)
    app.config.update(WHATSAPP_TOKEN="sim-token", WHATSAPP_PHONE_NUMBER_ID="1234567890",
                      WHATSAPP_API_BASE=server.base_url, WHATSAPP_APP_SECRET=SECRET,
                      WHATSAPP_VERIFY_TOKEN="verifikasi-uji")
    yield server
    server.shutdown()


@pytest.fixture
def city(app, sim):
    with app.test_request_context():
        make_city()
        preferences.save(user("operator.dishub"), channel="whatsapp", phone="0812-3456-7890")
        yield


def wait_for(condition, what, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def wa_rows():
    return list(Notification.select().where(Notification.channel == "whatsapp")
                .order_by(Notification.id))


def test_a_handoff_goes_out_as_a_template_and_its_statuses_come_back(city, sim, http):
    complaint = forward(new_complaint("2026-03-17 09:00", title="Lampu jalan mati"),
                        "2026-03-17 10:00")
    [message] = sim.state.messages
    assert message["to"] == "6281234567890"
    assert message["template"] == "aduan_serah_terima" and message["language"] == "id"
    subject, text, link = message["params"]
    assert complaint.display_code in subject and "Lampu jalan mati" in text
    assert link == f"http://127.0.0.1:5000/staf/aduan/{complaint.display_code}"
    [row] = wa_rows()
    assert row.state == notifications.SENT and row.provider_id == message["id"]
    # The simulator posts "sent" then "delivered" to /hooks/whatsapp, signed.
    wait_for(lambda: Notification.get_by_id(row.id).provider_status == "delivered", "delivered")
    assert {w["answer"] for w in sim.state.webhooks} == {200}
    answer = http.post(f"{sim.root_url}/_sim/status", json={"id": row.provider_id,
                                                            "status": "read"})
    assert answer.json() == {"answer": 200}
    assert Notification.get_by_id(row.id).provider_status == "read"
    # A late "delivered" does not undo "read".
    late = {"entry": [{"changes": [{"value": {"statuses": [
        {"id": row.provider_id, "status": "delivered", "timestamp": "1773716400"}]}}]}]}
    assert whatsapp.record_statuses(late) == 0
    assert Notification.get_by_id(row.id).provider_status == "read"


def test_429_and_5xx_are_retried_and_the_message_is_sent_once(city, sim, http):
    http.post(f"{sim.root_url}/_sim/faults", json={"status": 429, "count": 1})
    http.post(f"{sim.root_url}/_sim/faults", json={"status": 503, "count": 1})
    forward(new_complaint("2026-03-17 09:00"), "2026-03-17 10:00")
    [row] = wa_rows()
    assert row.state == notifications.PENDING and row.attempts == 1  # the 429
    assert notifications.deliver(row.id) == notifications.PENDING  # the 503
    assert notifications.deliver(row.id) == notifications.SENT
    assert notifications.deliver(row.id) is None
    assert len(sim.state.messages) == 1


def test_a_refused_template_fails_at_once(city, sim, app):
    app.config["WHATSAPP_TEMPLATE_STAFF"] = "tidak_ada"
    forward(new_complaint("2026-03-17 09:00"), "2026-03-17 10:00")
    [row] = wa_rows()
    assert row.state == notifications.FAILED and row.attempts == 1
    assert sim.state.messages == []


def test_the_webhook_checks_signature_handshake_and_body(city, sim, live_server, http):
    body = json.dumps({"entry": []}).encode()
    good = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    url = f"{live_server}/hooks/whatsapp"
    assert http.post(url, data=body, headers={"X-Hub-Signature-256": good}).status_code == 200
    bad = http.post(url, data=body, headers={"X-Hub-Signature-256": "sha256=" + "0" * 64})
    assert bad.status_code == 401 and "tanda tangan" in bad.json()["error"]
    assert http.post(url, data=body).status_code == 401
    junk = b"[1, 2"
    signed = "sha256=" + hmac.new(SECRET.encode(), junk, hashlib.sha256).hexdigest()
    answer = http.post(url, data=junk, headers={"X-Hub-Signature-256": signed})
    assert answer.status_code == 400
    listed = b"[1, 2]"
    signed = "sha256=" + hmac.new(SECRET.encode(), listed, hashlib.sha256).hexdigest()
    assert http.post(url, data=listed, headers={"X-Hub-Signature-256": signed}).status_code == 400
    ok = http.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "verifikasi-uji",
                               "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.text == "1158201444"
    wrong = http.get(url, params={"hub.mode": "subscribe", "hub.verify_token": "salah",
                                  "hub.challenge": "1"})
    assert wrong.status_code == 403


def test_a_failed_status_marks_the_notification_failed(city, sim, http):
    forward(new_complaint("2026-03-17 09:00"), "2026-03-17 10:00")
    [row] = wa_rows()
    wait_for(lambda: Notification.get_by_id(row.id).provider_status == "delivered", "delivered")
    http.post(f"{sim.root_url}/_sim/status", json={"id": row.provider_id, "status": "failed"})
    row = Notification.get_by_id(row.id)
    assert (row.provider_status, row.state) == ("failed", notifications.FAILED)


def test_a_citizen_who_opted_in_gets_status_updates_on_whatsapp(city, sim):
    complaint, _ = complaints.submit({"title": "Pungli parkir", "body": "Diminta uang lebih.",
                                      "reporter_contact": "0813 1111 2222",
                                      "notify_whatsapp": True, "confidential": True})
    citizen = [m for m in sim.state.messages if m["template"] == "aduan_status"]
    assert [m["to"] for m in citizen] == ["6281311112222"]
    assert all("Pungli" not in " ".join(m["params"]) for m in citizen)  # confidential
    assert citizen[0]["params"][2].endswith(f"/lacak/{complaint.display_code}")


def test_without_the_opt_in_a_phone_still_gets_sms(city, sim):
    complaints.submit({"title": "Got mampet", "body": "Banjir tiap hujan.",
                       "reporter_contact": "0813 1111 2222"})
    assert [m["template"] for m in sim.state.messages] == []
    assert Notification.get(Notification.kind == "status").channel == "sms"


def test_the_handoff_key_stops_a_second_message(city, sim):
    complaint = forward(new_complaint("2026-03-17 09:00"), "2026-03-17 10:00")
    event = complaint.events.where(complaints.TimelineEvent.kind == "teruskan").get()
    assert handoffs.notify(complaint, event) == []
    assert len(sim.state.messages) == 1


def test_template_parameters_lose_new_lines():
    assert whatsapp.param("Satu\nDua\t\tTiga      empat") == "Satu · Dua · Tiga   empat"
    assert whatsapp.param("") == "-"
    assert whatsapp.wa_number("0812-3456 7890") == "6281234567890"
    assert whatsapp.wa_number("+62 812 3456 7890") == "6281234567890"


def test_a_status_quicker_than_the_stored_message_id_is_matched_by_its_key(city):
    notification_id = notifications.create("k:wa", "whatsapp", "Uji", address="+6281200000009",
                                           kind="uji")
    key = Notification.get_by_id(notification_id).key
    payload = {"entry": [{"changes": [{"value": {"statuses": [
        {"id": "wamid.CEPAT", "status": "sent", "timestamp": "1773716400",
         "biz_opaque_callback_data": key}]}}]}]}
    assert whatsapp.record_statuses(payload) == 1
    row = Notification.get_by_id(notification_id)
    assert (row.provider_id, row.provider_status) == ("wamid.CEPAT", "sent")
