"""The `Connector` base class: what one remote complaint system must provide.

A plugin returns instances of a subclass from `aduan_connectors()`; the
sync engine looks them up by `name`.  Nothing here selects itself by name:
the registry (`portal.plugins.registry`) hands each connector only its own
work, so a plugin cannot answer for another channel by mistake.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import datetime

from portal.sync.items import ConfigKey, ConnectorInfo, FetchResult, Health, PushResult

# Kinds of follow-up a channel may treat differently (SP4N needs one template
# code for each): a progress note, a question to the reporter, the answer
# that resolves the complaint.
FOLLOWUP_IN_PROCESS = "in_process"
FOLLOWUP_INFORMATION = "information"
FOLLOWUP_RESOLVED = "resolved"


@dataclass
class Publication:
    """What the operator is about to publish, for `Connector.publish_requirements`."""

    external_id: str  # this channel's id of the complaint
    complaint_code: str
    classification: str  # pengaduan, informasi, aspirasi
    status: str  # the portal status after publishing ("selesai")
    photos: int  # photos that will go out with it (the follow-up's and the publication's)


@dataclass
class WebhookRequest:
    """One request to `/hooks/<name>`, body already read (and capped)."""

    body: bytes
    headers: dict[str, str]  # lower-cased names
    received_at: datetime  # naive UTC
    remote_addr: str | None = None
    query: dict[str, str] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class WebhookRefused(Exception):
    """Verification failed; `status` (401 or 403) and a short message go back."""

    def __init__(self, message: str, status: int = 401):
        super().__init__(message)
        self.message = message
        self.status = status


def hmac_sha256(secret: str, message: bytes) -> str:
    """Hex HMAC-SHA256, the usual webhook signature."""
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison, so timing does not leak the signature."""
    return bool(given) and hmac.compare_digest(expected.encode(), given.encode())


def check_fresh(timestamp: str | None, now: datetime, max_age: float) -> None:
    """Refuse a webhook whose signed Unix time is outside +-`max_age` seconds
    of `now` (naive UTC): a captured request cannot be replayed later."""
    try:
        sent = float(timestamp or "")
    except ValueError:
        raise WebhookRefused("stempel waktu tidak ada atau tidak sah") from None
    epoch = datetime(1970, 1, 1)
    if abs((now - epoch).total_seconds() - sent) > max_age:
        raise WebhookRefused("stempel waktu di luar jendela yang diterima")


class Connector:
    """Base class of every connector.  Subclass it, set the class attributes
    and implement `fetch`, `push` and `health`; `forward`, webhooks and
    publishing requirements are optional.

    Every method gets `config`, the connector's resolved settings (schema
    defaults <- CONNECTORS[name] <- ADUAN_<NAME>_<KEY> <- choices an admin
    saved), and must honour `config["timeout"]` on each request.  Remote
    failures are raised as TransientError, AuthError or RemoteRejected.
    """

    name: str = ""  # the channel stored on complaints, e.g. "sp4n"; unique
    label: str = ""  # what people read, e.g. "SP4N-LAPOR!"
    version: str = "0"
    config_schema: dict[str, ConfigKey] = {}

    # --- description ------------------------------------------------------

    @property
    def can_forward(self) -> bool:
        return type(self).forward is not Connector.forward

    @property
    def accepts_webhooks(self) -> bool:
        return type(self).parse_webhook is not Connector.parse_webhook

    def info(self) -> ConnectorInfo:
        return ConnectorInfo(name=self.name, label=self.label or self.name,
                             version=self.version, config_schema=dict(self.config_schema),
                             can_forward=self.can_forward)

    # --- pull and push ------------------------------------------------------

    def fetch(self, config: dict, cursor: str | None,
              external_id: str | None = None) -> FetchResult:
        """What changed remotely since `cursor` (None the first time).

        With `external_id` set, fetch only that item (a webhook announced it)
        and return the cursor unchanged.  Return every item changed since the
        cursor; returning too much is harmless, skipping is not."""
        raise NotImplementedError

    def push(self, config: dict, update) -> PushResult:
        """Send one local change (`Update`).  `update.key` is stable per
        change: use it as an idempotency key.  Without one, `update.attempt`
        > 0 means an earlier answer may have been lost: look first."""
        raise NotImplementedError

    def forward(self, config: dict, complaint) -> PushResult:
        """Send a complaint received by the portal (`LocalComplaint`) into the
        remote system; only called when config["forward_local"] is true.
        Returns the new remote id.  Overriding it declares `can_forward`."""
        raise NotImplementedError

    def health(self, config: dict) -> Health:
        """One cheap request that proves the remote answers and accepts our
        credentials; raise the error types on failure."""
        raise NotImplementedError

    # --- channel rules ----------------------------------------------------

    def publish_requirements(self, config: dict, publication: Publication) -> list[str]:
        """Why this channel would refuse `publication`, as messages in
        Indonesian for the operator; empty when it can go.  Checked before
        the workflow allows "publikasikan", so nothing is sent that the
        channel will turn into a dead letter.  No network I/O."""
        return []

    def choices(self, config: dict) -> dict[str, list[tuple[str, str]]]:
        """Options for the settings declared `ConfigKey(admin=True)`, read from
        the remote (e.g. SP4N's follow-up templates): {key: [(value, label)]}.
        The admin picks on the connector page; the choice is stored in the
        database and wins over the configuration files."""
        return {}

    # --- webhooks ---------------------------------------------------------

    def webhook_enabled(self, config: dict) -> bool:
        """Whether `/hooks/<name>` is open for this configuration (e.g. only
        when a shared secret is set)."""
        return self.accepts_webhooks

    def verify_webhook(self, config: dict, request: WebhookRequest) -> None:
        """Raise `WebhookRefused` unless the request is authentic and fresh
        (signature over the raw body; a signed timestamp inside a replay
        window when the remote sends one).  Called before `parse_webhook`."""
        raise WebhookRefused("webhook tidak dapat diverifikasi", status=403)

    def parse_webhook(self, config: dict, request: WebhookRequest) -> list[str]:
        """The remote ids a verified webhook announces; each is pulled at once
        with `fetch(..., external_id=id)`.  Raise ValueError if malformed."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r}>"
