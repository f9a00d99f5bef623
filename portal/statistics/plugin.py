"""Built-in plugin: every timeline event may change a complaint's figures
(a status, a follow-up photo, a rating), so the complaint is marked for the
statistics worker in the event's own transaction: one small write here,
the timeline reading and summing happen off the request."""
from portal.plugins.hookspecs import hookimpl


@hookimpl
def aduan_timeline_event(complaint, event):
    from portal.statistics import facts

    facts.mark(complaint.id)
