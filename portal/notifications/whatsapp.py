"""Built-in plugin: WhatsApp through the WhatsApp Business Cloud API.

Business-initiated messages must be approved templates, so every notice is
sent as one: the staff template for staff, the citizen template for
reporters who opted in, each with three body parameters (subject, text,
link).  The Graph API answers with a message id (wamid); its delivery
statuses (sent, delivered, read, failed) arrive later on the webhook in
`portal.web.whatsapp_hook` and are recorded on the notification by
`record_statuses`.  429 and 5xx answers are temporary (delivery retries);
other refusals are final.
"""
import hashlib
import hmac
import logging
import re
from datetime import datetime, timezone

import requests

from portal import config
from portal.notifications import service as notifications
from portal.notifications.service import Notification
from portal.plugins.hookspecs import hookimpl

log = logging.getLogger("aduan.whatsapp")

CHANNEL = "whatsapp"
# Statuses only move forward; "failed" may follow any of them.
STATUS_ORDER = {"sent": 1, "delivered": 2, "read": 3, "failed": 4}
MAX_PARAM = 1000


def configured() -> bool:
    return bool(config.get("WHATSAPP_TOKEN") and config.get("WHATSAPP_PHONE_NUMBER_ID"))


def wa_number(phone: str) -> str:
    """The Cloud API's `to`: digits with the country code (08... is Indonesian)."""
    digits = re.sub(r"\D", "", phone or "")
    return "62" + digits[1:] if digits.startswith("0") else digits


def param(text: str) -> str:
    """Template parameters may not hold new lines, tabs or 4+ spaces in a row."""
    text = re.sub(r"\s*[\r\n\t]+\s*", " · ", text or "").strip(" ·")
    return re.sub(r" {4,}", "   ", text)[:MAX_PARAM] or "-"


def template_payload(notification) -> dict:
    name = config.get("WHATSAPP_TEMPLATE_STAFF" if notification.user_id
                      else "WHATSAPP_TEMPLATE_CITIZEN")
    values = [notification.subject, notification.body, notification.link or "-"]
    return {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": wa_number(notification.recipient),
        "type": "template",
        # Echoed in the status webhooks: a status can arrive before the
        # answer carrying the wamid has been stored.
        "biz_opaque_callback_data": notification.key[:512],
        "template": {
            "name": name,
            "language": {"code": config.get("WHATSAPP_TEMPLATE_LANGUAGE") or "id"},
            "components": [{"type": "body",
                            "parameters": [{"type": "text", "text": param(v)} for v in values]}],
        },
    }


def send(notification, session=None) -> str:
    """Post the template message; the wamid.  Raises on failure."""
    url = (f"{config.get('WHATSAPP_API_BASE').rstrip('/')}/"
           f"{config.get('WHATSAPP_PHONE_NUMBER_ID')}/messages")
    http = session or requests
    response = http.post(url, json=template_payload(notification),
                         headers={"Authorization": f"Bearer {config.get('WHATSAPP_TOKEN')}"},
                         timeout=float(config.get("WHATSAPP_TIMEOUT") or 10))
    if response.status_code == 429 or response.status_code >= 500:
        raise RuntimeError(f"WhatsApp API answered {response.status_code}; retried later")
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    if response.status_code >= 400:
        error = answer.get("error", {}) if isinstance(answer, dict) else {}
        raise notifications.Rejected(
            f"WhatsApp API {response.status_code}: {error.get('code')} {error.get('message')}")
    try:
        return answer["messages"][0]["id"]
    except (KeyError, IndexError, TypeError):
        raise RuntimeError("WhatsApp API answer without a message id") from None


@hookimpl
def aduan_notify(notification):
    if notification.channel != CHANNEL:
        return None
    if not configured():
        log.warning("WhatsApp is not configured: %s not sent", notification.key)
        return None
    if not notification.address:
        raise notifications.Rejected("no WhatsApp number")
    message_id = send(notification)
    Notification.update(provider_id=message_id).where(Notification.id == notification.id).execute()
    (Notification.update(provider_status="accepted")
     .where((Notification.id == notification.id) & Notification.provider_status.is_null())
     .execute())  # unless the webhook was quicker
    return True


# --- The status webhook ---------------------------------------------------------

def signature_ok(body: bytes, header: str | None) -> bool:
    """X-Hub-Signature-256: "sha256=" + HMAC-SHA256 of the raw body with the app secret."""
    secret = config.get("WHATSAPP_APP_SECRET")
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header.removeprefix("sha256="))


def statuses(payload) -> list[dict]:
    """The status objects of a webhook payload (messages from users are ignored)."""
    found = []
    if not isinstance(payload, dict):
        raise ValueError("not an object")
    for entry in payload.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value") or {}
            for status in value.get("statuses") or []:
                if isinstance(status, dict) and status.get("id") and status.get("status"):
                    found.append(status)
    return found


def record_statuses(payload) -> int:
    """Record each status on its notification; how many rows changed."""
    changed = 0
    for status in statuses(payload):
        name = str(status["status"])
        if name not in STATUS_ORDER:
            continue
        try:
            moment = datetime.fromtimestamp(int(status.get("timestamp")), timezone.utc)
        except (TypeError, ValueError, OverflowError, OSError):
            moment = datetime.now(timezone.utc)
        row = Notification.get_or_none(Notification.provider_id == str(status["id"])[:128])
        if row is None and status.get("biz_opaque_callback_data"):
            row = Notification.get_or_none(
                Notification.key == str(status["biz_opaque_callback_data"])[:255])
        if row is None or row.channel != CHANNEL:
            continue
        if STATUS_ORDER.get(row.provider_status or "", 0) >= STATUS_ORDER[name]:
            continue  # webhooks arrive out of order; a later status stands
        fields = {"provider_status": name, "provider_status_at": moment.replace(tzinfo=None),
                  "provider_id": str(status["id"])[:128]}
        if name == "failed":
            fields["state"] = notifications.FAILED
            errors = status.get("errors") or []
            log.error("WhatsApp message %s failed: %s", row.key, errors[:1])
        changed += Notification.update(**fields).where(Notification.id == row.id).execute()
    return changed
