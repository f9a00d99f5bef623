"""Built-in plugin: Web Push to the phones where staff installed the workspace.

Each browser that subscribes (`/staf/push/langganan`, from the settings
page) is one row.  A notice goes to every browser of its user, encrypted
for that browser (aes128gcm) and signed with the city's VAPID key
(VAPID_PRIVATE_KEY / VAPID_PUBLIC_KEY in the instance config; `flask
vapid-keys` makes a pair).  The push service answers 404/410 for a browser
that unsubscribed: its row is removed.  429 and 5xx are retried later.
"""
import base64
import json
import logging
from urllib.parse import urlsplit

from peewee import CharField, DateTimeField, ForeignKeyField

from portal import clock, config
from portal.accounts.models import User
from portal.db import BaseModel
from portal.notifications import service as notifications
from portal.plugins.hookspecs import hookimpl

log = logging.getLogger("aduan.webpush")

CHANNEL = "webpush"
TTL = 24 * 3600  # a phone that is off for a day still gets it when it wakes


class PushSubscription(BaseModel):
    user = ForeignKeyField(User, backref="push_subscriptions", on_delete="CASCADE")
    endpoint = CharField(max_length=500, unique=True)
    p256dh = CharField(max_length=200)
    auth = CharField(max_length=64)
    created_at = DateTimeField(default=clock.utcnow)

    class Meta:
        table_name = "push_subscription"


class InvalidSubscription(ValueError):
    """What the browser sent is not a push subscription."""


def _b64(value: str, size: int | None = None) -> str:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, TypeError):
        raise InvalidSubscription("bad base64") from None
    if size and len(raw) != size:
        raise InvalidSubscription("bad key size")
    return value


def subscribe(user: User, payload) -> PushSubscription:
    """Store (or move to `user`) the browser subscription in `payload` (PushSubscription.toJSON())."""
    if not isinstance(payload, dict):
        raise InvalidSubscription("not an object")
    endpoint = str(payload.get("endpoint") or "")
    keys = payload.get("keys") if isinstance(payload.get("keys"), dict) else {}
    if urlsplit(endpoint).scheme not in ("https", "http") or not 10 < len(endpoint) <= 500:
        raise InvalidSubscription("bad endpoint")
    p256dh = _b64(str(keys.get("p256dh") or ""), 65)  # an uncompressed P-256 point
    auth = _b64(str(keys.get("auth") or ""), 16)
    values = {PushSubscription.user: user.id, PushSubscription.p256dh: p256dh,
              PushSubscription.auth: auth}
    (PushSubscription.insert({**values, PushSubscription.endpoint: endpoint,
                              PushSubscription.created_at: clock.utcnow()})
     .on_conflict(conflict_target=[PushSubscription.endpoint], update=values).execute())
    return PushSubscription.get(PushSubscription.endpoint == endpoint)


def unsubscribe(user: User, endpoint: str) -> int:
    return PushSubscription.delete().where((PushSubscription.user == user)
                                           & (PushSubscription.endpoint == endpoint)).execute()


def payload_of(notification) -> str:
    return json.dumps({"title": notification.subject, "body": notification.body[:300],
                       "url": notification.link or "/staf/notifikasi",
                       "tag": notification.key[:64]})


def _claims(endpoint: str) -> dict:
    parts = urlsplit(endpoint)
    return {"sub": config.get("VAPID_SUBJECT") or "mailto:aduan@localhost",
            "aud": f"{parts.scheme}://{parts.netloc}"}


def push(subscription: PushSubscription, data: str) -> int:
    """Send one encrypted message; the push service's HTTP status."""
    from pywebpush import WebPushException, webpush

    try:
        response = webpush({"endpoint": subscription.endpoint,
                            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}},
                           data, vapid_private_key=config.get("VAPID_PRIVATE_KEY"),
                           vapid_claims=_claims(subscription.endpoint), ttl=TTL, timeout=10)
    except WebPushException as exc:
        if exc.response is None:
            raise
        return exc.response.status_code
    return response.status_code


@hookimpl
def aduan_notify(notification):
    if notification.channel != CHANNEL:
        return None
    if not (config.get("VAPID_PRIVATE_KEY") and config.get("VAPID_PUBLIC_KEY")):
        log.warning("VAPID keys are not set: web push %s not sent", notification.key)
        return None
    browsers = list(PushSubscription.select().where(
        PushSubscription.user == notification.user_id))
    if not browsers:
        raise notifications.Rejected("no browser subscribed to web push")
    data, delivered, retry = payload_of(notification), 0, False
    for browser in browsers:
        status = push(browser, data)
        if status in (404, 410):  # the browser unsubscribed or the endpoint expired
            browser.delete_instance()
        elif status == 429 or status >= 500:
            retry = True
        elif status < 300:
            delivered += 1
        else:
            log.error("push service refused %s (%d)", notification.key, status)
    if delivered:
        return True
    if retry:
        raise RuntimeError("push service busy; retried later")
    raise notifications.Rejected("every subscribed browser refused or is gone")


def generate_keys() -> tuple[str, str]:
    """(public, private) VAPID keys, base64url: the browser's applicationServerKey
    is the uncompressed public point; pywebpush takes the raw private scalar."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962,
                                           serialization.PublicFormat.UncompressedPoint)
    private = key.private_numbers().private_value.to_bytes(32, "big")
    encode = lambda raw: base64.urlsafe_b64encode(raw).rstrip(b"=").decode()  # noqa: E731
    return encode(public), encode(private)
