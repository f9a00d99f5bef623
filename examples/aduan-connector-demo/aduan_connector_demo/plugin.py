"""The connector: Aduan's hooks over the demo app's small JSON API.

    GET  /laporan?sejak=<cursor>       {"laporan": [...], "kursor": "..."}
    GET  /laporan/<id>                 one report
    POST /laporan/<id>/jawaban         {"status", "teks", "kunci"} -> {"id"}
    GET  /                             {"ok": true}

Every call carries the header X-Kunci: <api_key>.
"""
from datetime import datetime

import requests

from aduan_connector_demo import __version__
from portal.sync.errors import parse_response, send
from portal.complaints import workflow
from portal.plugins.hookspecs import hookimpl
from portal.sync.items import (
    ConfigKey,
    ConnectorInfo,
    FetchResult,
    Health,
    PushResult,
    RemoteComplaint,
    RemoteReply,
    to_utc,
)

NAME = "demo"

# The app's statuses <-> the portal's.  Keep every remote name in one place.
STATUS_TO_PORTAL = {"baru": "baru", "diproses": "diteruskan", "selesai": "selesai",
                    "ditolak": "ditolak"}
STATUS_FROM_PORTAL = {"baru": "baru", "tunda": "baru", "ditolak": "ditolak",
                      "diarsipkan": "ditolak", "selesai": "selesai", "ditutup": "selesai"}
IN_PROCESS = "diproses"  # every other portal status


@hookimpl
def aduan_connector_info():
    return ConnectorInfo(name=NAME, label="Aplikasi Demo Daerah", version=__version__,
                         config_schema={
                             "base_url": ConfigKey(None, required=True),
                             "api_key": ConfigKey(None, required=True, secret=True),
                         })


def _call(config, method, path, **kwargs):
    """One request; errors become connectors.errors exceptions (retry, auth, refused)."""
    with requests.Session() as session:
        response = send(session, method, config["base_url"].rstrip("/") + path,
                        timeout=float(config["timeout"]),
                        headers={"X-Kunci": config["api_key"]}, **kwargs)
        return parse_response(response, lambda body: (body.get("pesan"), None, None))


def _status_from_portal(status):
    return STATUS_FROM_PORTAL.get(status, IN_PROCESS)


def _item(row) -> RemoteComplaint:
    remote = row["status"]
    return RemoteComplaint(
        external_id=str(row["id"]), title=row["judul"], body=row["isi"],
        updated_at=to_utc(datetime.fromisoformat(row["diubah"])),
        status=STATUS_TO_PORTAL.get(remote), remote_status=remote,
        status_matches={s for s in workflow.STATUSES if _status_from_portal(s) == remote},
        opd_code=row.get("opd"), reporter_name=row.get("nama") or "",
        reporter_contact=row.get("kontak") or "", photos=row.get("foto") or [],
        replies=[RemoteReply(external_id=str(b["id"]), text=b["isi"])
                 for b in row.get("balasan") or []])


@hookimpl
def aduan_connector_fetch(connector, config, cursor, external_id):
    if connector != NAME:
        return None
    if external_id:
        return FetchResult([_item(_call(config, "GET", f"/laporan/{external_id}"))], cursor)
    body = _call(config, "GET", "/laporan", params={"sejak": cursor or ""})
    return FetchResult([_item(row) for row in body["laporan"]], body["kursor"])


@hookimpl
def aduan_connector_push(connector, config, update):
    if connector != NAME:
        return None
    # The app de-duplicates on "kunci", so a retry after a lost answer is safe.
    body = _call(config, "POST", f"/laporan/{update.external_id}/jawaban",
                 json={"status": _status_from_portal(update.status), "teks": update.text,
                       "kunci": update.key})
    return PushResult(str(body["id"]))


@hookimpl
def aduan_connector_health(connector, config):
    if connector != NAME:
        return None
    _call(config, "GET", "/")
    return Health(True, "terhubung")
