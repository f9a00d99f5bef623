"""Settings an admin picks for a connector from what its remote offers
(SP4N's follow-up templates), stored in the database (`ConnectorChoice`).

The options are read live from the remote with the short health-check
timeout, so a dead remote never hangs the page, and a saved value must be
one of them: a code SP4N does not know would only come back as a dead
letter later.
"""
from flask_babel import gettext as _

from portal.sync import config as sync_config
from portal.sync.errors import AuthError, RemoteRejected, TransientError


class ChoicesUnavailable(Exception):
    """The remote could not list the options; the message says why."""


def admin_keys(name: str) -> dict:
    """The connector's settings an admin chooses, by key (empty if none)."""
    connector = sync_config.connector(name)
    if connector is None:
        return {}
    return {k: spec for k, spec in connector.config_schema.items() if spec.admin}


def options(name: str) -> dict[str, list[tuple[str, str]]]:
    """{key: [(value, label)]} from the remote; raises ChoicesUnavailable."""
    connector = sync_config.connector(name)
    config = sync_config.resolve(connector.info())
    timeout = float(sync_config.engine_setting("SYNC_HEALTH_TIMEOUT"))
    config = {**config, "timeout": min(float(config["timeout"]), timeout)}
    try:
        return connector.choices(config) or {}
    except AuthError as exc:
        raise ChoicesUnavailable(_("Kredensial ditolak: %(detail)s", detail=exc.message)) from exc
    except TransientError as exc:
        raise ChoicesUnavailable(
            _("Layanan tidak dapat dihubungi: %(detail)s", detail=exc.message)) from exc
    except RemoteRejected as exc:
        raise ChoicesUnavailable(
            _("Permintaan ditolak layanan: %(detail)s", detail=str(exc))) from exc
    except Exception as exc:  # a plugin bug: shown, not a 500
        raise ChoicesUnavailable(f"{type(exc).__name__}: {exc}") from exc


def save(name: str, submitted: dict[str, str], user=None) -> list[str]:
    """Store the submitted values; returns what was refused (nothing stored then)."""
    keys = admin_keys(name)
    available = options(name)
    values, refused = {}, []
    for key, spec in keys.items():
        value = (submitted.get(key) or "").strip()
        allowed = {v for v, _label in available.get(key, [])}
        if value and value not in allowed:
            refused.append(_("%(setting)s: pilihan %(value)s tidak dikenal layanan.",
                             setting=spec.help or key, value=value))
        values[key] = value
    if not refused:
        sync_config.save_choices(name, values, user)
    return refused
