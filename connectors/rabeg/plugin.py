"""The Rabeg connector: a `Connector` over `RabegClient`.

Rabeg pages with an opaque cursor, accepts Idempotency-Key on every POST
(we use the outbox row's key, so a retried tanggapan is applied once) and
may announce changes by webhook on `/hooks/rabeg`; polling still runs.
"""
from connectors.plugin_support import distribution_version, join_contact, uploads
from connectors.rabeg import mapping as m
from connectors.rabeg.client import RabegClient, parse_webhook, verify_webhook
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
    hookimpl,
    to_utc,
)

NAME = m.SOURCE

CONFIG = {
    "base_url": ConfigKey(None, required=True, help="Mis. https://rabeg.serangkota.go.id"),
    "api_key": ConfigKey(None, required=True, secret=True),
    "webhook_secret": ConfigKey(None, secret=True, help="Rahasia HMAC webhook /hooks/rabeg."),
    "page_size": ConfigKey(100),
    "category_map": ConfigKey({}, help="Kategori Rabeg -> nama kategori portal."),
}


def client_for(config: dict) -> RabegClient:
    return RabegClient(config["base_url"], config["api_key"], timeout=float(config["timeout"]))


def fetch(config, cursor, external_id=None):
    client = client_for(config)
    try:
        if external_id:
            reports = [client.get_report(external_id)]
        else:
            listing = client.read_pass(cursor, int(config["page_size"]))
            reports = listing.items
            cursor = listing.resume if listing.complete else cursor
        for report in reports:
            if report.get(m.Field.STATUS) == m.STATUS_UNREAD:
                # Tell Rabeg (and its reporter) the report reached the portal.
                report.update(client.mark_read(report[m.Field.ID],
                                               idempotency_key=f"aduan-baca-{report[m.Field.ID]}"))
        return FetchResult([to_item(r) for r in reports], cursor)
    finally:
        client.close()


def to_item(report: dict) -> RemoteComplaint:
    d = m.report_to_portal(report)
    reporter = d["reporter"] or {}
    remote = d["remote_status"]
    return RemoteComplaint(
        external_id=str(d["remote_id"]), title=d["title"], body=d["body"],
        updated_at=to_utc(d["updated_at"]), created_at=to_utc(d["created_at"]),
        classification=d["classification"], category=d["category"], opd_code=d["opd"],
        status=d["status"], remote_status=remote or "",
        status_matches={s for s, v in m.STATUS_FROM_PORTAL.items() if v == remote},
        location=d["address"] or "", lat=d["lat"], lon=d["lng"],
        anonymous=d["anonymous"], confidential=d["secret"],
        reporter_name=reporter.get("name") or "",
        reporter_contact=join_contact(reporter.get("phone"), reporter.get("email")),
        photos=d["photos"], severity=d["severity"] or "",
        replies=[RemoteReply(external_id=str(t["remote_id"]), text=t["body"],
                             created_at=to_utc(t["created_at"]), photos=t["photos"])
                 for t in d["responses"] if t["from_reporter"]])


def push(config, update):
    target = m.status_from_portal(update.status)
    label = api.status_label(update.status)
    if update.kind == "response":
        return _tanggapan(config, update, update.text, target)
    before = m.status_from_portal(update.previous_status) if update.previous_status else None
    if update.text:  # a status the reporter must read about, e.g. menunggu anggaran 2027
        return _tanggapan(config, update, update.text, target if target != before else None)
    if target is None:
        # Rabeg has no rejected/archived state: the reporter reads it as a response.
        return _tanggapan(config, update, f"Status laporan: {label}.", None)
    if target in m.TANGGAPAN_STATUSES and target != before and target != m.STATUS_DONE:
        return _tanggapan(config, update, f"Status laporan: {label}.", target)
    return PushResult(note=f"tidak ada perubahan status untuk Rabeg ({label})")


def _tanggapan(config, update, text, status) -> PushResult:
    client = client_for(config)
    try:
        result = client.add_tanggapan(update.external_id, text, idempotency_key=update.key,
                                      status=status, photos=uploads(update.photos))
        return PushResult(str(result[m.Envelope.ID]), remote_status=status or "")
    finally:
        client.close()


def health(config):
    client = client_for(config)
    try:
        return Health(True, f"terhubung; {len(client.list_opd())} OPD")
    finally:
        client.close()


def publish_requirements(config, publication) -> list[str]:
    """Rabeg refuses a "selesai" tanggapan without a photo (rabeg-api.md)."""
    if m.status_from_portal(publication.status) == m.STATUS_DONE and publication.photos < 1:
        return ["Rabeg mewajibkan minimal satu foto pada tanggapan yang menyelesaikan laporan; "
                "lampirkan foto pada tindak lanjut."]
    return []


class RabegConnector(Connector):
    """Rabeg: polled with an opaque cursor, plus signed webhooks.

    Rabeg signs the raw body (X-Rabeg-Signature) but sends no timestamp, so
    there is no replay window to check; a replayed webhook only makes us
    read that report once more, which changes nothing."""

    name = NAME
    label = "Rabeg"
    config_schema = CONFIG

    def __init__(self):
        self.version = distribution_version()

    def fetch(self, config, cursor, external_id=None):
        return fetch(config, cursor, external_id)

    def push(self, config, update):
        return push(config, update)

    def health(self, config):
        return health(config)

    def publish_requirements(self, config, publication):
        return publish_requirements(config, publication)

    def webhook_enabled(self, config):
        return bool(config.get("webhook_secret"))

    def verify_webhook(self, config, request):
        if not verify_webhook(config["webhook_secret"], request.body,
                              request.header(m.HEADER_SIGNATURE)):
            raise WebhookRefused("tanda tangan tidak sah", status=401)

    def parse_webhook(self, config, request):
        _event, report_id = parse_webhook(request.body)
        return [report_id]


# One instance per process: the engine asks the registry for it on every
# pull, push and webhook.
CONNECTOR = RabegConnector()


@hookimpl
def aduan_connectors():
    return [CONNECTOR]
