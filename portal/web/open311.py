"""Open311 GeoReport v2 under /open311/v2/, in .json and .xml.

Errors are the spec's error document (400, 403, 404), never an HTML page,
so a client can always parse the answer.  POST requests is in
`open311_post.py`; the documents are built by `portal.open311`.
"""
from datetime import datetime

from flask import Blueprint, current_app, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from portal import config
from portal.directory.models import Category
from portal.open311 import documents, requests as public
from portal.web.errors import csrf
from portal.web.open311_http import FORMATS, Open311Error, error_response, respond
from portal.web.open311_post import create_request

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
csrf.exempt(bp)  # API clients authenticate with api_key, not a session
CHANGESET = "2026-12-01T00:00:00Z"  # when these endpoints last changed


@bp.errorhandler(Open311Error)
def open311_error(exc):
    return error_response([documents.error(exc.code, exc.description)], exc.code)


@bp.errorhandler(HTTPException)
def http_error(exc):
    # A body too large (413) or a bad method reach the client in the same shape.
    return error_response([documents.error(exc.code, exc.description or exc.name)], exc.code)


def photo_url(filename: str) -> str:
    return url_for("citizen.photo", name=filename, _external=True)


@bp.get(f"/discovery.<{FORMATS}:fmt>")
def discovery(fmt):
    document = documents.discovery(url_for(".discovery", fmt=fmt, _external=True)
                                   .rsplit("/discovery", 1)[0],
                                   current_app.config.get("OPEN311_CONTACT")
                                   or current_app.config["CITY_NAME"], CHANGESET)
    return respond(fmt, "discovery", document, root="discovery")


@bp.get(f"/services.<{FORMATS}:fmt>")
def services(fmt):
    return respond(fmt, "services", public.services())


def _category(code: str) -> Category:
    category = Category.get_or_none(Category.id == int(code)) if code.isascii() and code.isdigit() else None
    if category is None:
        raise Open311Error(404, _("service_code %(code)s tidak ditemukan.", code=code[:40]))
    return category


@bp.get(f"/services/<code>.<{FORMATS}:fmt>")
def service_definition(code, fmt):
    category = _category(code)
    return respond(fmt, "service_definition", documents.service_definition(str(category.id)),
                   root="service_definition")


def _int_list(name: str) -> list[int]:
    raw = request.args.get(name, "")
    values = [part.strip() for part in raw.split(",") if part.strip()]
    if not all(v.isascii() and v.isdigit() and len(v) <= 12 for v in values):
        raise Open311Error(400, _("%(name)s harus berupa angka, dipisah koma.", name=name))
    return [int(v) for v in values]


def _datetime(name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, _("%(name)s harus berformat W3C, misalnya "
                                  "2026-02-02T09:00:00+07:00.", name=name)) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=config.local_tz())
    from portal.deadlines import sla

    return sla.to_utc_naive(moment)


def _positive(name: str, default: int, highest: int | None = None) -> int:
    raw = request.args.get(name, "")
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1 or (highest and int(raw) > highest) or len(raw) > 9:
        limit = f" (1–{highest})" if highest else ""
        raise Open311Error(400, _("%(name)s harus bilangan bulat positif%(limit)s.",
                                  name=name, limit=limit))
    return int(raw)


def _pagination() -> tuple[int, int]:
    return _positive("page", 1), _positive("page_size", public.MAX_ROWS, public.MAX_ROWS)


@bp.get(f"/requests.<{FORMATS}:fmt>")
def list_requests(fmt):
    statuses = [s.strip() for s in request.args.get("status", "").split(",") if s.strip()]
    if any(s not in (public.OPEN, public.CLOSED) for s in statuses):
        raise Open311Error(400, _("status harus open atau closed."))
    page, page_size = _pagination()
    query = public.Query(ids=_int_list("service_request_id"),
                         service_codes=_int_list("service_code"),
                         start=_datetime("start_date"), end=_datetime("end_date"),
                         statuses=statuses, page=page, page_size=page_size)
    if query.start and query.end and query.start > query.end:
        raise Open311Error(400, _("start_date harus sebelum end_date."))
    return respond(fmt, "requests", public.as_requests(public.find(query), photo_url))


@bp.get(f"/requests/<request_id>.<{FORMATS}:fmt>")
def one_request(request_id, fmt):
    complaint = public.one(int(request_id)) if request_id.isascii() and request_id.isdigit() and len(request_id) <= 12 \
        else None
    if complaint is None:
        raise Open311Error(404, _("service_request_id %(id)s tidak ditemukan.",
                                  id=request_id[:40]))
    return respond(fmt, "requests", public.as_requests([complaint], photo_url))


@bp.get(f"/tokens/<token>.<{FORMATS}:fmt>")
def token(token, fmt):
    complaint = public.by_token(token) if len(token) <= 64 else None
    if complaint is None:
        raise Open311Error(404, _("token tidak ditemukan."))
    return respond(fmt, "requests", [{"service_request_id": str(complaint.id), "token": token}])


@bp.get(f"/servicerequestupdates.<{FORMATS}:fmt>")
def updates(fmt):
    page, page_size = _pagination()
    return respond(fmt, "updates", public.updates(_datetime("start_date"), _datetime("end_date"),
                                                  page, page_size, photo_url))


bp.add_url_rule(f"/requests.<{FORMATS}:fmt>", view_func=create_request, methods=["POST"])


@bp.route("/<path:rest>", methods=["GET", "POST"])
def unknown(rest):
    raise Open311Error(404, _("Endpoint Open311 tidak dikenal."))

