"""Rabeg simulator: the modelled Rabeg API over HTTP on loopback.

    python -m connectors.rabeg.simulator --port 8702 [--host 127.0.0.1] [--no-demo]
        [--api-key KEY] [--webhook-url URL --webhook-secret S]

From a test: ``server, base_url = serve(port=0)`` ... ``server.shutdown()``.
``/_sim/...`` is the control API (see simulator_control).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import functools
import hmac
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from connectors.rabeg import mapping as m
from simulators import faults as simfaults, simkit
from simulators.rabeg import control as simulator_control, data
from simulators.rabeg.state import PHOTO_URL, RabegState, WebhookSender
from simulators.simkit import SIM_PREFIX

DEFAULT_API_KEY = "demo-rabeg-api-key"
DEFAULT_PAGE_LIMIT = 50
# Tells a test or an operator that an answer came from the idempotency store.
HEADER_REPLAYED = "Idempotent-Replayed"


@dataclass
class Context:
    state: RabegState
    faults: simfaults.FaultBook
    api_key: str
    webhooks: WebhookSender | None


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _ctx() -> Context:
    return current_app.extensions["rabeg_sim"]


def _root() -> str:
    return request.host_url.rstrip("/")


def error_response(status: int, code: str, message: str) -> Response:
    return simkit.json_response({m.Envelope.ERROR: {m.Envelope.ERROR_CODE: code,
                                                    m.Envelope.ERROR_MESSAGE: message}}, status)


def check_auth() -> Response | None:
    path = request.path
    if path.startswith(SIM_PREFIX) or path.startswith(PHOTO_URL.split("{")[0]):
        return None
    given = request.headers.get(m.HEADER_API_KEY, "").encode()
    if hmac.compare_digest(given, _ctx().api_key.encode()):
        return None
    return error_response(401, m.ErrorCode.UNAUTHORIZED, "API key salah atau tidak ada.")


def encode_cursor(seq: int) -> str:
    raw = json.dumps({"v": 1, "after": seq}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> int | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        after = json.loads(raw)["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        return None
    return after if isinstance(after, int) and after >= 0 else None


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    """Same Idempotency-Key within the TTL: replay the first answer, apply nothing."""

    @functools.wraps(view)
    def wrapper(**kwargs: Any) -> Response:
        state = _ctx().state
        key = request.headers.get(m.HEADER_IDEMPOTENCY_KEY)
        fingerprint = f"{request.method} {request.path}"
        with state.lock:
            first = state.remembered(key) if key else None
            if first is not None:
                if first["fingerprint"] != fingerprint:
                    return error_response(409, m.ErrorCode.IDEMPOTENCY_CONFLICT,
                                          "Idempotency-Key sudah dipakai untuk permintaan lain.")
                state.replayed += 1
                replay = Response(first["body"], first["status"], mimetype="application/json")
                replay.headers[HEADER_REPLAYED] = "true"
                return replay
            try:
                response = view(**kwargs)
            except ApiError as exc:
                response = error_response(exc.status, exc.code, exc.message)
            if key and response.status_code < 500:
                state.remember(key, fingerprint, response.status_code, response.get_data())
            return response

    return wrapper


def _report(report_id: str) -> dict[str, Any]:
    report = _ctx().state.reports.get(report_id)
    if report is None:
        raise ApiError(404, m.ErrorCode.NOT_FOUND, "Laporan tidak ditemukan.")
    return report


# --- API ------------------------------------------------------------------------


def list_reports() -> Response:
    ctx, args = _ctx(), request.args
    try:
        limit = int(args.get(m.Query.LIMIT, DEFAULT_PAGE_LIMIT))
    except ValueError:
        limit = 0
    if not 1 <= limit <= m.MAX_PAGE_LIMIT:
        raise ApiError(400, m.ErrorCode.INVALID_PARAMETER,
                       f"limit harus antara 1 dan {m.MAX_PAGE_LIMIT}.")
    cursor = args.get(m.Query.CURSOR)
    after = decode_cursor(cursor) if cursor else 0
    if after is None:
        raise ApiError(400, m.ErrorCode.INVALID_CURSOR, "Cursor tidak valid.")
    with ctx.state.lock:
        ordered = sorted(ctx.state.reports.values(), key=lambda r: r["_seq"])
        fresh = [r for r in ordered if r["_seq"] > after]
        chunk = fresh[:limit]
        next_seq = chunk[-1]["_seq"] if chunk else after
        fault = ctx.faults.take(("repeat_reorder",), request.method, request.path)
        if fault is not None:
            # What a listing does when items change while a client pages.
            chunk = [r for r in ordered if r["_seq"] <= after][-fault.overlap:] + chunk
            chunk.reverse()
        reports = [ctx.state.render(r, _root()) for r in chunk]
    return simkit.json_response({m.Envelope.REPORTS: reports,
                                 m.Envelope.NEXT_CURSOR: encode_cursor(next_seq),
                                 m.Envelope.HAS_MORE: len(fresh) > limit})


def get_report(id: str) -> Response:
    state = _ctx().state
    with state.lock:
        return simkit.json_response(state.render(_report(id), _root()))


@idempotent
def mark_read(id: str) -> Response:
    state = _ctx().state
    report = _report(id)
    if report["status"] == m.STATUS_UNREAD:
        state.set_status(report, m.STATUS_WAITING)
    state.applied["baca"] += 1
    return simkit.json_response(state.render(report, _root()))


@idempotent
def add_tanggapan(id: str) -> Response:
    state = _ctx().state
    report = _report(id)
    isi = (request.form.get(m.Form.ISI) or "").strip()
    status = request.form.get(m.Form.STATUS) or None
    photos = [(f.read(), f.mimetype or None, f.filename)
              for f in request.files.getlist(m.Form.FOTO) if f.filename]
    if not isi:
        raise ApiError(422, m.ErrorCode.VALIDATION, "isi wajib diisi.")
    if status is not None and status not in m.TANGGAPAN_STATUSES:
        raise ApiError(422, m.ErrorCode.VALIDATION,
                       f"status harus salah satu dari {', '.join(m.TANGGAPAN_STATUSES)}.")
    if not all(simkit.is_image(content) for content, _, _ in photos):
        raise ApiError(422, m.ErrorCode.INVALID_FOTO, "foto harus berupa gambar.")
    if status == m.STATUS_DONE and not photos:
        raise ApiError(422, m.ErrorCode.FOTO_REQUIRED,
                       "Tanggapan dengan status selesai wajib menyertakan foto.")
    urls = [state.store_file(*photo, origin="tanggapan") for photo in photos]
    tanggapan = state.add_tanggapan(report, m.OLEH_OPD, isi, urls, status)
    state.posted.append(tanggapan["id"])
    state.applied["tanggapan"] += 1
    return simkit.json_response({m.Envelope.ID: tanggapan["id"]}, 201)


def list_opd() -> Response:
    return simkit.json_response(data.OPD)


def serve_photo(name: str) -> Response:
    state = _ctx().state
    with state.lock:
        stored = state.files.get(name)
    if stored is None:
        return error_response(404, m.ErrorCode.NOT_FOUND, "Foto tidak ditemukan.")
    return Response(stored["content"], mimetype=stored["mime"])


# --- app and server -------------------------------------------------------------


def create_app(*, api_key: str = DEFAULT_API_KEY, seed_demo: bool = True,
               webhook_url: str | None = None, webhook_secret: str | None = None,
               idempotency_ttl: float = m.IDEMPOTENCY_TTL_SECONDS,
               stop: threading.Event | None = None) -> Flask:
    if bool(webhook_url) != bool(webhook_secret):
        raise ValueError("webhook_url and webhook_secret go together")
    app = Flask(__name__)
    app.json.sort_keys = False  # keep the field order of the API model
    stop = stop or threading.Event()
    state = RabegState(seed_demo, idempotency_ttl)
    webhooks = WebhookSender(webhook_url, webhook_secret) if webhook_url else None
    if webhooks is not None:
        state.notify = webhooks.notify
    ctx = Context(state, simfaults.FaultBook(), api_key, webhooks)
    app.extensions["rabeg_sim"] = ctx
    simfaults.install_faults(app, ctx.faults, error_response, stop)
    app.before_request(check_auth)

    def rule(path: str) -> str:
        return path.replace("{id}", "<id>")

    routes = [
        ("GET", m.Path.REPORTS, list_reports),
        ("GET", m.Path.REPORT, get_report),
        ("POST", m.Path.MARK_READ, mark_read),
        ("POST", m.Path.TANGGAPAN, add_tanggapan),
        ("GET", m.Path.OPD, list_opd),
    ]
    for method, path, view in routes:
        app.add_url_rule(rule(path), f"{method} {path}", view, methods=[method])
    app.add_url_rule(PHOTO_URL.replace("{name}", "<name>"), "photo", serve_photo)
    simulator_control.register(app, "rabeg_sim", error_response)
    simfaults.register_fault_routes(app, ctx.faults, error_response)
    app.register_error_handler(ApiError, lambda e: error_response(e.status, e.code, e.message))
    app.register_error_handler(HTTPException, lambda e: error_response(
        e.code or 500, e.name.lower().replace(" ", "_"), e.description or e.name))
    return app


def _close_webhooks(app: Flask) -> Callable[[], None]:
    def close() -> None:
        webhooks = app.extensions["rabeg_sim"].webhooks
        if webhooks is not None:
            webhooks.close()
    return close


def serve(port: int = 0, host: str = "127.0.0.1", *, quiet: bool = True,
          **options: Any) -> tuple[simkit.SimServer, str]:
    """Start in a daemon thread; returns the server (``.shutdown()``) and the base URL."""
    stop = threading.Event()
    app = create_app(stop=stop, **options)
    ctx: Context = app.extensions["rabeg_sim"]
    try:
        server = simkit.SimServer(app, host, port, "", stop, quiet)
    except Exception:
        _close_webhooks(app)()
        raise
    server.state, server.faults = ctx.state, ctx.faults
    server.on_shutdown(_close_webhooks(app))
    return server.start(), server.base_url


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Rabeg API simulator")
    simkit.add_common_arguments(parser)
    parser.add_argument("--api-key", default=DEFAULT_API_KEY)
    parser.add_argument("--webhook-url", help="portal endpoint, e.g. http://127.0.0.1:5000"
                                              + m.WEBHOOK_PATH)
    parser.add_argument("--webhook-secret", help="shared secret for X-Rabeg-Signature")
    args = parser.parse_args(argv)
    if bool(args.webhook_url) != bool(args.webhook_secret):
        parser.error("--webhook-url and --webhook-secret go together")
    stop = threading.Event()
    app = create_app(api_key=args.api_key, seed_demo=args.seed_demo,
                     webhook_url=args.webhook_url, webhook_secret=args.webhook_secret, stop=stop)
    server = simkit.SimServer(app, args.host, args.port, "", stop, args.quiet)
    server.on_shutdown(_close_webhooks(app))
    simkit.run_foreground(server, f"Rabeg simulator: {server.base_url} "
                                  f"(control: {server.root_url}{SIM_PREFIX}/state)")


if __name__ == "__main__":
    main()
