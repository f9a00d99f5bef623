"""The one module a plugin imports.

Everything a connector or another plugin needs from Aduan is here, and
nothing else of the portal is part of the plugin contract: internal modules
move, this surface stays.  See docs/connectors.md for a walk-through.

    from portal.plugin_api import Connector, FetchResult, hookimpl

    class MyConnector(Connector):
        name, label, version = "kabku", "Lapor Kabku", "1.0"
        def fetch(self, config, cursor, external_id=None): ...
        def push(self, config, update): ...
        def health(self, config): ...

    @hookimpl
    def aduan_connectors():
        return [MyConnector()]
"""
from portal.complaints.workflow import (
    BARU,
    CLASSIFICATIONS,
    DIARSIPKAN,
    DIDISPOSISI,
    DILAPORKAN,
    DITERUSKAN,
    DITINDAKLANJUTI,
    DITOLAK,
    DITUTUP,
    MENUNGGU_ANGGARAN,
    OPEN_STATUSES,
    SELESAI,
    STATUSES,
    TUNDA,
    status_label,
)
from portal.plugins.hookspecs import hookimpl
from portal.sync.connector import (
    FOLLOWUP_IN_PROCESS,
    FOLLOWUP_INFORMATION,
    FOLLOWUP_RESOLVED,
    Connector,
    Publication,
    WebhookRefused,
    WebhookRequest,
    check_fresh,
    hmac_sha256,
    signature_matches,
)
from portal.sync.errors import (
    AuthError,
    ConnectorError,
    RemoteRejected,
    TransientError,
    parse_response,
    parse_retry_after,
    send,
)
from portal.sync.items import (
    ConfigKey,
    ConnectorInfo,
    FetchResult,
    Health,
    LocalComplaint,
    PushResult,
    RemoteComplaint,
    RemoteEvent,
    RemoteReply,
    Update,
    to_utc,
)

__all__ = [
    # hooks
    "hookimpl",
    # the connector and what it exchanges
    "Connector", "ConfigKey", "ConnectorInfo", "FetchResult", "Health", "LocalComplaint",
    "PushResult", "RemoteComplaint", "RemoteEvent", "RemoteReply", "Update", "Publication", "to_utc",
    "FOLLOWUP_IN_PROCESS", "FOLLOWUP_INFORMATION", "FOLLOWUP_RESOLVED",
    # webhooks
    "WebhookRequest", "WebhookRefused", "hmac_sha256", "signature_matches", "check_fresh",
    # errors and HTTP helpers
    "ConnectorError", "TransientError", "AuthError", "RemoteRejected", "send",
    "parse_response", "parse_retry_after",
    # workflow statuses
    "BARU", "TUNDA", "DITOLAK", "DIARSIPKAN", "DITERUSKAN", "DILAPORKAN", "DIDISPOSISI",
    "MENUNGGU_ANGGARAN", "DITINDAKLANJUTI", "SELESAI", "DITUTUP", "STATUSES",
    "OPEN_STATUSES", "CLASSIFICATIONS", "status_label",
]
