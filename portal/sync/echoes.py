"""Telling the remote's own changes from the echo of ours (issue 10.3).

A push that lands late (the channel was down while staff moved on) leaves
the remote showing an older status, stamped newer than our last change.
Taken as a remote change it reopened a published complaint and sent the
citizen an SMS.  So: every delivered outbox row records the remote status
it caused (`OutboxItem.sent_status`, with its change id as key), and a
listed status we caused is ours, not news.  Of what remains, only a move
forward in the workflow is applied, or a reopening the reporter really
made (a reply of theirs after our last delivery); anything else is a
conflict for staff to settle.
"""
from peewee import fn

from portal.complaints import workflow
from portal.sync.models import DONE, ExternalRef, OutboxItem, RemoteMessage

# How far along the workflow each status is.  Ends (closed, rejected,
# archived) are the furthest: nothing from a channel moves a complaint out.
PROGRESS = {
    workflow.TUNDA: 0,
    workflow.BARU: 1,
    workflow.DITERUSKAN: 2,
    workflow.DILAPORKAN: 3,
    workflow.DIDISPOSISI: 4,
    workflow.MENUNGGU_ANGGARAN: 5,
    workflow.DITINDAKLANJUTI: 6,
    workflow.SELESAI: 7,
    workflow.DITUTUP: 8,
    workflow.DITOLAK: 8,
    workflow.DIARSIPKAN: 8,
}
# The one way back a reporter may take: "belum selesai" on a published answer.
REOPENINGS = {(workflow.SELESAI, workflow.DITERUSKAN)}


def moves_forward(current: str, target: str) -> bool:
    return PROGRESS.get(target, -1) > PROGRESS.get(current, 99)


def is_reopening(current: str, target: str) -> bool:
    return (current, target) in REOPENINGS


def _delivered(channel: str, ref: ExternalRef):
    return OutboxItem.select().where((OutboxItem.connector == channel)
                                     & (OutboxItem.complaint == ref.complaint_id)
                                     & (OutboxItem.state == DONE))


def last_delivery(channel: str, ref: ExternalRef):
    return (_delivered(channel, ref).select(fn.MAX(OutboxItem.delivered_at)).scalar())


def is_echo(channel: str, ref: ExternalRef, remote_status: str) -> bool:
    """The remote shows a status one of our deliveries caused, and the
    reporter has not acted since: it is our own change coming back."""
    if not remote_status:
        return False
    caused = (_delivered(channel, ref).where(OutboxItem.sent_status == remote_status[:64])
              .exists())
    return caused and not reporter_acted(channel, ref)


def reporter_acted(channel: str, ref: ExternalRef) -> bool:
    """A reply of the reporter reached us after our last delivery to them."""
    replies = RemoteMessage.select().where((RemoteMessage.channel == channel)
                                           & (RemoteMessage.complaint == ref.complaint_id))
    since = last_delivery(channel, ref)
    if since is not None:
        replies = replies.where(RemoteMessage.created_at >= since)
    return replies.exists()
