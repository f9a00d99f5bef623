"""Cross-channel duplicates: the same matter sent through Rabeg, SP4N and the
web form.  Detection, run after each arrival commits, only groups similar
complaints under one flag for the admin; merging is the admin's decision.
A merged complaint keeps every external id, so each later status
change is pushed to every channel it came from.
"""
import difflib
import json
import re
from datetime import timedelta

import peewee
from flask_babel import gettext as _

from portal.clock import utcnow
from portal.complaints import service as complaints, workflow
from portal.complaints.models import Complaint
from portal.db import database, is_sqlite, write_transaction
from portal.plugins.hookspecs import hookimpl
from portal.sync import config as sync_config
from portal.sync.models import (
    DISMISSED,
    MERGED,
    OPEN,
    ComplaintContact,
    DuplicateFlag,
    DuplicateMember,
    ExternalRef,
    OutboxItem,
)
from portal.tasks.app import enqueue, huey

SIMILARITY = 0.75  # of normalised title + text: a re-post with small edits, not just the same street
MAX_CANDIDATES = 50  # default of SYNC_DUPLICATE_CANDIDATES
PAGE_SIZE = 20  # groups per page of the admin list
MEMBERS_SHOWN = 10  # members listed per group; a merge folds in the rest too
GROUPING_LOCK = 0x616475616E  # PostgreSQL advisory lock id ("aduan")
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


def _open_recent(complaint, days: float):
    since = (complaint.created_at or utcnow()) - timedelta(days=days)
    return ((Complaint.id != complaint.id) & (Complaint.created_at >= since)
            & Complaint.status.not_in(CLOSED))


def candidates(complaint, days: float, limit: int) -> tuple[list[Complaint], list[Complaint]]:
    """(same contact, same kind): at most `limit` each, the most recent first.

    Both come from indexes (complaint_contact.key; complaint's category and
    created_at), so the work per arrival does not grow with the table.  Same
    kind is the same category, or no category on either side (connectors
    often bring none).
    """
    recent = _open_recent(complaint, days)
    keys = contacts(complaint.reporter_contact)
    same_contact = []
    if keys:
        same_contact = list(Complaint.select().where(recent & Complaint.id.in_(
            ComplaintContact.select(ComplaintContact.complaint)
            .where(ComplaintContact.key.in_(sorted(keys)))))
            .order_by(Complaint.created_at.desc()).limit(limit))
    kind = True
    if complaint.category_id is not None:
        kind = (Complaint.category == complaint.category_id) | Complaint.category.is_null()
    same_kind = list(Complaint.select().where(recent & kind)
                     .order_by(Complaint.created_at.desc()).limit(limit))
    return same_contact, same_kind


def find_for(complaint, days: float, limit: int = MAX_CANDIDATES) -> list[tuple[Complaint, str]]:
    """Recent open complaints that look like `complaint`, with the reason."""
    same_contact, same_kind = candidates(complaint, days, limit)
    found = [(other, _("Kontak pelapor sama")) for other in same_contact]
    seen = {other.id for other in same_contact}
    # SequenceMatcher caches what it learnt about seq2: the new text goes there, once.
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(_words(complaint))
    for other in same_kind:
        if other.id in seen:
            continue
        matcher.set_seq1(_words(other))
        if (matcher.real_quick_ratio() >= SIMILARITY and matcher.quick_ratio() >= SIMILARITY
                and matcher.ratio() >= SIMILARITY):
            found.append((other, _("Isi laporan sangat mirip")))
    return found


def remember_contacts(complaint) -> None:
    rows = [{"complaint": complaint.id, "key": key[:200]}
            for key in sorted(contacts(complaint.reporter_contact))]
    if rows:
        ComplaintContact.insert_many(rows).on_conflict_ignore().execute()


@hookimpl
def aduan_timeline_event(complaint, event):
    """Look for duplicates of each arrival, by any channel, once it is committed.

    Never inside the arrival's transaction: the comparison would hold the
    write lock (SQLite) while it reads and compares.
    """
    if event.kind != "dibuat":
        return
    enqueue(find_duplicates_task, complaint.id)


@huey.task()
def find_duplicates_task(complaint_id: int) -> int | None:
    """Group a new arrival with what it resembles; the group's flag id, if any."""
    flag = check(complaint_id)
    return flag.id if flag else None


def check(complaint_id: int) -> DuplicateFlag | None:
    """Record the arrival's contacts and put it in the group of what it resembles."""
    complaint = Complaint.get_or_none(Complaint.id == complaint_id)
    if complaint is None:
        return None
    remember_contacts(complaint)
    days = float(sync_config.engine_setting("SYNC_DUPLICATE_DAYS"))
    limit = int(sync_config.engine_setting("SYNC_DUPLICATE_CANDIDATES"))
    found = find_for(complaint, days, limit)
    return join_group(complaint, found) if found else None


