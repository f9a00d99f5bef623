"""Webhooks from remote systems: `/hooks/<connector>` for every connector.

Signed, not CSRF-protected: the caller is a server, and the connector's
verification (signature, replay window) is what proves it.  The body is read
with a cap before anything else, and every refusal is a short 4xx, never a
500: a remote that misbehaves gets told why, and polling still brings
whatever a lost or refused webhook announced.
"""
import logging

from flask import Blueprint, current_app, jsonify, request

from portal.clock import utcnow
from portal.sync import config as sync_config
from portal.sync.connector import WebhookRefused, WebhookRequest
from portal.sync.tasks import pull_task
from portal.web.errors import csrf

log = logging.getLogger("aduan.sync")

bp = Blueprint("hooks", __name__)


def _answer(status: int, message: str = ""):
    if status == 204:
        return "", 204
    response = jsonify(error=message)
    response.status_code = status
    return response


def _read_capped(limit: int) -> bytes | None:
    """The body, or None when it is longer than `limit`: never more is read,
    whatever Content-Length claims."""
    if (request.content_length or 0) > limit:
        return None
    body = request.stream.read(limit + 1)
    return None if len(body) > limit else body


@bp.post("/hooks/<name>")
def receive(name):
    """Verify with the connector, answer 204 fast, pull what it announced."""
    connector = sync_config.connector(name)
    config = sync_config.resolve(connector.info()) if connector else None
    if not (config and config["active"] and _enabled(connector, config)):
        return _answer(404, "webhook tidak dikenal atau tidak diaktifkan")
    body = _read_capped(int(current_app.config.get("WEBHOOK_MAX_BYTES", 256 * 1024)))
    if body is None:
        return _answer(413, "badan permintaan terlalu besar")
    hook = WebhookRequest(body=body, headers={k.lower(): v for k, v in request.headers.items()},
                          received_at=utcnow(), remote_addr=request.remote_addr,
                          query=request.args.to_dict())
    try:
        connector.verify_webhook(config, hook)
    except WebhookRefused as exc:
        log.warning("%s webhook refused from %s: %s", name, request.remote_addr, exc.message)
        return _answer(exc.status if exc.status in (401, 403) else 401, exc.message)
    except Exception:
        log.exception("%s webhook verification failed", name)
        return _answer(403, "webhook tidak dapat diverifikasi")
    try:
        external_ids = [str(i) for i in connector.parse_webhook(config, hook) or ()]
    except Exception as exc:  # ValueError from the connector, or its bug: the caller's 4xx
        log.warning("%s webhook not understood: %s", name, exc)
        return _answer(400, "isi webhook tidak dikenali")
    try:
        for external_id in external_ids:
            pull_task(name, external_id)
    except Exception:
        # The queue is down: the remote may retry, and polling brings it anyway.
        log.exception("%s webhook could not enqueue its pull", name)
        return _answer(503, "antrean tidak tersedia; coba lagi nanti")
    return _answer(204)


def _enabled(connector, config) -> bool:
    if not connector.accepts_webhooks:
        return False
    try:
        return bool(connector.webhook_enabled(config))
    except Exception:
        log.exception("%s: webhook_enabled failed", connector.name)
        return False


csrf.exempt(bp)
