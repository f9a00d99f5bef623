"""Which connectors are installed, and the settings each one runs with.

Settings come from `CONNECTORS = {"sp4n": {...}, ...}` in the instance
config; every key can also be set by an environment variable
`ADUAN_<NAME>_<KEY>` (e.g. ADUAN_SP4N_BASE_URL), which wins.  The worker has
no Flask app, so outside a request this reads `portal.config.load()`.
"""
import os

from portal import config as portal_config
from portal.plugins import manager as plugins
from portal.sync.items import ConfigKey, ConnectorInfo

# Keys every connector has, whatever its own schema says.
COMMON_KEYS = {
    "enabled": ConfigKey(True, help="Matikan tanpa menghapus konfigurasinya."),
    "interval": ConfigKey(300, help="Detik antara dua kali tarik data."),
    "timeout": ConfigKey(10.0, help="Batas waktu satu permintaan HTTP, detik."),
}



def current_settings() -> dict:
    """The running app's config, or the settings files when there is no app."""
    return portal_config.all_settings()


def engine_setting(key: str, source=None):
    source = current_settings() if source is None else source
    return source.get(key, portal_config.DEFAULTS[key])


def installed(pm=None) -> dict[str, ConnectorInfo]:
    """Every connector the plugins declare, by name."""
    pm = pm or plugins.manager()
    found: dict[str, ConnectorInfo] = {}
    for result in pm.hook.aduan_connector_info():
        for info in result if isinstance(result, (list, tuple)) else [result]:
            found.setdefault(info.name, info)
    return found


def resolve(info: ConnectorInfo, source=None) -> dict:
    """The connector's settings: schema defaults ← CONNECTORS[name] ← environment."""
    source = current_settings() if source is None else source
    raw = dict((source.get("CONNECTORS") or {}).get(info.name) or {})
    schema = {**COMMON_KEYS, **info.config_schema}
    from_env = False
    for key, spec in schema.items():
        env = f"ADUAN_{info.name.upper()}_{key.upper()}"
        if os.environ.get(env):
            raw[key] = portal_config.coerce(env, os.environ[env], spec.default)
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
