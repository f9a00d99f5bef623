"""Cross-channel duplicates: the same matter sent through Rabeg, SP4N and the
web form.  Detection only flags a pair for the admin; merging is the admin's
decision.  A merged complaint keeps every external id, so each later status
change is pushed to every channel it came from.
"""
import difflib
import json
import re
from datetime import timedelta

from flask_babel import gettext as _

from portal.complaints import service as complaints, workflow
from portal.db import write_transaction
from portal.plugins.hookspecs import hookimpl
from portal.complaints.models import Complaint
from portal.clock import utcnow
from portal.sync import config as sync_config
from portal.sync.models import DISMISSED, MERGED, OPEN, DuplicateFlag, ExternalRef, OutboxItem

SIMILARITY = 0.75  # of normalised title + text: a re-post with small edits, not just the same street
MAX_CANDIDATES = 500
CLOSED = (workflow.DITOLAK, workflow.DIARSIPKAN, workflow.DITUTUP)


class MergeRefused(Exception):
    pass


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"\+?\d[\d\s().-]{6,}\d")


def contacts(text: str) -> set[str]:
    """Emails and phone numbers in a contact field, normalised (0812… = +62812…)."""
    text = (text or "").lower()
    found = set(EMAIL.findall(text))
    for number in PHONE.findall(EMAIL.sub(" ", text)):
        digits = re.sub(r"\D", "", number)
        if digits.startswith("62"):
            digits = "0" + digits[2:]
        if len(digits) >= 8:
            found.add(digits)
    return found


def _words(complaint) -> str:
    return " ".join(re.findall(r"\w+", f"{complaint.title} {complaint.body}".lower()))[:1500]


def find_for(complaint, days: float) -> list[tuple[Complaint, str]]:
    """Recent open complaints that look like `complaint`, with the reason."""
    since = (complaint.created_at or utcnow()) - timedelta(days=days)
    others = (Complaint.select()
              .where((Complaint.id != complaint.id) & (Complaint.created_at >= since)
                     & Complaint.status.not_in(CLOSED))
              .order_by(Complaint.created_at.desc()).limit(MAX_CANDIDATES))
    own_contacts = contacts(complaint.reporter_contact)
    # SequenceMatcher caches what it learnt about seq2: the new text goes there, once.
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(_words(complaint))
    found = []
    for other in others:
        if own_contacts & contacts(other.reporter_contact):
            found.append((other, _("Kontak pelapor sama")))
            continue
        matcher.set_seq1(_words(other))
        if (matcher.real_quick_ratio() >= SIMILARITY and matcher.quick_ratio() >= SIMILARITY
                and matcher.ratio() >= SIMILARITY):
            found.append((other, _("Isi laporan sangat mirip")))
    return found


@hookimpl
def aduan_timeline_event(complaint, event):
    """Flag possible duplicates the moment a complaint arrives, by any channel."""
    if event.kind != "dibuat":
        return
    days = float(sync_config.engine_setting("SYNC_DUPLICATE_DAYS"))
    for other, reason in find_for(complaint, days):
        DuplicateFlag.get_or_create(complaint=complaint.id, other=other.id,
                                    defaults={"reason": reason[:200]})


def open_flags():
    return list(DuplicateFlag.select().where(DuplicateFlag.state == OPEN)
                .order_by(DuplicateFlag.created_at.desc()))


def dismiss(flag: DuplicateFlag, user) -> None:
    flag.state, flag.resolved_by, flag.resolved_at = DISMISSED, user, utcnow()
    flag.save()


def merge(flag: DuplicateFlag, keep_id: int, user) -> Complaint:
    """Fold one complaint of the pair into the other.

    The absorbed one gives its external ids to the kept one and is archived;
    every channel it came from is told the kept complaint's current status.
    Only a complaint nobody works on yet (baru/tunda) can be absorbed.
    """
    if keep_id not in (flag.complaint_id, flag.other_id):
        raise MergeRefused(_("Laporan yang dipertahankan harus salah satu dari pasangan ini."))
    absorbed_id = flag.other_id if keep_id == flag.complaint_id else flag.complaint_id
    actor = user.full_name or user.username
    with write_transaction():
        keep = Complaint.get_by_id(keep_id)
        absorbed = Complaint.get_by_id(absorbed_id)
        try:
            workflow.check("arsipkan", absorbed.status, workflow.ADMIN)
        except workflow.TransitionRefused:
            raise MergeRefused(_("Laporan %(code)s sudah diproses OPD; pertahankan laporan itu "
                                 "dan gabungkan yang lain ke dalamnya.",
                                 code=absorbed.display_code)) from None
        moved = list(ExternalRef.select().where(ExternalRef.complaint == absorbed.id))
        ExternalRef.update(complaint=keep.id).where(ExternalRef.complaint == absorbed.id).execute()
        complaints.record(keep, "digabung", actor, actor_user=user, text=_(
            "Laporan %(code)s (kanal %(channel)s) digabung ke laporan ini.",
            code=absorbed.display_code, channel=absorbed.channel))
        complaints.perform(absorbed, "arsipkan", role=workflow.ADMIN, actor=actor,
                           actor_user=user, text=_("Digabung ke laporan %(code)s.",
                                                   code=keep.display_code))
        for ref in moved:  # the newly joined channels learn where the matter stands
            OutboxItem.create(connector=ref.channel, complaint=keep.id, kind="status",
                              payload=json.dumps({"status": keep.status, "previous_status": None,
                                                  "event_ids": [], "text": "",
                                                  "external_id": ref.external_id}))
        (DuplicateFlag.update(state=MERGED, resolved_by=user, resolved_at=utcnow())
         .where((DuplicateFlag.state == OPEN)
                & ((DuplicateFlag.complaint == absorbed.id) | (DuplicateFlag.other == absorbed.id)))
         .execute())
    return keep
