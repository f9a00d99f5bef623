"""Control API of the Rabeg simulator (``/_sim/...``), for tests and demos.

    GET    /_sim/state                    everything posted, webhook deliveries, faults
    POST   /_sim/reports                  add a report (webhook report.created)
    POST   /_sim/reports/<id>/reply       add a citizen tanggapan, oleh "warga"
    POST   /_sim/reports/<id>/status      set the Rabeg status
    POST   /_sim/reset                    {"demo": true|false}
    GET|POST|DELETE /_sim/faults          see connectors.simkit
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response

from connectors.rabeg import mapping as m
from simulators import simkit
from simulators.rabeg import data
from simulators.simkit import ControlError

DEFAULT_PELAPOR = {"nama": "Warga Kota Serang", "email": None, "telepon": "081200000000"}


def register(app: Flask, extension: str, error: Callable[..., Response]) -> None:
    """Add the control routes; ``extension`` names the simulator context in app.extensions."""
    control = simkit.Control(extension, webhooks=True)
    ctx, root, body = control.ctx, control.root, control.body

    def add_report() -> Response:
        state, payload = ctx().state, body()
        fields = _report_fields(payload)
        labels = simkit.photo_labels(payload.get("photos", 1), fields["judul"])
        with state.lock:
            report = state.add_report(fields, [state.photo(x) for x in labels])
            return simkit.json_response(state.render(report, root()), 201)

    def reply(id: str) -> Response:
        state, payload = ctx().state, body()
        isi = str(payload.get("isi") or "").strip()
        if not isi:
            raise ControlError("isi is required")
        labels = simkit.photo_labels(payload.get("photos", 0), "Balasan warga")
        with state.lock:
            report = state.reports.get(id)
            if report is None:
                return error(404, m.ErrorCode.NOT_FOUND, "Laporan tidak ditemukan.")
            tanggapan = state.add_tanggapan(report, m.OLEH_WARGA, isi,
                                            [state.photo(x) for x in labels])
            rendered = state.render(report, root())
        return simkit.json_response(
            next(t for t in rendered["tanggapan"] if t["id"] == tanggapan["id"]), 201)

    def set_status(id: str) -> Response:
        state, payload = ctx().state, body()
        status = payload.get("status")
        if status not in m.STATUS_VALUES:
            raise ControlError(f"status must be one of {m.STATUS_VALUES}")
        with state.lock:
            report = state.reports.get(id)
            if report is None:
                return error(404, m.ErrorCode.NOT_FOUND, "Laporan tidak ditemukan.")
            state.set_status(report, status)
            return simkit.json_response(state.render(report, root()))

    control.register(app, error, add_report=add_report, reply=reply, set_status=set_status)


def _report_fields(payload: dict[str, Any]) -> dict[str, Any]:
    """Report fields of ``POST /_sim/reports``, with demo-friendly defaults."""
    judul = str(payload.get("judul") or "").strip()
    isi = str(payload.get("isi") or "").strip()
    if not judul or not isi:
        raise ControlError("judul and isi are required")
    opd = payload.get("opd_tujuan")
    if opd is not None and opd not in {o["kode"] for o in data.OPD}:
        raise ControlError("unknown opd_tujuan")
    tingkat = payload.get("tingkat", m.TINGKAT_SEDANG)
    if tingkat not in m.TINGKAT_VALUES:
        raise ControlError(f"tingkat must be one of {m.TINGKAT_VALUES}")
    status = payload.get("status", m.STATUS_UNREAD)
    if status not in m.STATUS_VALUES:
        raise ControlError(f"status must be one of {m.STATUS_VALUES}")
    lokasi = payload.get("lokasi") if isinstance(payload.get("lokasi"), dict) else {}
    return {
        "judul": judul, "isi": isi, "kategori": payload.get("kategori", data.KATEGORI[0]),
        "opd_tujuan": opd, "tingkat": tingkat, "status": status,
        "lokasi": {"alamat": lokasi.get("alamat", "Kota Serang"), "lat": lokasi.get("lat"),
                   "lng": lokasi.get("lng")},
        "anonim": bool(payload.get("anonim", False)),
        "rahasia": bool(payload.get("rahasia", False)),
        "pelapor": payload.get("pelapor") or dict(DEFAULT_PELAPOR),
    }
