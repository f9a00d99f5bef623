"""The SP4N-LAPOR! connector: a `Connector` over `Sp4nClient`.

SP4N has no webhooks (we poll the disposition listing with an overlapping
time cursor), no status endpoint (its status follows our follow-ups) and no
idempotency keys (after a lost answer we look for our follow-up before
posting it again).
"""
from datetime import datetime, timedelta, timezone

from connectors.plugin_support import distribution_version, join_contact, split_contact, uploads
from connectors.sp4n import mapping as m
from connectors.sp4n.client import Sp4nClient
from portal import plugin_api as api
from portal.plugin_api import (
    FOLLOWUP_IN_PROCESS,
    FOLLOWUP_INFORMATION,
    FOLLOWUP_RESOLVED,
    ConfigKey,
    Connector,
    FetchResult,
    Health,
    PushResult,
    RemoteComplaint,
    RemoteEvent,
    RemoteRejected,
    RemoteReply,
    hookimpl,
    to_utc,
)

NAME = m.SOURCE
EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)

CONFIG = {
    "base_url": ConfigKey(None, required=True, help="Mis. https://<host>/api/v3"),
    "access_token": ConfigKey(None, required=True, secret=True),
    "institution_token": ConfigKey(None, required=True, secret=True),
    "institution_id": ConfigKey(0, required=True, help="Id instansi kita di SP4N."),
    "page_size": ConfigKey(m.MAX_PAGE_LIMIT),
    "overlap": ConfigKey(120, help="Detik yang dibaca ulang tiap tarik (item berpindah halaman)."),
    # SP4N needs a template code on every follow-up, and the resolving one
    # differs from a progress note: one code per kind, chosen by the admin
    # from /masters/templates on the connector page.
    "template_in_process": ConfigKey("", admin=True, help="Template tindak lanjut: sedang diproses."),
    "template_information": ConfigKey("", admin=True,
                                      help="Template tindak lanjut: meminta informasi pelapor."),
    "template_resolved": ConfigKey("", admin=True, help="Template tindak lanjut: selesai."),
    "category_map": ConfigKey({}, help="Nama kategori SP4N -> nama kategori portal."),
    "forward_local": ConfigKey(False, help="Teruskan laporan dari formulir web ke SP4N."),
    "location_id": ConfigKey(0, help="Id lokasi untuk laporan yang diteruskan."),
    "category_ids": ConfigKey({}, help="Nama kategori portal -> id kategori SP4N (meneruskan)."),
    "default_category_id": ConfigKey(0),
}
TEMPLATE_KEYS = {
    FOLLOWUP_IN_PROCESS: "template_in_process",
    FOLLOWUP_INFORMATION: "template_information",
    FOLLOWUP_RESOLVED: "template_resolved",
}
KIND_NAMES = {FOLLOWUP_IN_PROCESS: "sedang diproses", FOLLOWUP_INFORMATION: "meminta informasi",
              FOLLOWUP_RESOLVED: "selesai"}


def client_for(config: dict) -> Sp4nClient:
    return Sp4nClient(config["base_url"], config["access_token"], config["institution_token"],
                      int(config["institution_id"]), timeout=float(config["timeout"]))


def fetch(config, cursor, external_id=None):
    client = client_for(config)
    try:
        if external_id:
            return FetchResult([to_item(client, client.get_complaint(int(external_id)))], cursor)
        since = datetime.fromisoformat(cursor) if cursor else EPOCH
        listing = client.read_disposition_pass(since, int(config["page_size"]))
        items = [to_item(client, complaint) for complaint in listing.items]
        # From where this pass started (not the newest item: a skipped one is older).
        after = listing.since(int(config["overlap"])).replace(tzinfo=timezone.utc).isoformat()
        return FetchResult(items, after if listing.complete else cursor,
                           complete=listing.complete, note=listing.shortfall)
    finally:
        client.close()


