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


def all_settings():
    """The running app's config, or (in the worker) the settings read once."""
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app.config
    return _worker_settings()


def get(key: str, default=None):
    return all_settings().get(key, default)


def local_tz() -> ZoneInfo:
    """The city's timezone: Asia/Jakarta (WIB) unless configured (WITA/WIT)."""
    return ZoneInfo(get("TIMEZONE") or "Asia/Jakarta")
