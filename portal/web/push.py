"""Web Push for staff: the service worker and the subscribe endpoints."""
from flask import Blueprint, current_app, jsonify, request, send_from_directory
from flask_babel import gettext as _

from portal.accounts import auth
from portal.notifications import webpush

bp = Blueprint("push", __name__, url_prefix="/staf")


@bp.get("/sw.js")
@auth.staff_required()
def service_worker():
    """Served from /staf/ so its scope covers the workspace, and never cached
    for long: a new version must reach phones."""
    response = send_from_directory(current_app.static_folder, "sw.js", max_age=0)
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    response.headers["Service-Worker-Allowed"] = "/staf/"
    return response


@bp.post("/push/langganan")
@auth.staff_required()
def subscribe():
    try:
        webpush.subscribe(auth.current_user(), request.get_json(silent=True))
    except webpush.InvalidSubscription:
        return jsonify(error=_("Data langganan notifikasi dari peramban tidak valid.")), 422
    return jsonify(ok=True), 201


@bp.post("/push/berhenti")
@auth.staff_required()
def unsubscribe():
    payload = request.get_json(silent=True) or {}
    removed = webpush.unsubscribe(auth.current_user(), str(payload.get("endpoint", ""))[:500])
    return jsonify(removed=removed)
