"""The generic SMS-gateway plugin against a tiny HTTP server on loopback."""
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from deadline_helpers import forward, make_city, new_complaint
from portal.notifications import service as notifications
from portal.notifications.service import Notification


class Gateway:
    """Records each POST; answers the statuses queued in `answers`, then 200."""

    def __init__(self):
        self.requests, self.answers = [], []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                gateway.requests.append({"path": self.path, "headers": dict(self.headers),
                                         "body": body.decode()})
                status = gateway.answers.pop(0) if gateway.answers else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"status": "queued"}')

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/kirim"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,),
                                       daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    g = Gateway()
    yield g
    g.close()


def sms_rows():
    return list(Notification.select().where(Notification.channel == "sms"))


def test_form_fields_and_auth_header_are_as_configured(app, gateway):
    app.config.update(SMS_GATEWAY_URL=gateway.url, SMS_FIELD_TO="msisdn", SMS_FIELD_TEXT="pesan",
                      SMS_EXTRA_FIELDS={"sender": "PEMKOT"}, SMS_AUTH_HEADER="X-Api-Key",
                      SMS_AUTH_VALUE="kunci-rahasia")
    with app.test_request_context():
        make_city()
        complaint = new_complaint("2026-03-17 09:00", contact="0812 3456 7890")
        assert {n.state for n in sms_rows()} == {notifications.SENT}
    [request] = gateway.requests
    assert request["path"] == "/api/kirim"
    assert request["headers"]["X-Api-Key"] == "kunci-rahasia"
    fields = urllib.parse.parse_qs(request["body"])
    assert fields["msisdn"] == ["081234567890"] and fields["sender"] == ["PEMKOT"]
    assert complaint.display_code in fields["pesan"][0]
    assert fields["pesan"][0].endswith(f"/lacak/{complaint.display_code}")


def test_json_format_retries_on_503_and_fails_on_400(app, gateway):
    app.config.update(SMS_GATEWAY_URL=gateway.url, SMS_FORMAT="json")
    gateway.answers = [503]
    with app.test_request_context():
        make_city()
        new_complaint("2026-03-17 09:00", contact="0812 3456 7890")
        [row] = sms_rows()
        assert row.state == notifications.PENDING
        assert notifications.deliver(row.id) == notifications.SENT
        assert notifications.deliver(row.id) is None
        gateway.answers = [400]
        forward(Notification.get_by_id(row.id).complaint, "2026-03-18 09:00")
        assert sorted(n.state for n in sms_rows()) == [notifications.FAILED, notifications.SENT]
    bodies = [json.loads(r["body"]) for r in gateway.requests]
    assert [b["to"] for b in bodies] == ["081234567890"] * 3
    assert "Authorization" not in gateway.requests[0]["headers"]


def test_without_a_gateway_url_the_sms_stays_unhandled(app, gateway):
    with app.test_request_context():
        make_city()
        new_complaint("2026-03-17 09:00", contact="0812 3456 7890")
        assert {n.state for n in sms_rows()} == {notifications.UNHANDLED}
    assert gateway.requests == []
