"""Control API of the SP4N simulator (``/_sim/...``), for tests and demos.

    GET    /_sim/state                    everything posted to the simulator
    POST   /_sim/reports                  add a complaint disposed to us
    POST   /_sim/reports/<id>/reply       add a reporter reply (author "pelapor")
    POST   /_sim/reports/<id>/status      set the SP4N status (e.g. 3: auto-close)
    POST   /_sim/reset                    {"demo": true|false}
    GET|POST|DELETE /_sim/faults          see connectors.simkit
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response

from connectors.sp4n import mapping as m
from simulators import simkit
from simulators.simkit import ControlError
from simulators.sp4n import data


def register(app: Flask, extension: str, error: Callable[..., Response]) -> None:
    """Add the control routes; ``extension`` names the simulator context in app.extensions."""
    control = simkit.Control(extension)
    ctx, root, body = control.ctx, control.root, control.body

    def add_report() -> Response:
        state, payload = ctx().state, body()
        fields = _report_fields(payload)
        labels = simkit.photo_labels(payload.get("photos", 1), fields["title"])
        with state.lock:
            complaint = state.add_complaint(**fields,
                                            attachments=[state.photo(x) for x in labels])
            return simkit.json_response(state.complaint_detail(complaint, root()), 201)

    def reply(id: int) -> Response:
        state, payload = ctx().state, body()
        content = str(payload.get("content") or "").strip()
        rating = payload.get("rating")
        if not content:
            raise ControlError("content is required")
        if rating is not None and rating not in range(1, 6):
            raise ControlError("rating is 1..5")
        labels = simkit.photo_labels(payload.get("photos", 0), "Balasan pelapor")
        with state.lock:
            complaint = state.complaints.get(id)
            if complaint is None:
                return error(404, "not_found", "Pengaduan tidak ditemukan.")
            followup = state.add_followup(complaint, m.AUTHOR_REPORTER, content, rating=rating,
                                          attachments=[state.photo(x) for x in labels])
            return simkit.json_response(state.render(followup, root()), 201)

    def set_status(id: int) -> Response:
        state, payload = ctx().state, body()
        code = payload.get("status_code")
        if code not in m.STATUS_NAMES:
            raise ControlError(f"status_code must be one of {sorted(m.STATUS_NAMES)}")
        with state.lock:
            complaint = state.complaints.get(id)
            if complaint is None:
                return error(404, "not_found", "Pengaduan tidak ditemukan.")
            state.set_status(complaint, code, str(payload.get("note") or "Status diperbarui."))
            return simkit.json_response(state.complaint_detail(complaint, root()))

    control.register(app, error, add_report=add_report, reply=reply, set_status=set_status,
                     report_id="<int:id>")


def _report_fields(payload: dict[str, Any]) -> dict[str, Any]:
    """Complaint fields of ``POST /_sim/reports``, with demo-friendly defaults."""
    title = str(payload.get("title") or "").strip()
    content = str(payload.get("content") or "").strip()
    if not title or not content:
        raise ControlError("title and content are required")
    classification_id = payload.get("classification_id", m.CLASSIFICATION_COMPLAINT)
    category_id = payload.get("category_id", 311)
    status_code = payload.get("status_code", m.STATUS_VERIFIED)
    if classification_id not in m.CLASSIFICATION_NAMES:
        raise ControlError("unknown classification_id")
    if category_id not in {c["id"] for c in data.CATEGORIES}:
        raise ControlError("unknown category_id")
    if status_code not in m.STATUS_NAMES:
        raise ControlError("unknown status_code")
    anonymous = bool(payload.get("is_anonymous", False))
    reporter = payload.get("reporter") or {"name": "Warga Kota Serang", "email": None,
                                           "phone": "081200000000"}
    return {
        "title": title, "content": content, "classification_id": classification_id,
        "category_id": category_id, "address": payload.get("address", "Kota Serang"),
        "lat": payload.get("lat"), "lng": payload.get("lng"), "reporter": reporter,
        "is_anonymous": anonymous, "is_secret": bool(payload.get("is_secret", False)),
        "channel": str(payload.get("channel") or "Website"), "status_code": status_code,
    }
