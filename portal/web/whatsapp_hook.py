"""The WhatsApp Cloud API webhook: the subscription handshake (GET) and
delivery statuses (POST, signed with the app secret)."""
import hmac
import json
import logging

from flask import Blueprint, jsonify, request

from portal import config
from portal.notifications import whatsapp
from portal.web.errors import csrf

log = logging.getLogger("aduan.whatsapp")

bp = Blueprint("whatsapp_hook", __name__)
MAX_BODY = 256 * 1024  # Meta batches statuses; still only a few KB


def _error(status, message):
    response = jsonify(error=message)
    response.status_code = status
    return response


@bp.get("/hooks/whatsapp")
def verify():
    """Meta's handshake: echo hub.challenge when hub.verify_token matches."""
    token = config.get("WHATSAPP_VERIFY_TOKEN")
    given = request.args.get("hub.verify_token", "")
    if (request.args.get("hub.mode") != "subscribe" or not token
            or not hmac.compare_digest(given.encode(), str(token).encode())):
        return _error(403, "token verifikasi tidak cocok")
    return request.args.get("hub.challenge", ""), 200, {"Content-Type": "text/plain"}


@bp.post("/hooks/whatsapp")
def statuses():
    if not config.get("WHATSAPP_APP_SECRET"):
        return _error(404, "webhook WhatsApp tidak diaktifkan")
    if (request.content_length or 0) > MAX_BODY:
        return _error(413, "badan permintaan terlalu besar")
    body = request.get_data(cache=False)
    if not whatsapp.signature_ok(body, request.headers.get("X-Hub-Signature-256")):
        log.warning("WhatsApp webhook with a bad signature from %s", request.remote_addr)
        return _error(401, "tanda tangan tidak sah")
    try:
        whatsapp.record_statuses(json.loads(body))
    except ValueError:
        return _error(400, "isi webhook tidak dikenali")
    return "", 200


csrf.exempt(bp)