def join_group(complaint, found: list[tuple[Complaint, str]]) -> DuplicateFlag:
    """One open flag per group: the arrival joins the group of the first
    complaint it resembles that has one, else opens a group with them."""
    reasons = {other.id: reason[:200] for other, reason in reversed(found)}
    with write_transaction():
        _one_grouper_at_a_time()
        mine = _open_group_of([complaint.id])
        if mine is not None:  # already placed (the task ran twice)
            return mine
        group = _open_group_of(list(reasons))
        if group is not None:
            member_ids = {m.complaint_id for m in group.members}
            first = next(other.id for other, _r in found if other.id in member_ids)
            DuplicateMember.create(flag=group, complaint=complaint.id, reason=reasons[first])
            return group
        anchor = found[0][0]
        group = DuplicateFlag.create(complaint=complaint.id, other=anchor.id,
                                     reason=reasons[anchor.id])
        DuplicateMember.create(flag=group, complaint=anchor.id, reason="")
        DuplicateMember.create(flag=group, complaint=complaint.id, reason=reasons[anchor.id])
        return group


def _open_group_of(complaint_ids: list[int]) -> DuplicateFlag | None:
    return (DuplicateFlag.select().join(DuplicateMember)
            .where((DuplicateFlag.state == OPEN) & DuplicateMember.complaint.in_(complaint_ids))
            .order_by(DuplicateFlag.id).first())


def _one_grouper_at_a_time() -> None:
    """Two workers placing similar arrivals at once must not open two groups.
    SQLite's IMMEDIATE transaction already serialises them; PostgreSQL takes
    a transaction-level advisory lock."""
    if not is_sqlite():
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (GROUPING_LOCK,))


def open_flags(before: int | None = None, limit: int = PAGE_SIZE) -> tuple[list[dict], int | None]:
    """One page of open groups, newest first, and the id to continue before.

    Keyset pagination (id < before) keeps every page as cheap as the first;
    each group shows at most MEMBERS_SHOWN members plus how many more.
    """
    query = DuplicateFlag.select().where(DuplicateFlag.state == OPEN)
    if before is not None:
        query = query.where(DuplicateFlag.id < before)
    flags = list(query.order_by(DuplicateFlag.id.desc()).limit(limit + 1))
    more = len(flags) > limit
    flags = flags[:limit]
    if not flags:
        return [], None
    ids = [f.id for f in flags]
    counts = dict(DuplicateMember.select(DuplicateMember.flag, peewee.fn.COUNT(DuplicateMember.id))
                  .where(DuplicateMember.flag.in_(ids)).group_by(DuplicateMember.flag).tuples())
    rank = peewee.fn.ROW_NUMBER().over(partition_by=[DuplicateMember.flag],
                                order_by=[DuplicateMember.id]).alias("rank")
    ranked = (DuplicateMember.select(DuplicateMember.id, rank)
              .where(DuplicateMember.flag.in_(ids)))
    shown = (DuplicateMember.select(DuplicateMember, Complaint)
             .join(Complaint)
             .switch(DuplicateMember)
             .join(ranked, on=(ranked.c.id == DuplicateMember.id))
             .where(ranked.c.rank <= MEMBERS_SHOWN)
             .order_by(DuplicateMember.id))
    members: dict[int, list] = {i: [] for i in ids}
    for member in shown:
        members[member.flag_id].append(member)
    page = [{"flag": f, "members": members[f.id],
             "hidden": counts.get(f.id, 0) - len(members[f.id])} for f in flags]
    return page, (flags[-1].id if more else None)


def dismiss(flag: DuplicateFlag, user) -> None:
    flag.state, flag.resolved_by, flag.resolved_at = DISMISSED, user, utcnow()
    flag.save()


def merge(flag: DuplicateFlag, keep_id: int, user) -> Complaint:
    """Fold every other complaint of the group into the one kept.

    Each absorbed one gives its external ids to the kept one and is archived;
    every channel it came from is told the kept complaint's current status.
    Only a complaint nobody works on yet (baru/tunda) can be absorbed; members
    already closed stay as they are.
    """
    member_ids = [m.complaint_id for m in
                  DuplicateMember.select().where(DuplicateMember.flag == flag.id)
                  .order_by(DuplicateMember.id)]
    if keep_id not in member_ids:
        raise MergeRefused(_("Laporan yang dipertahankan harus salah satu dari kelompok ini."))
    actor = user.full_name or user.username
    with write_transaction():
        keep = Complaint.get_by_id(keep_id)
        absorbed = [c for c in Complaint.select().where(Complaint.id.in_(member_ids))
                    .order_by(Complaint.id) if c.id != keep.id and c.status not in CLOSED]
        for other in absorbed:
            try:
                workflow.check("arsipkan", other.status, workflow.ADMIN)
            except workflow.TransitionRefused:
                raise MergeRefused(_("Laporan %(code)s sudah diproses OPD; pertahankan laporan "
                                     "itu dan gabungkan yang lain ke dalamnya.",
                                     code=other.display_code)) from None
        for other in absorbed:
            _absorb(keep, other, user, actor)
        flag.state, flag.resolved_by, flag.resolved_at = MERGED, user, utcnow()
        flag.save()
    return keep


def _absorb(keep: Complaint, absorbed: Complaint, user, actor: str) -> None:
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
