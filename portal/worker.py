"""Entry module for the Huey consumer: `huey_consumer portal.worker.huey`.

Opens the database and the plugin manager without Flask, then imports the
tasks so the consumer knows them.
"""
from . import plugins, settings
from .db import open_database
from .queue import huey  # noqa: F401  (what huey_consumer loads)

_settings = settings.load()
open_database(_settings["DATABASE_URL"])
plugins.install(plugins.make_manager())

from . import tasks  # noqa: E402,F401
