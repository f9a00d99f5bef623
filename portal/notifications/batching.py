"""Sending what waited: notices held for quiet hours or a batch interval go
out as one digest per person and channel once their wait is over.

The digest's key names the person, the channel and the held notices' ids,
so running this twice (two workers, a retried task) makes one digest.  The
held rows become DIGESTED in the same transaction that creates the digest.
"""
from flask_babel import gettext as _

from portal import clock, config
from portal.db import database
from portal.notifications import service as notifications
from portal.notifications.service import Notification

MAX_LINES = 20


def _digest_text(rows) -> str:
    lines = [f"- {n.subject}\n  {n.link}" if n.link else f"- {n.subject}" for n in rows[:MAX_LINES]]
    if len(rows) > MAX_LINES:
        lines.append(_("... dan %(n)d lainnya di aplikasi.", n=len(rows) - MAX_LINES))
    return "\n".join(lines)


def release_due(now=None) -> list[int]:
    """Create the digests whose wait has ended; their ids (to deliver)."""
    now = now or clock.utcnow()
    due = list(Notification.select()
               .where((Notification.state == notifications.HELD)
                      & (Notification.hold_until <= now))
               .order_by(Notification.id))
    groups: dict = {}
    for row in due:
        groups.setdefault((row.user_id, row.address, row.channel), []).append(row)
    created = []
    for (user_id, address, channel), rows in groups.items():
        if len(rows) == 1:
            # One notice is sent as it is: its own deep link, its own template.
            changed = (Notification.update(state=notifications.PENDING, hold_until=None)
                       .where((Notification.id == rows[0].id)
                              & (Notification.state == notifications.HELD)).execute())
            if changed:
                created.append(rows[0].id)
            continue
        ids = [r.id for r in rows]
        with database.atomic() as transaction:
            changed = (Notification.update(state=notifications.DIGESTED)
                       .where(Notification.id.in_(ids)
                              & (Notification.state == notifications.HELD)).execute())
            if changed != len(ids):
                transaction.rollback()  # another worker took some of them
                continue
            subject = _("%(n)d pemberitahuan Aduan", n=len(rows))
            digest = notifications.create(
                f"ringkasan-serah:{user_id or address}:{channel}:{ids[0]}-{ids[-1]}:{len(ids)}",
                channel, subject, body=_digest_text(rows), user=user_id, address=address,
                kind="ringkasan_serah", link=f"{config.get('BASE_URL')}/staf/notifikasi")
            if digest:
                created.append(digest)
    return created
