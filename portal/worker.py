"""Entry module for the Huey consumer: `huey_consumer portal.worker.huey`.

Configures logging, the queue, the database and the plugin manager from the
instance settings, without Flask, then imports the tasks so the consumer
knows them.  Each task takes a pooled connection before it and gives it back after it
(huey's pre_execute/post_execute); the pool replaces a connection that the
database dropped (restart) before handing it out again.
"""
from portal import config, logs
from portal.db import database, open_database
from portal.plugins import manager as plugins
from portal.tasks.app import configure

_settings = config.load()
logs.configure(_settings.get("LOG_LEVEL", "INFO"))
huey = configure(_settings)
open_database(_settings["DATABASE_URL"], _settings.get("DATABASE_POOL_MAX"))
plugins.install(plugins.make_manager())


@huey.pre_execute()
def _connect(task):
    database.connect(reuse_if_open=True)


@huey.post_execute()
def _disconnect(task, task_value, exc):
    if not database.is_closed():
        database.close()


# Importing the task modules registers their tasks with the consumer.
from portal.complaints import tasks as complaint_tasks  # noqa: E402,F401
from portal.deadlines import tasks as deadline_tasks  # noqa: E402,F401
from portal.notifications import tasks as notification_tasks  # noqa: E402,F401
from portal.statistics import tasks as statistics_tasks  # noqa: E402,F401
from portal.sync import tasks as sync_tasks  # noqa: E402,F401
