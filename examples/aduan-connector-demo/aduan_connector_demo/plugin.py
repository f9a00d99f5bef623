"""The connector: a `Connector` over the demo app's small JSON API.

    GET  /laporan?sejak=<cursor>       {"laporan": [...], "kursor": "..."}
    GET  /laporan/<id>                 one report
    POST /laporan/<id>/jawaban         {"status", "teks", "kunci"} -> {"id"}
    GET  /                             {"ok": true}

Every call carries the header X-Kunci: <api_key>.  The app may also POST a
webhook {"id": <report id>} to Aduan's /hooks/demo, signed with
X-Demo-Waktu: <unix seconds> and
X-Demo-Tanda: sha256=<hex HMAC-SHA256 of "<waktu>." + raw body>.
"""
import json
from datetime import datetime

import requests

from aduan_connector_demo import __version__
from portal import plugin_api as api
from portal.plugin_api import (
    ConfigKey,
    Connector,
    FetchResult,
    Health,
    PushResult,
    RemoteComplaint,
    RemoteReply,
    WebhookRefused,
    check_fresh,
    hmac_sha256,
    hookimpl,
    parse_response,
    send,
    signature_matches,
    to_utc,
)

# The app's statuses <-> the portal's.  Keep every remote name in one place.
STATUS_TO_PORTAL = {"baru": "baru", "diproses": "diteruskan", "selesai": "selesai",
                    "ditolak": "ditolak"}
STATUS_FROM_PORTAL = {"baru": "baru", "tunda": "baru", "ditolak": "ditolak",
                      "diarsipkan": "ditolak", "selesai": "selesai", "ditutup": "selesai"}
IN_PROCESS = "diproses"  # every other portal status

HEADER_TIME = "X-Demo-Waktu"
HEADER_SIGNATURE = "X-Demo-Tanda"
SIGNATURE_PREFIX = "sha256="


def signed_message(timestamp: str, body: bytes) -> bytes:
    """What the app signs: the time too, so an old request cannot be replayed."""
    return timestamp.encode() + b"." + body


def _status_from_portal(status):
    return STATUS_FROM_PORTAL.get(status, IN_PROCESS)


def _item(row) -> RemoteComplaint:
    remote = row["status"]
    return RemoteComplaint(
        external_id=str(row["id"]), title=row["judul"], body=row["isi"],
        updated_at=to_utc(datetime.fromisoformat(row["diubah"])),
        status=STATUS_TO_PORTAL.get(remote), remote_status=remote,
        status_matches={s for s in api.STATUSES if _status_from_portal(s) == remote},
        opd_code=row.get("opd"), reporter_name=row.get("nama") or "",
        reporter_contact=row.get("kontak") or "", photos=row.get("foto") or [],
        replies=[RemoteReply(external_id=str(b["id"]), text=b["isi"])
                 for b in row.get("balasan") or []])


class DemoConnector(Connector):
    name = "demo"
    label = "Aplikasi Demo Daerah"
    version = __version__
    config_schema = {
        "base_url": ConfigKey(None, required=True),
        "api_key": ConfigKey(None, required=True, secret=True),
        "webhook_secret": ConfigKey(None, secret=True, help="Rahasia HMAC webhook /hooks/demo."),
        "webhook_max_age": ConfigKey(300, help="Detik; webhook yang lebih tua ditolak."),
    }

    def _call(self, config, method, path, **kwargs):
        """One request; failures become TransientError, AuthError or RemoteRejected."""
        with requests.Session() as session:
            response = send(session, method, config["base_url"].rstrip("/") + path,
                            timeout=float(config["timeout"]),
                            headers={"X-Kunci": config["api_key"]}, **kwargs)
            return parse_response(response, lambda body: (body.get("pesan"), None, None))

    def fetch(self, config, cursor, external_id=None):
        if external_id:
            return FetchResult([_item(self._call(config, "GET", f"/laporan/{external_id}"))],
                               cursor)
        body = self._call(config, "GET", "/laporan", params={"sejak": cursor or ""})
        return FetchResult([_item(row) for row in body["laporan"]], body["kursor"])

    def push(self, config, update):
        # The app de-duplicates on "kunci", so a retry after a lost answer is safe.
        body = self._call(config, "POST", f"/laporan/{update.external_id}/jawaban",
                          json={"status": _status_from_portal(update.status),
                                "teks": update.text, "kunci": update.key})
        return PushResult(str(body["id"]))

    def health(self, config):
        self._call(config, "GET", "/")
        return Health(True, "terhubung")

    # --- webhooks ---------------------------------------------------------

    def webhook_enabled(self, config):
        return bool(config.get("webhook_secret"))

    def verify_webhook(self, config, request):
        timestamp = request.header(HEADER_TIME) or ""
        expected = SIGNATURE_PREFIX + hmac_sha256(config["webhook_secret"],
                                                  signed_message(timestamp, request.body))
        if not signature_matches(expected, request.header(HEADER_SIGNATURE)):
            raise WebhookRefused("tanda tangan tidak sah")
        check_fresh(timestamp, request.received_at, float(config["webhook_max_age"]))

    def parse_webhook(self, config, request):
        payload = json.loads(request.body)
        if not isinstance(payload, dict) or not str(payload.get("id") or "").isdigit():
            raise ValueError("webhook tanpa id laporan")
        return [str(payload["id"])]


@hookimpl
def aduan_connectors():
    return [DemoConnector()]
