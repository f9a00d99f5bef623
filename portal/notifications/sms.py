"""Built-in plugin: SMS through a generic HTTP gateway.

Indonesian SMS gateways differ only in field names, encoding and the auth
header, so all three are settings: SMS_GATEWAY_URL, SMS_FORMAT ("form" or
"json"), SMS_FIELD_TO, SMS_FIELD_TEXT, SMS_EXTRA_FIELDS (sender id and the
like), SMS_AUTH_HEADER and SMS_AUTH_VALUE.  A 2xx answer is delivery; 429
and 5xx are retried later; any other answer is final.
"""
import logging

import requests

from portal import config
from portal.notifications import service as notifications
from portal.plugins.hookspecs import hookimpl

log = logging.getLogger("aduan.sms")

CHANNEL = "sms"
MAX_TEXT = 459  # three concatenated GSM-7 parts


def text_of(notification) -> str:
    text = notification.subject
    if notification.link:
        text = f"{text} {notification.link}"
    return text[:MAX_TEXT]


def request_of(notification) -> dict:
    """The keyword arguments of the gateway POST."""
    fields = {**(config.get("SMS_EXTRA_FIELDS") or {}),
              config.get("SMS_FIELD_TO"): notification.recipient,
              config.get("SMS_FIELD_TEXT"): text_of(notification)}
    headers = {}
    if config.get("SMS_AUTH_VALUE"):
        headers[config.get("SMS_AUTH_HEADER") or "Authorization"] = config.get("SMS_AUTH_VALUE")
    body = {"json": fields} if config.get("SMS_FORMAT") == "json" else {"data": fields}
    return {"headers": headers, "timeout": float(config.get("SMS_TIMEOUT") or 10), **body}


@hookimpl
def aduan_notify(notification):
    if notification.channel != CHANNEL:
        return None
    url = config.get("SMS_GATEWAY_URL")
    if not url:
        return None  # the list keeps it; the log says no plugin delivers sms
    if not notification.recipient:
        raise notifications.Rejected("no phone number")
    response = requests.post(url, **request_of(notification))
    if response.status_code == 429 or response.status_code >= 500:
        raise RuntimeError(f"SMS gateway answered {response.status_code}; retried later")
    if response.status_code >= 300:
        raise notifications.Rejected(f"SMS gateway {response.status_code}: "
                                     f"{response.text[:200]}")
    return True
