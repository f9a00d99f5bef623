"""SP4N-LAPOR! simulator: the modelled v3 integration API over HTTP on loopback.

    python -m connectors.sp4n.simulator --port 8701 [--host 127.0.0.1] [--no-demo]

From a test: ``server, base_url = serve(port=0)`` ... ``server.shutdown()``.
The API lives under ``/api/v3``; ``/_sim/...`` is the control API that adds
complaints and reporter replies, arms faults and shows what was posted.
"""

from __future__ import annotations

import argparse
import hmac
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import Flask, Response, current_app, request
from werkzeug.exceptions import HTTPException

from connectors.sp4n import mapping as m
from simulators import faults as simfaults, simkit
from simulators.simkit import SIM_PREFIX
from simulators.sp4n import control as simulator_control, data
from simulators.sp4n.state import Sp4nState

DEFAULT_ACCESS_TOKEN = "demo-sp4n-access-token"
DEFAULT_INSTITUTION_TOKEN = "demo-sp4n-institution-token"
DEFAULT_API_PREFIX = "/api/v3"
FILES_PREFIX = "/storage/"
CLOSED = (m.STATUS_DONE, m.STATUS_ARCHIVED, m.STATUS_REJECTED)


@dataclass
class Context:
    state: Sp4nState
    faults: simfaults.FaultBook
    access_token: str
    institution_token: str
    api_prefix: str


class Invalid(Exception):
    """A 422 with per-field messages, as SP4N answers validation failures."""

    def __init__(self, errors: dict[str, list[str]], message: str = "Data tidak valid."):
        super().__init__(message)
        self.errors = errors
        self.message = message


def _ctx() -> Context:
    return current_app.extensions["sp4n_sim"]


def _root() -> str:
    return request.host_url.rstrip("/")


def ok(results: Any, status: int = 200) -> Response:
    return simkit.json_response({m.Envelope.SUCCESS: True, m.Envelope.RESULTS: results}, status)


def error_response(status: int, code: str, message: str,
                   errors: dict[str, list[str]] | None = None) -> Response:
    body: dict[str, Any] = {m.Envelope.SUCCESS: False, m.Envelope.MESSAGE: message}
    if errors:
        body[m.Envelope.ERRORS] = errors
    return simkit.json_response(body, status)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _require(condition: bool, errors: dict[str, list[str]], name: str, message: str) -> None:
    if not condition:
        errors.setdefault(name, []).append(message)


# --- auth -----------------------------------------------------------------------


def check_auth() -> Response | None:
    """Both headers on every API call, compared in constant time."""
    ctx = _ctx()
    path = request.path
    if path.startswith(SIM_PREFIX) or path.startswith(FILES_PREFIX):
        return None
    given = (request.headers.get(m.HEADER_AUTHORIZATION, "").encode(),
             request.headers.get(m.HEADER_INSTITUTION_TOKEN, "").encode())
    wanted = (f"{m.AUTH_SCHEME} {ctx.access_token}".encode(), ctx.institution_token.encode())
    if all(hmac.compare_digest(g, w) for g, w in zip(given, wanted, strict=False)):
        return None
    return error_response(401, "unauthenticated", "Unauthenticated.")


# --- API: reading ---------------------------------------------------------------


def list_disposition() -> Response:
    ctx, args, errors = _ctx(), request.args, {}
    institution_id = _int(args.get(m.Query.INSTITUTION_ID))
    page = _int(args.get(m.Query.PAGE, 1))
    limit = _int(args.get(m.Query.LIMIT, m.MAX_PAGE_LIMIT))
    since = _parse_time(args.get(m.Query.UPDATED_SINCE))
    _require(institution_id is not None, errors, m.Query.INSTITUTION_ID, "Wajib diisi.")
    _require(page is not None and page >= 1, errors, m.Query.PAGE, "Minimal 1.")
    _require(limit is not None and 1 <= limit <= m.MAX_PAGE_LIMIT, errors, m.Query.LIMIT,
             f"Antara 1 dan {m.MAX_PAGE_LIMIT}.")
    _require(since is not None or not args.get(m.Query.UPDATED_SINCE), errors,
             m.Query.UPDATED_SINCE, "Format waktu ISO 8601 dengan zona waktu.")
    if errors:
        raise Invalid(errors)
    if institution_id != ctx.state.institution_id:
        return error_response(403, "forbidden", "Token tidak berlaku untuk institusi ini.")
    with ctx.state.lock:
        if page > 1:
            shift = ctx.faults.take(("shift_pages",), request.method, request.path)
            if shift is not None:
                ctx.state.touch_listed(institution_id, since, page - 1, limit, shift.overlap)
        items = sorted((c for c in ctx.state.complaints.values()
                        if c["_institution_id"] == institution_id
                        and (since is None or _parse_time(c["updated_at"]) >= since)),
                       key=lambda c: (_parse_time(c["updated_at"]), c["complaint_id"]))
        start = (page - 1) * limit
        chunk = items[start:start + limit]
        fault = ctx.faults.take(("repeat_reorder",), request.method, request.path)
        if fault is not None:
            # What a listing does when items change while a client pages.
            chunk = items[max(0, start - fault.overlap):start] + chunk
            chunk.reverse()
        rendered = [ctx.state.render(c, _root()) for c in chunk]
    next_page = page + 1 if start + limit < len(items) else None
    return ok({m.Envelope.DATA: rendered, m.Envelope.META: {
        m.Envelope.META_PAGE: page, m.Envelope.META_LIMIT: limit,
        m.Envelope.META_TOTAL: len(items), m.Envelope.META_NEXT_PAGE: next_page}})


