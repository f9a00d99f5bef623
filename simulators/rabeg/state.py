"""In-memory state of the Rabeg simulator, its idempotency store and webhooks.

Every change to a report stamps it with a new sequence number; the listing
cursor is a position in that sequence, so "changed since a cursor" is exact.
Reports are stored in the API's shape with photo paths relative to the
simulator root; keys starting with "_" are bookkeeping and never leave it.
"""

from __future__ import annotations

import copy
import json
import logging
import queue
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import requests

from connectors.rabeg import mapping as m
from connectors.rabeg.client import sign_webhook
from simulators import simkit
from simulators.rabeg import data

PHOTO_URL = "/media/foto/{name}"
ID_NAMESPACE = uuid.UUID("5b0d9a4e-1c1f-4f7e-8a51-3a6e2c1d7b90")
log = logging.getLogger(__name__)


class RabegState:
    def __init__(self, seed_demo: bool = True,
                 idempotency_ttl: float = m.IDEMPOTENCY_TTL_SECONDS):
        self.lock = threading.RLock()
        self.idempotency_ttl = idempotency_ttl
        # Called with (event, report id) after a change; set by the webhook sender.
        self.notify: Callable[[str, str], None] = lambda event, report_id: None
        self.reset(seed_demo)

    def reset(self, seed_demo: bool) -> None:
        with self.lock:
            self.reports: dict[str, dict[str, Any]] = {}
            self.files: dict[str, dict[str, Any]] = {}
            self.idempotency: dict[str, dict[str, Any]] = {}
            self.applied: Counter[str] = Counter()
            self.replayed = 0
            self.posted: list[str] = []  # ids of tanggapan received through the API
            self.status_log: list[tuple[str, str]] = []  # (report id, status) in order
            self._seq = 0
            self._counter = 0
            if seed_demo:
                notify, self.notify = self.notify, lambda event, report_id: None
                try:
                    self._seed()
                finally:
                    self.notify = notify

    def _new_id(self, kind: str) -> str:
        """Stable ids across runs, so demo links keep working after a restart."""
        self._counter += 1
        return str(uuid.uuid5(ID_NAMESPACE, f"{kind}-{self._counter}"))

    def _touch(self, report: dict[str, Any], when: datetime, event: str) -> None:
        self._seq += 1
        report["_seq"] = self._seq
        report["diperbarui_pada"] = max(report["diperbarui_pada"], simkit.iso(when))
        self.notify(event, report["id"])

    # --- files ---------------------------------------------------------------

    def store_file(self, content: bytes, mime: str | None, filename: str | None,
                   origin: str) -> str:
        """Keep a photo; returns its URL path."""
        ext = "png" if mime == "image/png" else "jpg"
        name = f"{self._new_id('foto')}.{ext}"
        self.files[name] = {"content": content, "mime": mime or "image/jpeg", "origin": origin,
                            "meta": simkit.describe_upload(filename, content, mime)}
        return PHOTO_URL.format(name=name)

    def photo(self, label: str) -> str:
        return self.store_file(simkit.make_jpeg(label), "image/jpeg", f"{label}.jpg", "generated")

    # --- reports -------------------------------------------------------------

    def add_report(self, fields: dict[str, Any], photos: list[str],
                   created: datetime | None = None) -> dict[str, Any]:
        created = created or simkit.now()
        number = data.FIRST_NOMOR + len(self.reports) + 1
        anonymous = bool(fields.get("anonim"))
        report = {
            "id": self._new_id("report"),
            "nomor": f"RBG-{created.year}-{number:06d}",
            "judul": fields["judul"],
            "isi": fields["isi"],
            "kategori": fields.get("kategori"),
            "opd_tujuan": fields.get("opd_tujuan"),
            "tingkat": fields.get("tingkat", m.TINGKAT_SEDANG),
            "lokasi": fields.get("lokasi") or {"alamat": None, "lat": None, "lng": None},
            "anonim": anonymous,
            "rahasia": bool(fields.get("rahasia")),
            "pelapor": None if anonymous else fields.get("pelapor"),
            "foto": photos,
            "status": fields.get("status", m.STATUS_UNREAD),
            "dibuat_pada": simkit.iso(created),
            "diperbarui_pada": simkit.iso(created),
            "tanggapan": [],
        }
        self.reports[report["id"]] = report
        self._touch(report, created, m.Webhook.REPORT_CREATED)
        return report

    def add_tanggapan(self, report: dict[str, Any], oleh: str, isi: str, photos: list[str],
                      status: str | None = None, when: datetime | None = None) -> dict[str, Any]:
        when = when or simkit.now()
        tanggapan = {"id": self._new_id("tanggapan"), "oleh": oleh, "isi": isi,
                     "foto": photos, "dibuat_pada": simkit.iso(when)}
        report["tanggapan"].append(tanggapan)
        if status and status != report["status"]:
            report["status"] = status
            self.status_log.append((report["id"], status))
        self._touch(report, when, m.Webhook.REPORT_UPDATED)
        return tanggapan

    def set_status(self, report: dict[str, Any], status: str) -> None:
        if report["status"] != status:
            report["status"] = status
            self.status_log.append((report["id"], status))
            self._touch(report, simkit.now(), m.Webhook.REPORT_UPDATED)

    def _seed(self) -> None:
        start = simkit.now()
        for item in sorted(data.DEMO_REPORTS, key=lambda r: -r["hours_ago"]):
            report = self.add_report(item, [self.photo(p) for p in item["photos"]],
                                     start - timedelta(hours=item["hours_ago"]))
            for t in item.get("tanggapan", []):
                self.add_tanggapan(report, t["oleh"], t["isi"],
                                   [self.photo(p) for p in t["photos"]], t.get("status"),
                                   start - timedelta(hours=t["hours_ago"]))
            report["status"] = item["status"]

    # --- idempotency ---------------------------------------------------------

    def remembered(self, key: str) -> dict[str, Any] | None:
        """The first answer given under ``key``, if still within its lifetime."""
        now = time.monotonic()
        for stale in [k for k, v in self.idempotency.items() if v["expires"] <= now]:
            del self.idempotency[stale]
        return self.idempotency.get(key)

    def remember(self, key: str, fingerprint: str, status: int, body: bytes) -> None:
        self.idempotency[key] = {"fingerprint": fingerprint, "status": status, "body": body,
                                 "expires": time.monotonic() + self.idempotency_ttl}

    # --- rendering -----------------------------------------------------------

    def render(self, report: dict[str, Any], root: str, internal: bool = False) -> dict[str, Any]:
        out = copy.deepcopy(report)
        root = root.rstrip("/")
        out["foto"] = [root + p for p in out["foto"]]
        for t in out["tanggapan"]:
            t["foto"] = [root + p for p in t["foto"]]
        if not internal:
            out.pop("_seq", None)
        return out

    def snapshot(self, root: str) -> dict[str, Any]:
        """Everything a test may want to inspect (``GET /_sim/state``)."""
        root = root.rstrip("/")
        posted = [{"report_id": r["id"], **t, "foto": [root + p for p in t["foto"]]}
                  for r in self.reports.values() for t in r["tanggapan"]
                  if t["id"] in self.posted]
        uploads = [{"url": root + PHOTO_URL.format(name=name), "origin": f["origin"], **f["meta"]}
                   for name, f in self.files.items() if f["origin"] != "generated"]
        return {
            "reports": [self.render(r, root, internal=True) for r in self.reports.values()],
            "tanggapan": posted,
            "uploads": uploads,
            "applied": dict(self.applied),
            "replayed": self.replayed,
            "idempotency_keys": len(self.idempotency),
            "status_log": [list(entry) for entry in self.status_log],
        }


