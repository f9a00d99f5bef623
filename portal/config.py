"""Settings shared by the web app, the Huey worker and scripts.

Read in this order, later wins: `DEFAULTS` below, `instance/config.py`, then
environment variables (`ADUAN_<KEY>`; `DATABASE_URL`, `HUEY_URL` and
`SECRET_KEY` also as they are).  Every environment value is coerced to the
type of its default, so `ADUAN_MAX_PHOTOS=5` is the integer 5 and a bad value
stops the start with a message naming the variable, instead of failing later
inside a request.  The worker has no Flask app, so this module imports no
Flask at import time.
"""
import json
import os
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS = {
    "SECRET_KEY": None,
    "DATABASE_URL": None,  # None: SQLite file aduan.db in the instance folder
    "HUEY_URL": None,  # None: SqliteHuey file huey.db in the instance folder
    "UPLOAD_FOLDER": None,  # None: uploads/ in the instance folder
    "MAX_PHOTOS": 3,
    "MAX_PHOTO_BYTES": 10 * 1024 * 1024,
    "PHOTO_MAX_SIDE": 1600,
    # Width x height read from the file header before any decoding: 24 MP
    # takes a 16 MP phone photo (and a 20 MP one) but refuses pixel bombs
    # such as an 85 KB PNG of 89,000 x 1,000 that would take 356 MB decoded.
    "MAX_PHOTO_PIXELS": 24_000_000,
    "DATABASE_POOL_MAX": 32,  # connections per process; more requests wait for one
    "TIMEZONE": "Asia/Jakarta",
    "CITY_NAME": "Kota Serang",
    "BABEL_DEFAULT_LOCALE": "id",
    "LANGUAGES": ["id", "en"],
    "CONNECTORS": {},
    "PASSWORD_PROFILE": "RFC_9106_LOW_MEMORY",  # an argon2.profiles name
    # Deadlines and notifications.
    "BASE_URL": "http://127.0.0.1:5000",  # for links in emails
    "MAIL_SERVER": None,  # None: no email is sent (logged)
    "MAIL_PORT": 25,
    "MAIL_USE_TLS": False,  # STARTTLS
    "MAIL_USE_SSL": False,  # SMTP over TLS from the first byte
    "MAIL_USERNAME": None,
    "MAIL_PASSWORD": None,
    "MAIL_FROM": "aduan@localhost",
    "MAIL_TIMEOUT": 10,
    "NOTIFY_LEASE_SECONDS": 300,  # a delivery claimed longer ago is retried
    # WhatsApp Business Cloud API (portal.notifications.whatsapp); without a
    # token and phone-number id the channel is not offered.
    "WHATSAPP_TOKEN": None,
    "WHATSAPP_PHONE_NUMBER_ID": None,
    "WHATSAPP_API_BASE": "https://graph.facebook.com/v20.0",
    "WHATSAPP_APP_SECRET": None,  # verifies the status webhook (X-Hub-Signature-256)
    "WHATSAPP_VERIFY_TOKEN": None,  # the webhook subscription handshake
    "WHATSAPP_TEMPLATE_STAFF": "aduan_serah_terima",  # body {{1}} subject {{2}} text {{3}} link
    "WHATSAPP_TEMPLATE_CITIZEN": "aduan_status",  # the same three parameters
    "WHATSAPP_TEMPLATE_LANGUAGE": "id",
    "WHATSAPP_TIMEOUT": 10.0,
    # A generic HTTP SMS gateway (portal.notifications.sms); off without a URL.
    "SMS_GATEWAY_URL": None,
    "SMS_FORMAT": "form",  # "form" (urlencoded) or "json"
    "SMS_FIELD_TO": "to",
    "SMS_FIELD_TEXT": "message",
    "SMS_EXTRA_FIELDS": {},  # e.g. {"sender": "PEMKOT"}
    "SMS_AUTH_HEADER": "Authorization",
    "SMS_AUTH_VALUE": None,  # e.g. "Bearer ..." or an API key
    "SMS_TIMEOUT": 10.0,
    # Web Push for staff (portal.notifications.webpush): VAPID keys, base64url.
    "VAPID_PUBLIC_KEY": None,
    "VAPID_PRIVATE_KEY": None,
    "VAPID_SUBJECT": "mailto:aduan@localhost",
    "QUEUE_OPEN_GRACE_MINUTES": 30,
    # Rendered queue pages each web process keeps, by their ETag (0: none).
    "QUEUE_RENDER_CACHE": 256,
    # Rendered tracking pages each web process keeps, by complaint version (0: none).
    "TRACKING_RENDER_CACHE": 1024,
    # True when the instance is served over HTTPS: the session cookie is then
    # sent over HTTPS only.  Off by default so a plain-HTTP trial still logs in.
    "SESSION_COOKIE_SECURE": False,
    # The sync engine (portal.sync).
    "SYNC_MAX_ATTEMPTS": 8,  # then the outbox row becomes a dead letter
    "SYNC_BACKOFF_BASE": 30.0,  # seconds before the first retry; doubles each time
    "SYNC_BACKOFF_CAP": 6 * 3600.0,
    "SYNC_DUPLICATE_DAYS": 3,
    "SYNC_DUPLICATE_CANDIDATES": 50,  # complaints compared with each arrival, at most
    "SYNC_HEALTH_TIMEOUT": 3.0,  # seconds per request of a check from the admin page
    "WEBHOOK_MAX_BYTES": 256 * 1024,  # /hooks/<connector> reads no more before verifying
    "SYNC_LOCK_LEASE": 120.0,  # seconds a crashed worker's pull lock outlives it
    "SYNC_CLAIM_LEASE": 300.0,  # seconds before a claimed outbox row may be taken again
    "SYNC_STALL_INTERVALS": 3,  # no complete pass within this many intervals: "macet"
    # Logging: a level name for the "aduan" loggers.
    "LOG_LEVEL": "INFO",
    # Security (deploy/README.md).  How many reverse proxies in front of the
    # app set X-Forwarded-For/-Proto: 0 when clients connect directly, 1
    # behind one nginx.  Too low and every client shares the proxy's address
    # (one lockout for all); too high and clients can forge their address.
    "TRUSTED_PROXIES": 0,
    "PASSWORD_HASH_CONCURRENCY": 2,  # argon2 checks at once per process (64 MiB each)
    "LOGIN_DELAY_CAP_SECONDS": 60,  # the longest wait an account's failures impose
    "LOGIN_ADDRESS_FAILURES": 50,  # failed logins per address per 15 minutes
    # Citizen submissions (Flask-Limiter syntax).  Generous: a city office
    # or a campus may send everyone through one address.
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": None,  # None: HUEY_URL when it is redis://, else memory
    "SUBMIT_LIMIT_PER_ADDRESS": "60 per hour;20 per minute",
    "SUBMIT_LIMIT_PER_CONTACT": "10 per hour",
}