def to_item(client: Sp4nClient, complaint: dict) -> RemoteComplaint:
    d = m.complaint_to_portal(complaint)
    reporter = d["reporter"] or {}
    code = d["remote_status"]
    replies = [
        RemoteReply(external_id=f["remote_id"], text=f["body"], created_at=to_utc(f["created_at"]),
                    photos=f["photos"], rating=f["rating"])
        for f in map(m.followup_to_portal, client.list_followups(int(d["remote_id"])))
        if f["from_reporter"]
    ]
    location = (complaint.get(m.Field.LOCATION) or {}).get(m.Field.NAME) or ""
    return RemoteComplaint(
        external_id=d["remote_id"], title=d["title"], body=d["body"],
        updated_at=to_utc(d["updated_at"]), created_at=to_utc(d["created_at"]),
        classification=d["classification"], category=d["category"], status=d["status"],
        remote_status=m.STATUS_NAMES.get(code, str(code)),
        status_matches={s for s, c in m.STATUS_FROM_PORTAL.items() if c == code},
        location=d["address"] or location, lat=d["lat"], lon=d["lng"],
        anonymous=d["anonymous"], confidential=d["secret"],
        reporter_name=reporter.get("name") or "",
        reporter_contact=join_contact(reporter.get("phone"), reporter.get("email")),
        photos=d["photos"], replies=replies, history=[
            RemoteEvent(to_utc(e["created_at"]), e["remote_status"], e["note"])
            for e in m.history_to_portal(complaint.get(m.Field.DATA_LOGS) or client.get_complaint(
                int(d["remote_id"])).get(m.Field.DATA_LOGS) or [])])


def followup_kind(update) -> str:
    """Which template a follow-up for `update` needs."""
    if update.kind == "response" and update.status == api.SELESAI:
        return FOLLOWUP_RESOLVED
    if update.status == api.TUNDA:
        return FOLLOWUP_INFORMATION
    return FOLLOWUP_IN_PROCESS


def template_for(config, kind) -> str:
    """The admin's template code for `kind`; SP4N refuses a follow-up without one."""
    code = config.get(TEMPLATE_KEYS[kind]) or ""
    if not code:
        raise RemoteRejected(missing_template_message(kind), status=422)
    return code


def missing_template_message(kind) -> str:
    return (f"Kode template tindak lanjut \"{KIND_NAMES[kind]}\" untuk SP4N-LAPOR! belum "
            "dipilih; admin memilihnya di halaman Konektor.")


def publish_requirements(config, publication) -> list[str]:
    """SP4N refuses a resolving follow-up without an attachment or without
    its template code (sp4n-api.md, followup/add)."""
    refusals = []
    if publication.photos < 1:
        refusals.append("SP4N-LAPOR! mewajibkan minimal satu foto pada tindak lanjut yang "
                        "menyelesaikan laporan; lampirkan foto pada tindak lanjut.")
    if not config.get(TEMPLATE_KEYS[FOLLOWUP_RESOLVED]):
        refusals.append(missing_template_message(FOLLOWUP_RESOLVED))
    return refusals


def push(config, update):
    kind = followup_kind(update)
    if update.kind == "response":
        if update.status == api.SELESAI and not update.photos:
            raise RemoteRejected("SP4N mewajibkan foto pada tindak lanjut yang menyelesaikan "
                                 "laporan; lampirkan foto pada tindak lanjut.", status=422)
        return _post_followup(config, update, update.text, template_for(config, kind))
    target = m.status_from_portal(update.status)
    before = m.status_from_portal(update.previous_status) if update.previous_status else None
    if update.text and update.kind == "status" and update.status == api.MENUNGGU_ANGGARAN:
        # The reporter must read why and until which fiscal year it waits.
        return _post_followup(config, update, update.text, template_for(config, kind))
    if target == m.STATUS_IN_PROCESS and before != m.STATUS_IN_PROCESS:
        text = (update.text
                or f"Laporan Anda sedang ditangani: {api.status_label(update.status)}.")
        return _post_followup(config, update, text, template_for(config, kind))
    return PushResult(note="SP4N tidak punya endpoint status; statusnya mengikuti tindak lanjut.")