class WebhookSender:
    """Posts signed webhooks from a background thread; failures are only logged."""

    def __init__(self, url: str, secret: str, timeout: float = 5.0):
        self.url, self.secret, self.timeout = url, secret, timeout
        self.deliveries: list[dict[str, Any]] = []
        self._queue: queue.Queue[tuple[str, str] | None] = queue.Queue()
        self._session = requests.Session()
        self._session.trust_env = False  # webhooks go to the local portal, never via a proxy
        self._thread = threading.Thread(target=self._run, name="rabeg-webhooks", daemon=True)
        self._thread.start()

    def notify(self, event: str, report_id: str) -> None:
        self._queue.put((event, report_id))

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=self.timeout + 1)
        self._session.close()

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            self.deliveries.append(self._deliver(*item))

    def _deliver(self, event: str, report_id: str) -> dict[str, Any]:
        body = json.dumps({m.Webhook.EVENT: event, m.Webhook.ID: report_id}).encode()
        headers = {"Content-Type": "application/json",
                   m.HEADER_SIGNATURE: sign_webhook(self.secret, body)}
        record: dict[str, Any] = {"event": event, "id": report_id}
        try:
            response = self._session.post(self.url, data=body, headers=headers,
                                          timeout=self.timeout)
            record["status"] = response.status_code
        except Exception as exc:  # best effort: a dead portal must not stop the simulator
            log.warning("webhook %s for %s failed: %s", event, report_id, exc)
            record["error"] = str(exc)
        return record