# Environment variables that override a setting of the same name.
ENV_PREFIX = "ADUAN_"
ENV_PLAIN = ("DATABASE_URL", "HUEY_URL", "SECRET_KEY", "RATELIMIT_STORAGE_URI")

_TRUE = ("1", "true", "yes", "ya", "on")
_FALSE = ("0", "false", "no", "tidak", "off", "")


class ConfigError(ValueError):
    """A setting has a value of the wrong kind; the message names it."""


def instance_path() -> Path:
    """The instance folder: ADUAN_INSTANCE_PATH, else instance/ beside the package."""
    return Path(os.environ.get("ADUAN_INSTANCE_PATH") or PROJECT_ROOT / "instance")


def coerce(name: str, value, default):
    """`value` (often an environment string) as the type of `default`.

    None defaults take strings as they are.  Lists and dicts are JSON.
    Raises ConfigError naming `name` for a value that is not of that type.
    """
    if not isinstance(value, str) or default is None or isinstance(default, str):
        return value
    text = value.strip()
    try:
        if isinstance(default, bool):
            if text.lower() in _TRUE:
                return True
            if text.lower() in _FALSE:
                return False
            raise ValueError(text)
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        if isinstance(default, (list, dict)):
            parsed = json.loads(text)
            if not isinstance(parsed, type(default)):
                raise ValueError(text)
            return parsed
    except ValueError:
        kind = type(default).__name__
        raise ConfigError(f"{name}={value!r}: expected {kind} (like {default!r})") from None
    return value


def load(instance: Path | None = None, overrides: dict | None = None) -> dict:
    instance = Path(instance or instance_path())
    settings = dict(DEFAULTS)
    config_file = instance / "config.py"
    if config_file.exists():
        namespace: dict = {"__file__": str(config_file)}
        exec(compile(config_file.read_text(), str(config_file), "exec"), namespace)
        settings.update({k: v for k, v in namespace.items() if k.isupper()})
    for key in list(settings):
        for name in (ENV_PREFIX + key, key if key in ENV_PLAIN else None):
            if name and os.environ.get(name):
                settings[key] = coerce(name, os.environ[name], DEFAULTS.get(key))
    settings.update(overrides or {})
    settings["INSTANCE_PATH"] = str(instance)
    settings["DATABASE_URL"] = settings["DATABASE_URL"] or f"sqlite:///{instance / 'aduan.db'}"
    settings["UPLOAD_FOLDER"] = settings["UPLOAD_FOLDER"] or str(instance / "uploads")
    return settings


# Example values published in this repository or in Flask's documentation.
KNOWN_SECRET_KEYS = {"dev", "development", "secret", "secret-key", "changeme", "change-me",
                     "test-secret", "your-secret-key", "supersecret"}


def weak_secret(key) -> bool:
    """Missing, a known example value, or too short to resist guessing."""
    if not key:
        return True
    text = key.decode("latin-1") if isinstance(key, bytes) else str(key)
    return (text.strip().lower() in KNOWN_SECRET_KEYS or text.lower().startswith("change-me")
            or len(text) < 16)


def flag(value) -> bool:
    """A boolean setting given as a Python value or as a string."""
    if isinstance(value, str):
        return coerce("flag", value, False)
    return bool(value)


# --- Reading settings at run time ------------------------------------------
# Inside a Flask app context the app's config wins (tests configure apps that
# way); in the worker, the settings are loaded once from the instance folder.

@lru_cache(maxsize=1)
def _worker_settings() -> dict:
    return load()


def all_settings():
    """The running app's config, or (in the worker) the settings read once."""
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app.config
    return _worker_settings()


def get(key: str, default=None):
    return all_settings().get(key, DEFAULTS.get(key) if default is None else default)


def local_tz() -> ZoneInfo:
    """The city's timezone: Asia/Jakarta (WIB) unless configured (WITA/WIT)."""
    return ZoneInfo(get("TIMEZONE") or "Asia/Jakarta")