def get_complaint(id: int) -> Response:
    state = _ctx().state
    with state.lock:
        complaint = _complaint(id)
        if complaint is None:
            return _not_found()
        return ok({m.Envelope.DATA: state.complaint_detail(complaint, _root())})


def list_followups(id: int) -> Response:
    state = _ctx().state
    with state.lock:
        if _complaint(id) is None:
            return _not_found()
        return ok({m.Envelope.DATA: state.render(state.followups[id], _root())})


def masters(items: list[dict[str, Any]]) -> Any:
    return lambda: ok({m.Envelope.DATA: items})


def serve_file(name: str) -> Response:
    state = _ctx().state
    file_id = _int(name.split(".", 1)[0])
    with state.lock:
        stored = state.files.get(file_id)
    if stored is None:
        return error_response(404, "not_found", "Berkas tidak ditemukan.")
    return Response(stored["content"], mimetype=stored["mime"])


def _complaint(complaint_id: int | None, ours_only: bool = False) -> dict[str, Any] | None:
    """The complaint, or None if unknown (or, with ours_only, forwarded away)."""
    state = _ctx().state
    complaint = state.complaints.get(complaint_id) if complaint_id is not None else None
    if complaint is None or (ours_only and complaint["_institution_id"] != state.institution_id):
        return None
    return complaint


def _not_found() -> Response:
    return error_response(404, "not_found", "Pengaduan tidak ditemukan.")


# --- API: writing ---------------------------------------------------------------


def add_followup() -> Response:
    state, form, errors = _ctx().state, request.form, {}
    content = (form.get(m.Form.CONTENT) or "").strip()
    template = form.get(m.Form.TEMPLATE_CODE)
    is_secret = form.get(m.Form.IS_SECRET, str(m.FLAG_FALSE))
    _require(bool(content), errors, m.Form.CONTENT, "Wajib diisi.")
    _require(_int(form.get(m.Form.INSTITUTION_FROM_ID)) == state.institution_id, errors,
             m.Form.INSTITUTION_FROM_ID, "Tidak sesuai dengan token institusi.")
    _require(not template or template in {t["code"] for t in data.TEMPLATES}, errors,
             m.Form.TEMPLATE_CODE, "Template tidak dikenal.")
    _require(is_secret in (str(m.FLAG_TRUE), str(m.FLAG_FALSE)), errors,
             m.Form.IS_SECRET, "Bernilai 0 atau 1.")
    uploads = _indexed_files(m.Form.ATTACHMENT_PATTERN)
    with state.lock:
        complaint = _complaint(_int(form.get(m.Form.COMPLAINT_ID)), ours_only=True)
        _require(complaint is not None, errors, m.Form.COMPLAINT_ID, "Pengaduan tidak ditemukan.")
        _require(complaint is None or complaint["status_code"] not in CLOSED, errors,
                 m.Form.COMPLAINT_ID, "Pengaduan sudah ditutup.")
        if errors:
            raise Invalid(errors)
        attachments = [state.store_file(*upload, origin="followup") for upload in uploads]
        followup = state.add_followup(
            complaint, m.AUTHOR_INSTITUTION, content, attachments=attachments,
            institution_to_id=_int(form.get(m.Form.INSTITUTION_TO_ID)),
            template_code=template, is_secret=is_secret == str(m.FLAG_TRUE))
        state.posted.append(followup["id"])
        state.applied["followup_add"] += 1
    return ok({m.Result.FOLLOWUP_ID: followup["id"]})


