"""Which connectors are installed, and the settings each one runs with.

Settings come from `CONNECTORS = {"sp4n": {...}, ...}` in the instance
config; every key can also be set by an environment variable
`ADUAN_<NAME>_<KEY>` (e.g. ADUAN_SP4N_BASE_URL), which wins.  The worker has
no Flask app, so outside a request this reads `portal.settings.load()`.
"""
import os

from .. import current_settings as portal_settings
from .. import plugins
from .items import ConfigKey, ConnectorInfo

# Keys every connector has, whatever its own schema says.
COMMON_KEYS = {
    "enabled": ConfigKey(True, help="Matikan tanpa menghapus konfigurasinya."),
    "interval": ConfigKey(300, help="Detik antara dua kali tarik data."),
    "timeout": ConfigKey(10.0, help="Batas waktu satu permintaan HTTP, detik."),
}

# Engine settings, read from the top level of the settings.
ENGINE_DEFAULTS = {
    "SYNC_MAX_ATTEMPTS": 8,  # then the outbox row becomes a dead letter
    "SYNC_BACKOFF_BASE": 30.0,  # seconds before the first retry; doubles each time
    "SYNC_BACKOFF_CAP": 6 * 3600.0,
    "SYNC_DUPLICATE_DAYS": 3,
    "SYNC_HEALTH_TIMEOUT": 3.0,  # seconds per request of a check from the admin page
}


def current_settings() -> dict:
    """The running app's config, or the settings files when there is no app."""
    return portal_settings.all_settings()


def engine_setting(key: str, source=None):
    source = current_settings() if source is None else source
    return source.get(key, ENGINE_DEFAULTS[key])


def installed(pm=None) -> dict[str, ConnectorInfo]:
    """Every connector the plugins declare, by name."""
    pm = pm or plugins.manager()
    found: dict[str, ConnectorInfo] = {}
    for result in pm.hook.aduan_connector_info():
        for info in result if isinstance(result, (list, tuple)) else [result]:
            found.setdefault(info.name, info)
    return found


def _coerce(value: str, default):
    if isinstance(default, bool):
        return value.strip().lower() in ("1", "true", "yes", "ya", "on")
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


def resolve(info: ConnectorInfo, source=None) -> dict:
    """The connector's settings: schema defaults ← CONNECTORS[name] ← environment."""
    source = current_settings() if source is None else source
    raw = dict((source.get("CONNECTORS") or {}).get(info.name) or {})
    schema = {**COMMON_KEYS, **info.config_schema}
    from_env = False
    for key, spec in schema.items():
        env = f"ADUAN_{info.name.upper()}_{key.upper()}"
        if os.environ.get(env):
            raw[key] = _coerce(os.environ[env], spec.default)
            from_env = True
    config = {key: spec.default for key, spec in schema.items()}
    config.update(raw)
    # A connector nobody configured is installed but not running.
    config["configured"] = bool(raw) or from_env
    config["missing"] = [k for k, spec in schema.items() if spec.required and not config.get(k)]
    config["active"] = bool(config["configured"] and config["enabled"] and not config["missing"])
    return config


def public_view(info: ConnectorInfo, config: dict) -> dict:
    """The settings safe to show: secrets masked."""
    shown = {}
    for key, spec in {**COMMON_KEYS, **info.config_schema}.items():
        value = config.get(key)
        shown[key] = "••••" if spec.secret and value else value
    return shown


def active_connectors(source=None, pm=None) -> dict[str, tuple[ConnectorInfo, dict]]:
    result = {}
    for name, info in installed(pm).items():
        config = resolve(info, source)
        if config["active"]:
            result[name] = (info, config)
    return result
