"""Connectors by name: what every plugin's `aduan_connectors()` returns.

Built-in and third-party connectors register the same way; the sync engine
asks the registry for a connector by name and calls only that object, so
one plugin can never answer for another channel.  Two plugins claiming one
name is an error at start-up, not a silent winner.
"""
from __future__ import annotations

import pluggy

# What the engine calls on every connector (`portal.sync.connector.Connector`
# provides the rest).  Checked by shape, not by class, so this package does
# not depend on the sync engine that depends on it.
REQUIRED_METHODS = ("info", "fetch", "push", "health")


class ConnectorConflict(RuntimeError):
    """Two plugins claim one connector name, or a plugin returned something
    that is not a `Connector`."""


def _is_connector(obj) -> bool:
    return (isinstance(getattr(obj, "name", None), str)
            and all(callable(getattr(obj, method, None)) for method in REQUIRED_METHODS))


def connectors(pm: pluggy.PluginManager) -> dict:
    """Every registered connector by name, in registration order."""
    found: dict = {}
    owners: dict[str, str] = {}
    # pluggy lists implementations in registration order; calling each one
    # separately lets the error name both plugins.
    for impl in pm.hook.aduan_connectors.get_hookimpls():
        result = impl.function()
        for connector in result or ():
            if not _is_connector(connector):
                raise ConnectorConflict(
                    f"plugin {impl.plugin_name!r}: aduan_connectors() must return Connector "
                    f"objects, got {connector!r}")
            if not connector.name:
                raise ConnectorConflict(f"plugin {impl.plugin_name!r}: a connector without a name")
            if connector.name in found:
                raise ConnectorConflict(
                    f"connector name {connector.name!r} is claimed by both plugin "
                    f"{owners[connector.name]!r} and plugin {impl.plugin_name!r}; "
                    "uninstall one or give it another name")
            found[connector.name] = connector
            owners[connector.name] = impl.plugin_name
    return found
