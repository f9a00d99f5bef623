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


@hookspec(firstresult=True)
def aduan_notify(notification):
    """Deliver one notification through a channel (email, SMS, WhatsApp...).

    `notification` is a `portal.notifications.Notification` row: `channel`
    ("app", "email", "sms" or a plugin's own), `recipient` (address or phone),
    `user` (staff account or None for a citizen), `subject`, `body`, `link`,
    and `key`, unique per notification (use it as an idempotency key if the
    gateway supports one).  Called from the worker outside any transaction;
    network I/O is expected here.  Return True once delivered, None if the
    channel is not yours.  First non-None result wins, so each notification
    goes out through one plugin only.  Raise to report a temporary failure:
    delivery is retried later.
    """
