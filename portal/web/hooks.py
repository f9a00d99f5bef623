"""Webhooks from remote systems.  Signed, not CSRF-protected: the caller is a
server, and the HMAC signature is what proves it."""
import logging

from flask import Blueprint, jsonify, request

from portal.sync import config as sync_config
from portal.web.errors import csrf

log = logging.getLogger("aduan.sync")

bp = Blueprint("hooks", __name__)
MAX_BODY = 64 * 1024  # a webhook is a few dozen bytes


def _answer(status: int, message: str = ""):
    if status == 204:
        return "", 204
    response = jsonify(error=message)
    response.status_code = status
    return response


@bp.post("/hooks/rabeg")
def rabeg():
    """Verify the signature in constant time, answer 204, pull that report."""
    from connectors.rabeg import mapping
    from connectors.rabeg.client import parse_webhook, verify_webhook

    from portal.sync.tasks import pull_task

    info = sync_config.installed().get(mapping.SOURCE)
    config = sync_config.resolve(info) if info else None
    if not config or not config["active"] or not config.get("webhook_secret"):
        return _answer(404, "webhook Rabeg tidak diaktifkan")
    if (request.content_length or 0) > MAX_BODY:
        return _answer(413, "badan permintaan terlalu besar")
    body = request.get_data(cache=False)
    if not verify_webhook(config["webhook_secret"], body,
                          request.headers.get(mapping.HEADER_SIGNATURE)):
        log.warning("Rabeg webhook with a bad signature from %s", request.remote_addr)
        return _answer(401, "tanda tangan tidak sah")
    try:
        _event, report_id = parse_webhook(body)
    except ValueError:
        return _answer(400, "isi webhook tidak dikenali")
    pull_task(mapping.SOURCE, report_id)
    return _answer(204)


csrf.exempt(bp)
