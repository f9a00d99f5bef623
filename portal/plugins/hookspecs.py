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
# A connector is a plugin that speaks one remote complaint system (SP4N-LAPOR!,
# a region's own app).  The sync engine calls every hook below with the
# connector's `connector` name; an implementation answers only for its own name
# and returns None otherwise, so with `firstresult` the right one wins.  The
# objects exchanged are the dataclasses of `portal.sync.items`.  Remote
# failures are raised as `connectors.errors` exceptions: TransientError
# (retried with backoff, honouring `retry_after`), AuthError, RemoteRejected.


@hookspec
def aduan_connector_info():
    """Describe the connector(s) this plugin provides.

    Receives nothing.  Returns a `portal.sync.items.ConnectorInfo` (name,
    label, version, config schema), or a list of them.  Every implementation
    runs; the results together are the installed connectors.
    """


@hookspec(firstresult=True)
def aduan_connector_fetch(connector, config, cursor, external_id):
    """Fetch what changed remotely since `cursor`.

    Receives the connector name, its resolved `config` dict, the opaque
    `cursor` string returned by the previous successful fetch (None the first
    time) and `external_id`: when not None, fetch only that one item (a
    webhook asked for it) and leave the cursor alone.  Returns a
    `portal.sync.items.FetchResult` (items and the next cursor).  Re-fetching
    an item is harmless: the engine de-duplicates on (channel, external id)
    and the item's `updated_at`.  First result wins.
    """


@hookspec(firstresult=True)
def aduan_connector_push(connector, config, update):
    """Send one local change to the remote system.

    Receives the connector name, its config and a
    `portal.sync.items.Update` (kind "status" or "response", the portal
    status, public response text, photo file paths, the remote id, a stable
    idempotency `key` and the `attempt` number: above 0 the previous answer
    may have been lost, so look before posting again).  Returns a
    `portal.sync.items.PushResult`.  First result wins.
    """


@hookspec(firstresult=True)
def aduan_connector_forward(connector, config, complaint):
    """Send a complaint received locally (web form) into the remote system.

    Only called for connectors whose config enables forwarding (SP4N).
    Receives the connector name, its config and a
    `portal.sync.items.LocalComplaint` (fields, photo paths, `attempt`: above
    0 an earlier answer may have been lost).  Returns a `PushResult` whose `remote_id` is the new
    remote id; the engine links it to the complaint.  First result wins.
    Without idempotency keys, look before posting again when `attempt` is
    above 0: a remote copy was created after `complaint.attempted_at` (naive
    UTC start of the first attempt) and has the same title and text; return
    its id.  A poll that lists such a copy back first links it instead.
    """


@hookspec(firstresult=True)
def aduan_connector_health(connector, config):
    """Check that the remote system answers and accepts our credentials.

    Receives the connector name and its config.  Returns a
    `portal.sync.items.Health` (ok, message).  Must be quick (one cheap
    request) and honour `config["timeout"]`, which the admin page lowers;
    raise the `connectors.errors` exceptions on failure so the page can say
    what went wrong.  First result wins.
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
