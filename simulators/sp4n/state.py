"""In-memory state of the SP4N simulator: complaints, follow-ups, logs, files.

Objects are stored in the API's own shape with attachment URLs relative to
the simulator root; ``render`` makes them absolute for the requesting host.
Keys starting with "_" are simulator bookkeeping and never leave the API.
"""

from __future__ import annotations

import copy
import threading
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from connectors.sp4n import mapping as m
from simulators import simkit
from simulators.sp4n import data

FILE_URL = "/storage/lampiran/{id}.{ext}"
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
AUTO_CLOSE_NOTE = "Ditutup otomatis: tidak ada tanggapan pelapor dalam 10 hari kerja."


class Sp4nState:
    def __init__(self, institution_id: int = data.INSTITUTION_ID, seed_demo: bool = True):
        self.lock = threading.RLock()
        self.institution_id = institution_id
        self.reset(seed_demo)

    def reset(self, seed_demo: bool) -> None:
        with self.lock:
            self.complaints: dict[int, dict[str, Any]] = {}
            self.followups: dict[int, list[dict[str, Any]]] = {}
            self.logs: dict[int, list[dict[str, Any]]] = {}
            self.files: dict[int, dict[str, Any]] = {}
            self.docs: dict[int, dict[str, Any]] = {}
            self.applied: Counter[str] = Counter()
            self.posted: list[int] = []  # ids of follow-ups received through the API
            self.shifted: list[int] = []  # complaints the shift_pages fault updated mid-pass
            self._ids = {"complaint": data.FIRST_COMPLAINT_ID,
                         "followup": data.FIRST_FOLLOWUP_ID, "file": data.FIRST_FILE_ID}
            if seed_demo:
                self._seed()

    def _next_id(self, kind: str) -> int:
        value = self._ids[kind]
        self._ids[kind] += 1
        return value

    # --- files ---------------------------------------------------------------

    def store_file(self, content: bytes, mime: str | None, filename: str | None,
                   origin: str) -> dict[str, Any]:
        """Keep a file and return its attachment object."""
        file_id = self._next_id("file")
        mime = mime or "application/octet-stream"
        ext = EXTENSIONS.get(mime, "bin")
        self.files[file_id] = {"content": content, "mime": mime, "origin": origin,
                               "meta": simkit.describe_upload(filename, content, mime)}
        return {"id": file_id, "url": FILE_URL.format(id=file_id, ext=ext), "mime": mime}

    def photo(self, label: str) -> dict[str, Any]:
        return self.store_file(simkit.make_jpeg(label), "image/jpeg", f"{label}.jpg", "generated")

    # --- complaints ----------------------------------------------------------

    def add_complaint(self, *, title: str, content: str, classification_id: int,
                      category_id: int, address: str | None, lat: float | None = None,
                      lng: float | None = None, reporter: dict[str, Any] | None = None,
                      is_anonymous: bool = False, is_secret: bool = False,
                      channel: str = "Website", status_code: int = m.STATUS_VERIFIED,
                      date_of_incident: str | None = None,
                      attachments: list[dict[str, Any]] | None = None,
                      created: datetime | None = None) -> dict[str, Any]:
        created = created or simkit.now()
        complaint_id = self._next_id("complaint")
        category = next(c for c in data.CATEGORIES if c["id"] == category_id)
        incident = date_of_incident or (created - timedelta(days=1)).date().isoformat()
        complaint = {
            "complaint_id": complaint_id,
            "tracking_id": f"{complaint_id}{complaint_id * 37 % 100:02d}",
            "title": title,
            "content": content,
            "classification": {"id": classification_id,
                               "name": m.CLASSIFICATION_NAMES[classification_id]},
            "category": {"id": category["id"], "name": category["name"]},
            "location": {**data.LOCATION, "address": address, "lat": lat, "lng": lng},
            "date_of_incident": incident,
            "is_anonymous": is_anonymous,
            "is_secret": is_secret,
            "reporter": None if is_anonymous else reporter,
            "channel": channel,
            "status_code": m.STATUS_UNVERIFIED,
            "status_name": m.STATUS_NAMES[m.STATUS_UNVERIFIED],
            "disposition_name": data.INSTITUTION_NAME,
            "attachments": attachments or [],
            "created_at": simkit.iso(created),
            "updated_at": simkit.iso(created),
            "_institution_id": self.institution_id,
        }
        self.complaints[complaint_id] = complaint
        self.followups[complaint_id] = []
        self.logs[complaint_id] = []
        self._log(complaint, "Laporan diterima.", created)
        if status_code != m.STATUS_UNVERIFIED:
            self.set_status(complaint, status_code,
                            f"Diverifikasi dan didisposisikan ke {data.INSTITUTION_NAME}.",
                            created + timedelta(hours=1))
        return complaint

    def set_status(self, complaint: dict[str, Any], code: int, note: str,
                   when: datetime | None = None) -> None:
        complaint["status_code"] = code
        complaint["status_name"] = m.STATUS_NAMES[code]
        self._log(complaint, note, when or simkit.now())

    def forward(self, complaint: dict[str, Any], institution: dict[str, Any], reason: str) -> None:
        complaint["_institution_id"] = institution["id"]
        complaint["disposition_name"] = institution["name"]
        self._log(complaint, f"Dialihkan ke {institution['name']}: {reason}", simkit.now())

    def _log(self, complaint: dict[str, Any], note: str, when: datetime) -> None:
        self.logs[complaint["complaint_id"]].append({
            "status_code": complaint["status_code"], "status_name": complaint["status_name"],
            "note": note, "created_at": simkit.iso(when)})
        self._touch(complaint, when)

    def touch_listed(self, institution_id: int, since: datetime | None, pages_read: int,
                     limit: int, count: int) -> list[int]:
        """Update `count` complaints on pages a client already read, as other
        users do while it pages: they move to the end of the listing, and
        what followed them slides back onto a page the client has passed."""
        listed = sorted((c for c in self.complaints.values()
                         if c["_institution_id"] == institution_id
                         and (since is None or datetime.fromisoformat(c["updated_at"]) >= since)),
                        key=lambda c: (datetime.fromisoformat(c["updated_at"]), c["complaint_id"]))
        touched = listed[:min(count, pages_read * limit)]
        newest = max((datetime.fromisoformat(c["updated_at"]) for c in listed), default=None)
        when = simkit.now()
        if newest is not None and when <= newest:
            when = newest + timedelta(seconds=1)  # whole seconds: later than everything listed
        for complaint in touched:
            complaint["updated_at"] = simkit.iso(when)
            self.shifted.append(complaint["complaint_id"])
        return [c["complaint_id"] for c in touched]

    @staticmethod
    def _touch(complaint: dict[str, Any], when: datetime) -> None:
        complaint["updated_at"] = max(complaint["updated_at"], simkit.iso(when))

    # --- follow-ups ----------------------------------------------------------

    def add_followup(self, complaint: dict[str, Any], author: str, content: str, *,
                     attachments: list[dict[str, Any]] | None = None,
                     institution_to_id: int | None = None, rating: int | None = None,
                     when: datetime | None = None, **extra: Any) -> dict[str, Any]:
        """Record a follow-up; ours moves the complaint to "Dalam Proses"."""
        when = when or simkit.now()
        ours = author == m.AUTHOR_INSTITUTION
        followup = {
            "id": self._next_id("followup"),
            "content": content,
            "author": author,
            "institution_from_id": self.institution_id if ours else None,
            "institution_to_id": (institution_to_id or self.institution_id) if ours else None,
            "rating": rating,
            "attachments": attachments or [],
            "created_at": simkit.iso(when),
            **{f"_{key}": value for key, value in extra.items()},
        }
        self.followups[complaint["complaint_id"]].append(followup)
        if ours and complaint["status_code"] in (m.STATUS_UNVERIFIED, m.STATUS_VERIFIED):
            self.set_status(complaint, m.STATUS_IN_PROCESS,
                            f"Tindak lanjut dari {data.INSTITUTION_NAME}.", when)
        self._touch(complaint, when)
        return followup

    # --- demo ----------------------------------------------------------------

    def _seed(self) -> None:
        start = simkit.now()
        for index, item in enumerate(data.DEMO_COMPLAINTS):
            created = start - timedelta(days=item["days_ago"], hours=index + 1)
            complaint = self.add_complaint(
                title=item["title"], content=item["content"],
                classification_id=item["classification_id"], category_id=item["category_id"],
                address=item["address"], lat=item["lat"], lng=item["lng"],
                reporter=item.get("reporter"), is_anonymous=item.get("is_anonymous", False),
                is_secret=item.get("is_secret", False), channel=item["channel"],
                attachments=[self.photo(label) for label in item["photos"]], created=created)
            last_ours = None
            for followup in item.get("followups", []):
                when = start - timedelta(days=followup["days_ago"], hours=index)
                last_ours = when if followup["author"] == m.AUTHOR_INSTITUTION else last_ours
                self.add_followup(complaint, followup["author"], followup["content"], when=when,
                                  attachments=[self.photo(p) for p in followup["photos"]])
            if item["status_code"] == m.STATUS_DONE and last_ours is not None:
                self.set_status(complaint, m.STATUS_DONE, AUTO_CLOSE_NOTE,
                                last_ours + timedelta(days=14))
            elif item["status_code"] != complaint["status_code"]:
                self.set_status(complaint, item["status_code"], "Status diperbarui.", created)

    # --- rendering -----------------------------------------------------------

    def render(self, obj: Any, root: str, internal: bool = False) -> Any:
        """Copy for the wire: absolute attachment URLs, bookkeeping keys dropped."""
        out = copy.deepcopy(obj)
        self._absolutise(out, root.rstrip("/"), internal)
        return out

    def _absolutise(self, obj: Any, root: str, internal: bool) -> None:
        if isinstance(obj, list):
            for item in obj:
                self._absolutise(item, root, internal)
        elif isinstance(obj, dict):
            if not internal:
                for key in [k for k in obj if k.startswith("_")]:
                    del obj[key]
            if isinstance(obj.get("url"), str) and obj["url"].startswith("/"):
                obj["url"] = root + obj["url"]
            for value in obj.values():
                self._absolutise(value, root, internal)

    def complaint_detail(self, complaint: dict[str, Any], root: str) -> dict[str, Any]:
        detail = self.render(complaint, root)
        detail["data_logs"] = copy.deepcopy(self.logs[complaint["complaint_id"]])
        return detail

    def snapshot(self, root: str) -> dict[str, Any]:
        """Everything a test may want to inspect (``GET /_sim/state``)."""
        uploads = [
            {"id": file_id, "origin": f["origin"], **f["meta"], "url": root.rstrip("/")
             + FILE_URL.format(id=file_id, ext=EXTENSIONS.get(f["mime"], "bin"))}
            for file_id, f in self.files.items() if f["origin"] != "generated"
        ]
        return {
            "institution_id": self.institution_id,
            "complaints": [self.complaint_detail(c, root)
                           | {"_institution_id": c["_institution_id"]}
                           for c in self.complaints.values()],
            "followups": {str(cid): self.render(items, root, internal=True)
                          for cid, items in self.followups.items()},
            "posted_followups": [self.render(f, root, internal=True) | {"complaint_id": cid}
                                 for cid, items in self.followups.items()
                                 for f in items if f["id"] in self.posted],
            "uploads": uploads,
            "docs": sorted(self.docs),
            "applied": dict(self.applied),
            "shifted": list(self.shifted),
        }
