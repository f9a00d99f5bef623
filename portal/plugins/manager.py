"""Building the plugin manager.

Built in a function, not at import time, so each app (and each test) gets a
clean one.  The web app and the worker each install theirs with `install`.
"""
import pluggy

from portal.plugins import hookspecs, registry

ENTRY_POINT_GROUP = "aduan.connectors"

# Modules inside this distribution that implement hooks; they register
# exactly like third-party plugins do.
BUILTIN_PLUGINS: list[str] = [
    "portal.sync.outbox",
    "portal.sync.duplicates",
    "portal.sync.requirements",
    "connectors.sp4n.plugin",
    "connectors.rabeg.plugin",
    "portal.deadlines.plugin",
    "portal.notifications.service",
    "portal.notifications.mail",
    "portal.notifications.handoffs",
    "portal.notifications.whatsapp",
    "portal.notifications.sms",
    "portal.notifications.webpush",
    "portal.complaints.replies",
    "portal.statistics.plugin",
]

_current: pluggy.PluginManager | None = None


def make_manager(load_entry_points: bool = True) -> pluggy.PluginManager:
    import importlib

    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for name in BUILTIN_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    if load_entry_points:
        pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    # Fail at start-up, not at the first sync, when two plugins claim one
    # connector name (registry.ConnectorConflict names both).
    registry.connectors(pm)
    return pm


def install(pm: pluggy.PluginManager) -> pluggy.PluginManager:
    global _current
    _current = pm
    return pm


def manager() -> pluggy.PluginManager:
    """The installed manager; a fresh one is built on first use (scripts)."""
    return _current or install(make_manager())


def init_app(app):
    pm = install(make_manager(app.config.get("LOAD_ENTRY_POINTS", True)))
    app.extensions["aduan.plugins"] = pm
