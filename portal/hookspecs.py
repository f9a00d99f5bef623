"""The whole plugin contract of Aduan.

Every hook is prefixed `aduan_` and says what it gets, what it returns and
whether the first non-None result wins.  Built-in plugins implement these
through the same plugin manager as third-party ones.
"""
import pluggy

PROJECT = "aduan"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def aduan_timeline_event(complaint, event):
    """A timeline event was just written for `complaint`.

    Called inside the database transaction that wrote `event` (a
    `TimelineEvent`), so whatever a plugin writes here commits or rolls back
    together with the change: the place for outbox rows.  Must not do network
    I/O; enqueue work instead.  Returns nothing; every implementation runs.
    """
