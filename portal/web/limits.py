"""Rate limits on what anyone may send without logging in (Flask-Limiter).

Submissions are limited per client address and per reporter contact.  The
defaults are generous (config.DEFAULTS): a city office, a school or a
mobile carrier's NAT may put hundreds of honest citizens behind one
address.  Counters live in Redis when one is configured, so every web
process and host counts together; otherwise in the process's memory.
"""
import hashlib
import re

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from portal import contact

limiter = Limiter(key_func=get_remote_address)

_NOT_CONTACT = re.compile(r"[\s()-]")


def storage_uri(config) -> str:
    """RATELIMIT_STORAGE_URI, else the queue's Redis, else memory."""
    if config.get("RATELIMIT_STORAGE_URI"):
        return config["RATELIMIT_STORAGE_URI"]
    huey = config.get("HUEY_URL") or ""
    if huey.startswith(("redis://", "rediss://", "unix://")):
        return huey
    return "memory://"


def contact_key() -> str:
    """The reporter's contact, normalised as it is stored and folded so that
    spacing and case do not make a new key ("0812-3456 7890" is "+6281234567890")."""
    typed = contact.normalize_loosely((request.form.get("kontak") or "")[:200])
    return _NOT_CONTACT.sub("", typed.lower())[:200]


def _hashed_contact() -> str:
    # Hashed: the counter store (Redis) need not hold citizens' contacts.
    return "kontak:" + hashlib.sha256(contact_key().encode()).hexdigest()[:32]


def per_address():
    return current_app.config["SUBMIT_LIMIT_PER_ADDRESS"]


def per_contact():
    return current_app.config["SUBMIT_LIMIT_PER_CONTACT"]


def submission_limits(view):
    """Both limits on the citizen's submit view; an empty contact is only
    counted per address."""
    view = limiter.limit(per_contact, key_func=_hashed_contact,
                         exempt_when=lambda: not contact_key(), scope="lapor-kontak")(view)
    return limiter.limit(per_address, scope="lapor-alamat")(view)


def init_app(app):
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "aduan")
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)  # Retry-After on a 429
    # Redis down must not stop citizens from reporting: count in memory meanwhile.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    limiter.init_app(app)
