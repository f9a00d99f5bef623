"""The "balasan baru" badge: the reporter wrote since the OPD last looked.

Rule: a complaint has a new reply when the reporter's latest message
(`Complaint.reply_at`) is later than the last time a staff member holding
the complaint opened its detail page (`Complaint.opd_seen_at`).  Holding
means: of the complaint's OPD; or, while it has no OPD (waiting for
verification), a city admin.  Auditors and admins looking at an OPD's
complaint do not clear the badge: answering it is the OPD's job.

Reporter messages are every timeline event the reporter wrote: replies
copied by connectors (SP4N, Rabeg), and on the tracking page extra
information and "belum selesai".  This module is a built-in plugin: the
`aduan_timeline_event` hook stamps `reply_at` in the transaction that
records the message, whatever channel it came through.
"""
from portal.clock import utcnow
from portal.complaints import workflow
from portal.complaints.models import Complaint
from portal.plugins.hookspecs import hookimpl

REPORTER_KINDS = frozenset({"balasan_pelapor", "info_pelapor", "tambah_info", "belum_selesai"})


@hookimpl
def aduan_timeline_event(complaint, event):
    if event.kind in REPORTER_KINDS:
        # Not updated_at: a connector's own reply must not look like a local
        # change to the sync engine's conflict check.
        (Complaint.update(reply_at=event.created_at)
         .where((Complaint.id == complaint.id)
                & (Complaint.reply_at.is_null() | (Complaint.reply_at < event.created_at)))
         .execute())
        complaint.reply_at = max(filter(None, (complaint.reply_at, event.created_at)))


def holds(user, complaint) -> bool:
    if complaint.opd_id is None:
        return user.role == workflow.ADMIN
    return user.opd_id is not None and user.opd_id == complaint.opd_id


def mark_seen(complaint, user):
    """Record that the holder opened it; return when it was seen before (or None)."""
    before = complaint.opd_seen_at
    if holds(user, complaint):
        now = utcnow()
        Complaint.update(opd_seen_at=now).where(Complaint.id == complaint.id).execute()
        complaint.opd_seen_at = now
    return before


def is_new(complaint) -> bool:
    return bool(complaint.reply_at) and (complaint.opd_seen_at is None
                                         or complaint.reply_at > complaint.opd_seen_at)


def new_condition():
    """The same rule as `is_new`, for the queue filter."""
    return (Complaint.reply_at.is_null(False)
            & (Complaint.opd_seen_at.is_null() | (Complaint.reply_at > Complaint.opd_seen_at)))


def unseen_events(events, seen_before) -> set[int]:
    """Ids of the reporter's events that arrived after `seen_before`."""
    return {e.id for e in events
            if e.kind in REPORTER_KINDS and (seen_before is None or e.created_at > seen_before)}