def reject(id: int) -> Response:
    state, body, errors = _ctx().state, _json_body(), {}
    target = next((i for i in data.EXTERNAL_INSTITUTIONS
                   if i["id"] == _int(body.get(m.Form.REASON))), None)
    description = str(body.get(m.Form.REASON_DESCRIPTION) or "").strip()
    _require(body.get(m.Form.IS_REQUEST) == m.FLAG_TRUE, errors, m.Form.IS_REQUEST, "Harus 1.")
    _require(body.get(m.Form.NOT_AUTHORITY) == m.FLAG_TRUE, errors, m.Form.NOT_AUTHORITY,
             "Harus 1.")
    _require(target is not None, errors, m.Form.REASON, "Institusi tujuan tidak dikenal.")
    _require(bool(description), errors, m.Form.REASON_DESCRIPTION, "Wajib diisi.")
    with state.lock:
        complaint = _complaint(id, ours_only=True)
        if complaint is None:
            return _not_found()
        if errors:
            raise Invalid(errors)
        state.forward(complaint, target, description)
        state.applied["reject"] += 1
    return ok({m.Result.COMPLAINT_ID: id})


def upload_complaint_files() -> Response:
    state = _ctx().state
    uploads = [_read(f) for f in request.files.getlist(m.Form.UPLOAD_FILES) if f.filename]
    if not uploads:
        raise Invalid({m.Form.UPLOAD_FILES: ["Berkas wajib diunggah."]})
    with state.lock:
        docs = [state.store_file(*upload, origin="complaint_file") for upload in uploads]
        for doc in docs:
            state.docs[doc["id"]] = doc
        state.applied["complaint_file"] += 1
    return ok({m.Result.DOCS: [{m.Result.DOC_ID: doc["id"]} for doc in docs]})


def create_complaint() -> Response:
    state, body, errors = _ctx().state, _json_body(), {}
    fields = _complaint_fields(body, errors)
    doc_ids = body.get(m.Form.ATTACHMENT_IDS) or []
    with state.lock:
        _require(isinstance(doc_ids, list) and all(d in state.docs for d in doc_ids), errors,
                 m.Form.ATTACHMENT_IDS, "Lampiran tidak dikenal.")
        if errors:
            raise Invalid(errors)
        complaint = state.add_complaint(**fields, status_code=m.STATUS_UNVERIFIED,
                                        attachments=[state.docs[d] for d in doc_ids])
        state.applied["complaint_create"] += 1
    return ok({m.Result.COMPLAINT_ID: complaint["complaint_id"],
               m.Result.TRACKING_ID: complaint["tracking_id"]})


