"""Built-in plugin: every timeline event may change a complaint's figures
(a status, a follow-up photo, a rating), so its facts are derived again by
the worker once the event is committed."""
from portal.plugins.hookspecs import hookimpl
from portal.tasks.app import enqueue


@hookimpl
def aduan_timeline_event(complaint, event):
    from portal.statistics import tasks

    enqueue(tasks.refresh_complaint, complaint.id)
