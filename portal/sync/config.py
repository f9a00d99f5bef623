"""Which connectors are installed, and the settings each one runs with.

Settings come from `CONNECTORS = {"sp4n": {...}, ...}` in the instance
config; every key can also be set by an environment variable
`ADUAN_<NAME>_<KEY>` (e.g. ADUAN_SP4N_BASE_URL), which wins.  The worker has
no Flask app, so outside a request this reads `portal.config.load()`.
"""
import os

from portal import config as portal_config
from portal.clock import utcnow
from portal.db import database
from portal.plugins import manager as plugins, registry
from portal.sync.connector import Connector
from portal.sync.items import ConfigKey, ConnectorInfo
from portal.sync.models import ConnectorChoice

# Keys every connector has, whatever its own schema says.
COMMON_KEYS = {
    "enabled": ConfigKey(True, help="Matikan tanpa menghapus konfigurasinya."),
    "interval": ConfigKey(300, help="Detik antara dua kali tarik data."),
    "timeout": ConfigKey(10.0, help="Batas waktu satu permintaan HTTP, detik."),
    "photo_hosts": ConfigKey([], help="Host lain (host:port) tempat foto kanal boleh diunduh; "
                                      "host base_url selalu boleh."),
}



def current_settings() -> dict:
    """The running app's config, or the settings files when there is no app."""
    return portal_config.all_settings()


def engine_setting(key: str, source=None):
    source = current_settings() if source is None else source
    return source.get(key, portal_config.DEFAULTS[key])


def connectors(pm=None) -> dict[str, Connector]:
    """Every connector the plugins provide, by name (see `portal.plugins.registry`)."""
    return registry.connectors(pm or plugins.manager())


def connector(name: str, pm=None) -> Connector | None:
    return connectors(pm).get(name)


def installed(pm=None) -> dict[str, ConnectorInfo]:
    """What each installed connector says about itself, by name."""
    return {name: c.info() for name, c in connectors(pm).items()}


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
    config.update(admin_choices(info.name, [k for k, spec in schema.items() if spec.admin]))
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


def admin_choices(name: str, keys: list[str]) -> dict[str, str]:
    """What an admin chose on the connector page for `keys` (see
    `Connector.choices`); the database is the one place every worker reads."""
    if not keys:
        return {}
    rows = ConnectorChoice.select().where((ConnectorChoice.connector == name)
                                          & ConnectorChoice.key.in_(keys))
    return {row.key: row.value for row in rows}


def save_choices(name: str, values: dict[str, str], user=None) -> None:
    with database.atomic():
        for key, value in values.items():
            updated = (ConnectorChoice.update(value=value, updated_at=utcnow(), updated_by=user)
                       .where((ConnectorChoice.connector == name) & (ConnectorChoice.key == key))
                       .execute())
            if not updated:
                ConnectorChoice.create(connector=name, key=key, value=value, updated_by=user)
