"""Recognising our own forwarded complaint when a channel lists it back.

A forward whose answer was lost leaves a complaint on the remote side whose
id we do not know.  The next poll may bring it back before the outbox retry
finds it; it must then be linked to the local complaint it came from, never
created a second time.  A fetched item counts as our copy when a forward to
that channel is still pending or uncertain (attempted, no remote id yet, the
complaint not linked to the channel), the title and text are the same, and
the remote copy was created after the first attempt began.
"""
from datetime import timedelta

from peewee import IntegrityError

from portal.clock import utcnow
from portal.complaints.models import Complaint
from portal.db import database
from portal.sync.items import RemoteComplaint
from portal.sync.models import DEAD, DONE, PENDING, ExternalRef, OutboxItem

# Remote clocks may run a little behind ours and count whole seconds.
CLOCK_SKEW = timedelta(minutes=2)


def _words(text: str | None) -> str:
    return " ".join((text or "").split())


def _uncertain_forwards(channel: str):
    linked = ExternalRef.select(ExternalRef.complaint).where(ExternalRef.channel == channel)
    return (OutboxItem.select(OutboxItem, Complaint).join(Complaint)
            .where((OutboxItem.connector == channel) & (OutboxItem.kind == "forward")
                   & OutboxItem.state.in_((PENDING, DEAD)) & OutboxItem.remote_id.is_null()
                   & OutboxItem.attempted_at.is_null(False)
                   & OutboxItem.complaint.not_in(linked))
            .order_by(OutboxItem.id))


def find_forward(channel: str, item: RemoteComplaint) -> OutboxItem | None:
    """The pending or uncertain forward `item` is the remote copy of, if any."""
    if item.created_at is None:
        return None  # cannot tell it was created after our attempt
    wanted = (_words(item.title), _words(item.body))
    for row in _uncertain_forwards(channel):
        if (item.created_at >= row.attempted_at - CLOCK_SKEW
                and (_words(row.complaint.title), _words(row.complaint.body)) == wanted):
            return row
    return None


def link(channel: str, item: RemoteComplaint) -> ExternalRef | None:
    """Link `item` to the local complaint we forwarded it from and settle the
    forward; None when it is not one of ours."""
    row = find_forward(channel, item)
    if row is None:
        return None
    try:
        with database.atomic():
            ref = ExternalRef.create(complaint=row.complaint_id, channel=channel,
                                     external_id=item.external_id,
                                     remote_updated_at=item.updated_at,
                                     remote_status=item.remote_status[:64])
            (OutboxItem.update(state=DONE, remote_id=item.external_id, delivered_at=utcnow(),
                               last_error="dikenali saat tarikan; jawaban kirim sebelumnya hilang")
             .where((OutboxItem.id == row.id) & (OutboxItem.state != DONE)).execute())
    except IntegrityError:
        # The outbox retry found and linked it at the same moment.
        return ExternalRef.get_or_none((ExternalRef.channel == channel)
                                       & (ExternalRef.external_id == item.external_id))
    return ref
