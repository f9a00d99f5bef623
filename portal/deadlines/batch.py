"""Set-based helpers for the periodic passes: a pass makes the same handful
of queries whether ten complaints crossed a threshold or ten thousand.

Notifications keep their meaning (portal.notifications.service): one row per
unique key, an app notification plus one on the channel the person chose in
their settings (email, WhatsApp, push; held in their quiet hours), and a key
that exists already creates nothing.
"""
from portal import clock
from portal.accounts.models import User
from portal.complaints.models import Complaint
from portal.db import database
from portal.notifications import preferences
from portal.notifications.service import APP, HELD, PENDING, Notification

# Rows per statement: well under SQLite's 32,766 and PostgreSQL's 65,535
# parameters, and large enough that a normal pass is one statement.
ROWS = 2000
KEYS = 10000


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def active_staff() -> dict:
    """{(role, opd id or None): [users, by id]} of every active staff member: one query."""
    by_role: dict = {}
    for user in User.select().where(User.active).order_by(User.id):
        by_role.setdefault((user.role, user.opd_id), []).append(user)
    return by_role


def notify(items: list) -> list[int]:
    """Create the notifications in `items` that do not exist yet; their ids.

    Each item: (user, key, subject, body, kind, complaint or None, link).
    """
    now = clock.utcnow()
    settings = preferences.for_users({item[0].id: item[0] for item in items}.values())
    rows, seen = [], set()
    for user, key, subject, body, kind, complaint, link in items:
        pref = settings[user.id]
        chosen, chosen_address = preferences.channel_of(user, pref)
        chosen_hold = preferences.hold_until(pref) if chosen else None
        for channel, address, hold in ((APP, None, None), (chosen, chosen_address, chosen_hold)):
            full_key = f"{key}:{channel}"
            if channel is None or full_key in seen:
                continue
            seen.add(full_key)
            rows.append({"key": full_key, "channel": channel, "subject": subject[:200],
                         "body": body, "user": user.id, "address": address,
                         "complaint": complaint.id if complaint is not None else None,
                         "kind": kind, "link": link, "created_at": now,
                         "state": HELD if hold else PENDING, "hold_until": hold})
    if not rows:
        return []
    with database.atomic():
        existing = set()
        for keys in chunks([r["key"] for r in rows], KEYS):
            existing.update(k for (k,) in Notification.select(Notification.key)
                            .where(Notification.key.in_(keys)).tuples())
        new = [r for r in rows if r["key"] not in existing]
        for part in chunks(new, ROWS):
            Notification.insert_many(part).on_conflict_ignore().execute()
        ids = {}
        for keys in chunks([r["key"] for r in new], KEYS):
            ids.update(Notification.select(Notification.key, Notification.id)
                       .where(Notification.key.in_(keys)).tuples())
    # Held rows wait for the digest task, which sends them when the quiet hours end.
    return [ids[r["key"]] for r in new if r["key"] in ids and r["state"] != HELD]


def mark(ids: list[int], **values) -> None:
    """Set `values` on the complaints `ids` (what a pass has done for them)."""
    for part in chunks(sorted(set(ids)), KEYS):
        Complaint.update(**values).where(Complaint.id.in_(part)).execute()