def _post_followup(config, update, text, template_code) -> PushResult:
    client = client_for(config)
    try:
        complaint_id = int(update.external_id)
        if update.attempt:
            # No idempotency keys: an earlier post may have landed with its answer lost.
            found = client.find_followup(complaint_id, text)
            if found:
                return PushResult(str(found[m.Field.ID]), "sudah terkirim sebelumnya",
                                  remote_status=m.FOLLOWUP_STATUS_NAME)
        result = client.add_followup(complaint_id, text, template_code=template_code,
                                     attachments=uploads(update.photos))
        return PushResult(str(result[m.Result.FOLLOWUP_ID]), remote_status=m.FOLLOWUP_STATUS_NAME)
    finally:
        client.close()


def forward(config, complaint):
    client = client_for(config)
    try:
        if complaint.attempt:
            # A lost answer may hide a complaint SP4N did create: look first.
            found = _find_forwarded(client, complaint)
            if found:
                return PushResult(found, "sudah terkirim sebelumnya")
        ids = client.upload_complaint_files(uploads(complaint.photos)) if complaint.photos else []
        contact = split_contact(complaint.reporter_contact)
        result = client.create_complaint(
            title=complaint.title, content=complaint.body,
            classification_id=m.classification_from_portal(complaint.classification),
            category_id=int((config["category_ids"] or {}).get(complaint.category)
                            or config["default_category_id"]),
            location_id=int(config["location_id"] or config["institution_id"]),
            date_of_incident=complaint.created_at.date().isoformat(),
            is_anonymous=complaint.anonymous, is_secret=complaint.confidential,
            reporter=None if complaint.anonymous else {"name": complaint.reporter_name, **contact},
            attachment_ids=ids)
        return PushResult(str(result[m.Result.COMPLAINT_ID]))
    finally:
        client.close()


def _find_forwarded(client: Sp4nClient, complaint) -> str | None:
    """Our forwarded complaint, if SP4N has it (see `mapping.is_forwarded_copy`)."""
    started = complaint.attempted_at or complaint.created_at
    not_before = (started.replace(tzinfo=timezone.utc)
                  - timedelta(seconds=m.FORWARD_CLOCK_SKEW_SECONDS))
    for remote in client.read_disposition_pass(not_before).items:
        if m.is_forwarded_copy(remote, complaint.title, complaint.body, not_before):
            return str(remote[m.Field.COMPLAINT_ID])
    return None


def health(config):
    client = client_for(config)
    try:
        templates = client.templates()
        message = f"terhubung; {len(templates)} template tindak lanjut"
        unset = [KIND_NAMES[k] for k, key in TEMPLATE_KEYS.items() if not config.get(key)]
        if unset:
            message += "; template belum dipilih: " + ", ".join(unset)
        return Health(True, message)
    finally:
        client.close()


def choices(config):
    """SP4N's follow-up templates, the options for each kind's template code."""
    client = client_for(config)
    try:
        options = [(str(t[m.Field.CODE]), f"{t[m.Field.CODE]} — {t.get(m.Field.NAME) or ''}")
                   for t in client.templates()]
    finally:
        client.close()
    return {key: options for key in TEMPLATE_KEYS.values()}


class Sp4nConnector(Connector):
    """SP4N-LAPOR!: polled (no webhooks), forwards web-form complaints."""

    name = NAME
    label = "SP4N-LAPOR!"
    config_schema = CONFIG

    def __init__(self):
        self.version = distribution_version()

    def fetch(self, config, cursor, external_id=None):
        return fetch(config, cursor, external_id)

    def push(self, config, update):
        return push(config, update)

    def forward(self, config, complaint):
        return forward(config, complaint)

    def health(self, config):
        return health(config)

    def publish_requirements(self, config, publication):
        return publish_requirements(config, publication)

    def choices(self, config):
        return choices(config)


# One instance per process: the engine asks the registry for it on every
# pull, push and webhook.
CONNECTOR = Sp4nConnector()


@hookimpl
def aduan_connectors():
    return [CONNECTOR]
