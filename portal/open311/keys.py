"""API keys for Open311 POST.  A key is shown once when created and stored
only as its SHA-256: the keys are 256 random bits, so a slow password hash
would add nothing but latency to every request."""
import hashlib
import secrets

from peewee import CharField, DateTimeField

from portal import clock
from portal.db import BaseModel

PREFIX = "o311_"


class ApiKey(BaseModel):
    name = CharField(max_length=100, unique=True)
    key_hash = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=clock.utcnow)
    revoked_at = DateTimeField(null=True)
    last_used_at = DateTimeField(null=True)

    class Meta:
        table_name = "open311_key"


class KeyError_(ValueError):
    """A key cannot be created or revoked; the message is for the admin."""


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(name: str) -> tuple[ApiKey, str]:
    """Issue a key for `name`; returns the row and the key (never stored)."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise KeyError_("nama kunci wajib diisi, paling banyak 100 karakter")
    if ApiKey.select().where(ApiKey.name == name).exists():
        raise KeyError_(f"kunci bernama {name!r} sudah ada")
    key = PREFIX + secrets.token_urlsafe(32)
    return ApiKey.create(name=name, key_hash=_digest(key)), key


def verify(key: str | None) -> ApiKey | None:
    """The active key row for `key`, or None."""
    if not key or len(key) > 200:
        return None
    row = ApiKey.get_or_none((ApiKey.key_hash == _digest(key)) & ApiKey.revoked_at.is_null())
    if row is not None:
        ApiKey.update(last_used_at=clock.utcnow()).where(ApiKey.id == row.id).execute()
    return row


def revoke(name: str) -> bool:
    return bool(ApiKey.update(revoked_at=clock.utcnow())
                .where((ApiKey.name == name) & ApiKey.revoked_at.is_null()).execute())
