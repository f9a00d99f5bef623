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


# --- Connectors ---------------------------------------------------------------
#
# A connector speaks one remote complaint system (SP4N-LAPOR!, a region's own
# app).  A plugin hands the portal `Connector` objects (`portal.plugin_api`);
# the sync engine looks each one up by its name and calls only that object,
# so no implementation has to check which connector is meant.


@hookspec
def aduan_connectors():
    """The connectors this plugin provides.

    Receives nothing.  Returns a list of `portal.plugin_api.Connector`
    objects (fetch, push, forward, health, webhook verification and parsing,
    publishing requirements), each with a unique `name`.  Every
    implementation runs; together they are the installed connectors.  Two
    plugins returning the same name stop the app at start-up with an error
    naming both.
    """


@hookspec
def aduan_publish_requirements(complaint, photos):
    """Why "publikasikan" must not happen yet for `complaint`.

    Called by `complaints.service.perform` inside its transaction, before the
    status changes.  Receives the `Complaint` row and `photos`, the number of
    photos uploaded with the publication itself.  Returns a list of messages
    in Indonesian for the operator (empty or None: nothing against it).
    Every implementation runs; any message refuses the action with
    `workflow.InputMissing`.  No network I/O.  The sync engine implements it
    by asking each connector the complaint is linked to
    (`Connector.publish_requirements`).
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
