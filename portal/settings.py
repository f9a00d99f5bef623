"""Settings shared by the web app, the Huey worker and scripts.

Read in this order, later wins: the defaults below, `instance/config.py`,
then environment variables.  The worker has no Flask app, so this module
must not import Flask.
"""
import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS = {
    "SECRET_KEY": None,
    "DATABASE_URL": None,  # None: SQLite file aduan.db in the instance folder
    "HUEY_URL": None,  # None: SqliteHuey file huey.db in the instance folder
    "UPLOAD_FOLDER": None,  # None: uploads/ in the instance folder
    "MAX_PHOTOS": 3,
    "MAX_PHOTO_BYTES": 10 * 1024 * 1024,
    "PHOTO_MAX_SIDE": 1600,
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
    "QUEUE_OPEN_GRACE_MINUTES": 30,
    # True when the instance is served over HTTPS: the session cookie is then
    # sent over HTTPS only.  Off by default so a plain-HTTP trial still logs in.
    "SESSION_COOKIE_SECURE": False,
}

# Environment variables that override a setting of the same name.
ENV_PREFIX = "ADUAN_"
ENV_PLAIN = ("DATABASE_URL", "HUEY_URL", "SECRET_KEY")


def instance_path() -> Path:
    """The instance folder: ADUAN_INSTANCE_PATH, else instance/ beside the package."""
    return Path(os.environ.get("ADUAN_INSTANCE_PATH") or PROJECT_ROOT / "instance")


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
                settings[key] = os.environ[name]
    settings.update(overrides or {})
    settings["INSTANCE_PATH"] = str(instance)
    settings["DATABASE_URL"] = settings["DATABASE_URL"] or f"sqlite:///{instance / 'aduan.db'}"
    settings["UPLOAD_FOLDER"] = settings["UPLOAD_FOLDER"] or str(instance / "uploads")
    return settings


def truthy(value) -> bool:
    """A boolean setting given as a Python value or as an environment string."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on", "ya")
    return bool(value)
