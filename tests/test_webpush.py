"""Web Push for staff against a local push endpoint that decrypts what it gets."""
import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from portal.complaints import workflow
from portal.notifications import preferences, service as notifications, webpush
from portal.notifications.service import Notification
from staff_helpers import advance, csrf, login, new_complaint, user


def b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class PushService:
    """A push service endpoint: records each POST; answers the queued statuses, then 201."""

    def __init__(self):
        self.received, self.answers = [], []
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                service.received.append((self.path, dict(self.headers), body))
                self.send_response(service.answers.pop(0) if service.answers else 201)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.root = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class Browser:
    """The keys a browser makes when it subscribes."""

    def __init__(self, endpoint):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        public = self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                    serialization.PublicFormat.UncompressedPoint)
        self.subscription = {"endpoint": endpoint, "expirationTime": None,
                             "keys": {"p256dh": b64(public), "auth": b64(self.auth)}}

    def decrypt(self, body):
        return json.loads(http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth,
                                           version="aes128gcm"))


@pytest.fixture
def service():
    s = PushService()
    yield s
    s.close()


@pytest.fixture
def vapid(app):
    public, private = webpush.generate_keys()
    app.config.update(VAPID_PUBLIC_KEY=public, VAPID_PRIVATE_KEY=private,
                      VAPID_SUBJECT="mailto:admin@serangkota.go.id")
    return public


def subscribe(client, browser):
    return client.post("/staf/push/langganan", json=browser.subscription,
                       headers={"X-CSRFToken": csrf(client)})


def test_a_handoff_reaches_the_subscribed_phone_encrypted(app, demo, client, service, vapid):
    browser = Browser(f"{service.root}/push/abc123")
    login(client, "operator.dpupr", demo["operator.dpupr"])
    assert subscribe(client, browser).status_code == 201
    assert subscribe(client, browser).status_code == 201  # the same browser again: one row
    with app.app_context():
        assert webpush.PushSubscription.select().count() == 1
        preferences.save(user("operator.dpupr"), channel="webpush")
        complaint = advance(new_complaint(title="Lampu jalan mati"), workflow.DITERUSKAN)
    [(path, headers, body)] = service.received
    headers = {k.lower(): v for k, v in headers.items()}
    assert path == "/push/abc123"
    assert headers["content-encoding"] == "aes128gcm" and int(headers["ttl"]) > 0
    assert headers["authorization"].startswith("vapid t=") and f"k={vapid}" in \
        headers["authorization"]
    message = browser.decrypt(body)
    assert complaint.display_code in message["title"]
    assert "Lampu jalan mati" in message["body"]
    assert message["url"].endswith(f"/staf/aduan/{complaint.display_code}")
    assert b"Lampu" not in body  # encrypted on the wire


def test_a_gone_browser_is_dropped_and_a_busy_service_retried(app, demo, client, service, vapid):
    gone, busy = Browser(f"{service.root}/push/gone"), Browser(f"{service.root}/push/busy")
    login(client, "operator.dpupr", demo["operator.dpupr"])
    subscribe(client, gone)
    with app.app_context():
        preferences.save(user("operator.dpupr"), channel="webpush")
        service.answers = [410]
        advance(new_complaint(), workflow.DITERUSKAN)
        row = Notification.get(Notification.channel == "webpush")
        assert row.state == notifications.FAILED
        assert webpush.PushSubscription.select().count() == 0
    subscribe(client, busy)
    with app.app_context():
        service.answers = [503]
        advance(new_complaint(title="Got mampet di Jalan Veteran"), workflow.DITERUSKAN)
        row = Notification.select().where(Notification.channel == "webpush").order_by(
            Notification.id.desc()).get()
        assert row.state == notifications.PENDING
        assert notifications.deliver(row.id) == notifications.SENT


@pytest.mark.parametrize("payload", [
    {}, [], {"endpoint": "javascript:alert(1)", "keys": {"p256dh": "x", "auth": "y"}},
    {"endpoint": "https://push.example.org/x", "keys": {"p256dh": b64(b"1" * 64),
                                                        "auth": b64(b"2" * 16)}},
])
def test_a_bad_subscription_is_refused_with_a_message(app, demo, client, vapid, payload):
    login(client, "operator.dpupr", demo["operator.dpupr"])
    response = client.post("/staf/push/langganan", json=payload,
                           headers={"X-CSRFToken": csrf(client)})
    assert response.status_code == 422
    assert "tidak valid" in response.get_json()["error"]


def test_the_service_worker_and_the_settings_button(app, demo, client, vapid):
    assert client.get("/staf/sw.js").status_code in (302, 303)  # staff only, like /staf/*
    login(client, "operator.dpupr", demo["operator.dpupr"])
    worker = client.get("/staf/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert b"showNotification" in worker.data and b"openWindow" in worker.data
    page = client.get("/staf/notifikasi/pengaturan").get_data(as_text=True)
    assert 'value="webpush"' in page and f'data-key="{vapid}"' in page
    assert "push.js" in page and "<script>" not in page  # no inline script
