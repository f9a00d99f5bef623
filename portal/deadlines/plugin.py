"""Built-in plugin: keep deadlines and citizens up to date on every transition.

Runs inside the transaction that records the event (see
`hookspecs.aduan_timeline_event`): it only writes rows and enqueues delivery.
"""
from flask_babel import gettext as _

from portal import config
from portal.complaints.models import Complaint
from portal.deadlines import sla as deadlines
from portal.notifications import service as notifications
from portal.notifications.tasks import deliver_all
from portal.plugins.hookspecs import hookimpl


def citizen_update(complaint, event) -> list[int]:
    """A message to the reporter for a public status change, if they left a contact."""
    reach = notifications.citizen_channel(complaint.reporter_contact,
                                           whatsapp=complaint.notify_whatsapp)
    if reach is None:
        return []
    channel, address = reach
    subject = _("Laporan %(code)s: %(status)s", code=complaint.display_code,
                status=complaint.status_label)
    if complaint.confidential:
        # Email and SMS pass through other hands: a confidential complaint's
        # content (title, responses) stays behind the tracking code.
        body = _("Status laporan rahasia Anda kini: %(status)s. Rinciannya ada di halaman "
                 "pelacakan.", status=complaint.status_label)
    else:
        body = _("Status laporan Anda \"%(title)s\" kini: %(status)s.",
                 title=complaint.title, status=complaint.status_label)
    if event.text and not complaint.confidential:
        body += "\n\n" + event.text
    link = f"{config.get('BASE_URL')}/lacak/{complaint.display_code}"
    created = notifications.create(f"status:{event.id}:{channel}", channel, subject, body=body,
                                   address=address, complaint=complaint, kind="status", link=link)
    return [created] if created else []


# Events that keep the status but change which SLA rule applies.
RULE_CHANGES = frozenset({"tingkat"})  # portal.severity_changes


@hookimpl
def aduan_timeline_event(complaint, event):
    if not event.status_after and event.kind not in RULE_CHANGES:
        return  # notes and reads move no clock
    # Re-read: the caller's object may predate changes made by other code.
    fresh = Complaint.get_by_id(complaint.id)
    deadlines.refresh(fresh)
    for field in ("due_at", "due_stage", "due_rule_id", "escalate_admin_at", "budget_year"):
        setattr(complaint, field, getattr(fresh, field))
    if event.public:
        deliver_all(citizen_update(complaint, event))
