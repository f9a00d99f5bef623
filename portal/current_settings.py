"""Settings for code that runs both in the web app and in the Huey worker.

Inside a Flask app context the app's config wins (tests configure apps that
way); in the worker, the settings are loaded once from the instance folder.
"""
from functools import lru_cache
from zoneinfo import ZoneInfo

from . import settings


@lru_cache(maxsize=1)
def _worker_settings() -> dict:
    return settings.load()


def get(key: str, default=None):
    try:
        from flask import current_app, has_app_context
    except ImportError:  # pragma: no cover - Flask is always installed
        has_app_context = lambda: False  # noqa: E731
    if has_app_context():
        return current_app.config.get(key, default)
    return _worker_settings().get(key, default)


def local_tz() -> ZoneInfo:
    """The city's timezone: Asia/Jakarta (WIB) unless configured (WITA/WIT)."""
    return ZoneInfo(get("TIMEZONE") or "Asia/Jakarta")
