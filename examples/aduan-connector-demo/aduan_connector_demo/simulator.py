"""The demo app's API on loopback, to test the connector against.

    python -m aduan_connector_demo.simulator --port 8703

In a test: `sim = serve()`; `sim.add(judul=..., isi=...)`; `sim.answers`;
`sim.shutdown()`.  With `serve(webhook_url=..., webhook_secret=...)` every
new report and reply is announced to Aduan by a signed webhook (see
plugin.py); `sim.webhooks` holds the HTTP status of each delivery.
"""
import argparse
import hashlib
import hmac
import itertools
import json
import threading
import time
from datetime import datetime, timedelta, timezone

import requests
from flask import Flask, jsonify, request
from werkzeug.serving import make_server

API_KEY = "demo-kunci"
WIB = timezone(timedelta(hours=7))


def sign(secret: str, body: bytes, timestamp: str) -> dict[str, str]:
    """The webhook headers the app sends for `body` at Unix time `timestamp`."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body,
                      hashlib.sha256).hexdigest()
    return {"X-Demo-Waktu": timestamp, "X-Demo-Tanda": "sha256=" + digest,
            "Content-Type": "application/json"}


class DemoApp:
    def __init__(self, webhook_url=None, webhook_secret=None):
        self.reports, self.answers, self.by_key = {}, [], {}
        self._ids = itertools.count(1)
        self._clock = datetime.now(WIB).replace(microsecond=0)
        self.lock = threading.Lock()
        self.webhook_url, self.webhook_secret = webhook_url, webhook_secret
        self.webhooks: list[int] = []  # HTTP status of each delivery

    def announce(self, report_id) -> None:
        """Tell Aduan a report changed (outside the lock: Aduan reads it back)."""
        if not self.webhook_url:
            return
        body = json.dumps({"id": report_id}).encode()
        headers = sign(self.webhook_secret, body, str(int(time.time())))
        try:
            status = requests.post(self.webhook_url, data=body, headers=headers,
                                   timeout=10).status_code
        except requests.RequestException:
            status = 0  # lost: polling still brings the report
        self.webhooks.append(status)

    def _tick(self) -> str:
        # Strictly increasing times, so the cursor never skips a change.
        self._clock += timedelta(seconds=1)
        return self._clock.isoformat()

    def add(self, judul, isi, **fields) -> dict:
        with self.lock:
            row = {"id": next(self._ids), "judul": judul, "isi": isi, "status": "baru",
                   "balasan": [], **fields, "diubah": self._tick()}
            self.reports[row["id"]] = row
        self.announce(row["id"])
        return row

    def reply(self, report_id, isi) -> None:
        with self.lock:
            row = self.reports[report_id]
            row["balasan"].append({"id": f"b{next(self._ids)}", "isi": isi})
            row["diubah"] = self._tick()
        self.announce(report_id)


def create_app(state: DemoApp) -> Flask:
    app = Flask(__name__)

    @app.before_request
    def check_key():
        if request.headers.get("X-Kunci") != API_KEY:
            return jsonify(pesan="kunci API salah"), 401
        return None

    @app.get("/")
    def health():
        return jsonify(ok=True)

    @app.get("/laporan")
    def listing():
        since = request.args.get("sejak") or ""
        with state.lock:
            rows = sorted((r for r in state.reports.values() if r["diubah"] > since),
                          key=lambda r: r["diubah"])
        return jsonify(laporan=rows, kursor=rows[-1]["diubah"] if rows else since)

    @app.get("/laporan/<int:report_id>")
    def one(report_id):
        row = state.reports.get(report_id)
        return (jsonify(row), 200) if row else (jsonify(pesan="tidak ada"), 404)

    @app.post("/laporan/<int:report_id>/jawaban")
    def answer(report_id):
        body = request.get_json(silent=True) or {}
        with state.lock:
            if body.get("kunci") in state.by_key:
                return jsonify(id=state.by_key[body["kunci"]])
            row = state.reports.get(report_id)
            if row is None:
                return jsonify(pesan="tidak ada"), 404
            answer_id = f"j{next(state._ids)}"
            state.answers.append({"id": answer_id, "report_id": report_id, **body})
            state.by_key[body.get("kunci")] = answer_id
            row["status"] = body.get("status", row["status"])
            row["diubah"] = state._tick()
        return jsonify(id=answer_id)

    return app


class Server(DemoApp):
    def __init__(self, port=0, **webhook):
        super().__init__(**webhook)
        self._server = make_server("127.0.0.1", port, create_app(self), threaded=True)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def shutdown(self):
        self._server.shutdown()
        self._thread.join(5)


def serve(port: int = 0, **webhook) -> Server:
    server = Server(port, **webhook)
    server._thread.start()
    return server


def main():
    parser = argparse.ArgumentParser(description="Demo regional complaint app")
    parser.add_argument("--port", type=int, default=8703)
    parser.add_argument("--webhook-url", help="e.g. http://127.0.0.1:5000/hooks/demo")
    parser.add_argument("--webhook-secret")
    args = parser.parse_args()
    server = Server(args.port, webhook_url=args.webhook_url, webhook_secret=args.webhook_secret)
    server.add("Lampu taman mati", "Lampu di taman kota mati sejak Senin.", kontak="081300000001")
    print(f"demo app: {server.base_url} (X-Kunci: {API_KEY})")
    server._server.serve_forever()


if __name__ == "__main__":
    main()