def _complaint_fields(body: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    f = m.Form
    title, content = str(body.get(f.TITLE) or "").strip(), str(body.get(f.CONTENT) or "").strip()
    anonymous = bool(body.get(f.IS_ANONYMOUS))
    reporter = body.get(f.REPORTER) if isinstance(body.get(f.REPORTER), dict) else {}
    _require(bool(title), errors, f.TITLE, "Wajib diisi.")
    _require(bool(content), errors, f.CONTENT, "Wajib diisi.")
    _require(body.get(f.CLASSIFICATION_ID) in m.CLASSIFICATION_NAMES, errors,
             f.CLASSIFICATION_ID, "Klasifikasi tidak dikenal.")
    _require(body.get(f.CATEGORY_ID) in {c["id"] for c in data.CATEGORIES}, errors,
             f.CATEGORY_ID, "Kategori tidak dikenal.")
    _require(body.get(f.LOCATION_ID) == data.LOCATION["id"], errors, f.LOCATION_ID,
             "Lokasi di luar wilayah institusi.")
    _require(_parse_date(body.get(f.DATE_OF_INCIDENT)), errors, f.DATE_OF_INCIDENT,
             "Format tanggal YYYY-MM-DD.")
    _require(anonymous or bool(reporter.get(m.Field.REPORTER_NAME)), errors, f.REPORTER,
             "Nama pelapor wajib diisi kecuali anonim.")
    return {"title": title, "content": content, "classification_id": body.get(f.CLASSIFICATION_ID),
            "category_id": body.get(f.CATEGORY_ID), "address": None,
            "date_of_incident": body.get(f.DATE_OF_INCIDENT), "is_anonymous": anonymous,
            "is_secret": bool(body.get(f.IS_SECRET)), "reporter": reporter or None,
            "channel": str(body.get(f.CHANNEL) or "Website")}


def _indexed_files(pattern: str) -> list[tuple[bytes, str | None, str | None]]:
    """Files posted as ``attachment[0]``, ``attachment[1]``…, in index order."""
    found = []
    for key, storage in request.files.items(multi=True):
        match = re.match(pattern, key)
        if match and storage.filename:
            found.append((int(match.group(1)), _read(storage)))
    return [upload for _, upload in sorted(found, key=lambda item: item[0])]


def _read(storage: Any) -> tuple[bytes, str | None, str | None]:
    return storage.read(), storage.mimetype or None, storage.filename


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Invalid({"body": ["JSON object wajib."]}, "Body harus JSON.")
    return body


def _parse_time(value: str | None) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    return parsed if parsed is None or parsed.tzinfo else None


def _parse_date(value: Any) -> bool:
    try:
        date.fromisoformat(str(value))
        return True
    except ValueError:
        return False


# --- app and server -------------------------------------------------------------


def create_app(*, access_token: str = DEFAULT_ACCESS_TOKEN,
               institution_token: str = DEFAULT_INSTITUTION_TOKEN,
               institution_id: int = data.INSTITUTION_ID, seed_demo: bool = True,
               api_prefix: str = DEFAULT_API_PREFIX,
               stop: threading.Event | None = None) -> Flask:
    app = Flask(__name__)
    app.json.sort_keys = False  # keep the field order of the API model
    stop = stop or threading.Event()
    ctx = Context(Sp4nState(institution_id, seed_demo), simfaults.FaultBook(api_prefix),
                  access_token, institution_token, api_prefix)
    app.extensions["sp4n_sim"] = ctx
    simfaults.install_faults(app, ctx.faults, error_response, stop)
    app.before_request(check_auth)

    def rule(path: str) -> str:
        return api_prefix + path.replace("{id}", "<int:id>")

    routes = [
        ("GET", m.Path.DISPOSITION, list_disposition),
        ("GET", m.Path.COMPLAINT, get_complaint),
        ("GET", m.Path.FOLLOWUPS, list_followups),
        ("POST", m.Path.FOLLOWUP_ADD, add_followup),
        ("POST", m.Path.REJECT, reject),
        ("POST", m.Path.COMPLAINT_FILE, upload_complaint_files),
        ("POST", m.Path.COMPLAINT_CREATE, create_complaint),
        ("GET", m.Path.INSTITUTIONS, masters(data.EXTERNAL_INSTITUTIONS)),
        ("GET", m.Path.CATEGORIES, masters(data.CATEGORIES)),
        ("GET", m.Path.TEMPLATES, masters(data.TEMPLATES)),
    ]
    for method, path, view in routes:
        app.add_url_rule(rule(path), f"{method} {path}", view, methods=[method])
    app.add_url_rule(FILES_PREFIX + "lampiran/<name>", "file", serve_file)
    simulator_control.register(app, "sp4n_sim", error_response)
    simfaults.register_fault_routes(app, ctx.faults, error_response)
    app.register_error_handler(Invalid, lambda e: error_response(422, "invalid", e.message,
                                                                 e.errors))
    app.register_error_handler(HTTPException,
                               lambda e: error_response(e.code or 500, e.name, e.description))
    return app


def serve(port: int = 0, host: str = "127.0.0.1", *, quiet: bool = True,
          **options: Any) -> tuple[simkit.SimServer, str]:
    """Start in a daemon thread; returns the server (``.shutdown()``) and the API base URL."""
    stop = threading.Event()
    app = create_app(stop=stop, **options)
    ctx: Context = app.extensions["sp4n_sim"]
    server = simkit.SimServer(app, host, port, ctx.api_prefix, stop, quiet)
    server.state, server.faults = ctx.state, ctx.faults
    return server.start(), server.base_url


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="SP4N-LAPOR! API simulator")
    simkit.add_common_arguments(parser)
    parser.add_argument("--access-token", default=DEFAULT_ACCESS_TOKEN)
    parser.add_argument("--institution-token", default=DEFAULT_INSTITUTION_TOKEN)
    parser.add_argument("--institution-id", type=int, default=data.INSTITUTION_ID)
    parser.add_argument("--api-prefix", default=DEFAULT_API_PREFIX)
    args = parser.parse_args(argv)
    stop = threading.Event()
    app = create_app(access_token=args.access_token, institution_token=args.institution_token,
                     institution_id=args.institution_id, seed_demo=args.seed_demo,
                     api_prefix=args.api_prefix, stop=stop)
    server = simkit.SimServer(app, args.host, args.port, args.api_prefix, stop, args.quiet)
    simkit.run_foreground(server, f"SP4N simulator: {server.base_url} "
                                  f"(control: {server.root_url}{SIM_PREFIX}/state)")


if __name__ == "__main__":
    main()
