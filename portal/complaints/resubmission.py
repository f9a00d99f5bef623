"""The same complaint sent again: a citizen presses Back after submitting and
sends the form once more, now with a fresh idempotency token.

Within an hour, the same content (title, description and category, ignoring
spacing and case) from the same contact or the same browser session is the
first complaint, not a new one.  The lookup goes through the index on
(content_hash, created_at); `claim` serialises identical submissions so
twenty at once still make one complaint.
"""
import hashlib
from dataclasses import dataclass
from datetime import timedelta
from functools import reduce
from operator import or_

from portal.clock import utcnow
from portal.complaints.models import Complaint
from portal.db import database, first_compiled, is_sqlite

WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Sender:
    """Who sent a complaint, as far as resubmission goes."""
    contact: str = ""  # normalised (portal.contact)
    session: str = ""  # a random id kept in the browser session

    @property
    def submitter(self) -> str | None:
        if not self.session:
            return None
        return hashlib.sha256(self.session.encode()).hexdigest()[:32]


def _fold(text) -> str:
    return " ".join(str(text or "").split()).casefold()


def content_hash(fields: dict) -> str:
    category = fields.get("category")
    category_id = getattr(category, "id", category) or ""
    key = "\x1f".join((_fold(fields.get("title")), _fold(fields.get("body")), str(category_id)))
    return hashlib.sha256(key.encode()).hexdigest()


def claim(digest: str) -> None:
    """Inside the write transaction: identical submissions take turns.

    SQLite's IMMEDIATE transaction already lets one writer in at a time; on
    PostgreSQL a transaction-scoped advisory lock on the hash does it, so the
    second one looks only after the first has committed."""
    if not is_sqlite():
        database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (int(digest[:15], 16),))


def earlier(digest: str, sender: Sender) -> Complaint | None:
    """The first complaint with this content from this sender within the hour."""
    same_sender = []
    if sender.contact:
        same_sender.append(Complaint.reporter_contact == sender.contact)
    if sender.submitter:
        same_sender.append(Complaint.submitter == sender.submitter)
    if not same_sender:
        return None
    since = utcnow() - WINDOW
    query = (Complaint.select()
             .where((Complaint.content_hash == digest) & (Complaint.created_at >= since)
                    & reduce(or_, same_sender))
             .order_by(Complaint.created_at, Complaint.id))
    values = (digest, since, *(v for v in (sender.contact, sender.submitter) if v))
    return first_compiled(f"resubmission:{len(same_sender)}:{bool(sender.contact)}", query, *values)
