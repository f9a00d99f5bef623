"""Changing one complaint's severity (tingkat) after it arrived.

Not a workflow transition: the status stays, and the internal timeline
event carries no `status_after`, so connectors and digests see no status
change.  The deadline hook (portal.deadline_hooks.RULE_CHANGES) still
derives the due date again under the rule for the new severity.
"""
from flask_babel import gettext as _

from portal.clock import utcnow
from portal.complaints import service as complaints, workflow
from portal.complaints.casework import actor_name
from portal.complaints.models import Complaint, TimelineEvent
from portal.db import write_transaction
from portal.directory import severity

KIND = "tingkat"


def may_change(user, complaint: Complaint) -> bool:
    """The city admin, or an operator of the OPD holding the complaint."""
    if user.role == workflow.ADMIN:
        return True
    return (user.role == workflow.OPERATOR and user.opd_id is not None
            and user.opd_id == complaint.opd_id)


def change(complaint: Complaint, user, level: str) -> TimelineEvent | None:
    """Set the severity; None when it already was `level`."""
    if not may_change(user, complaint):
        raise workflow.TransitionRefused(_("Anda tidak dapat mengubah tingkat aduan ini."))
    new = severity.normalize(level)
    if not new:
        raise workflow.InputMissing(_("Pilih tingkat: ringan, sedang, atau berat."))
    with write_transaction():
        fresh = Complaint.get_by_id(complaint.id)
        if fresh.severity == new:
            return None
        old = fresh.severity
        Complaint.update(severity=new, updated_at=utcnow()).where(Complaint.id == fresh.id).execute()
        complaint.severity = new
        text = _("Tingkat: %(old)s → %(new)s", old=severity.label(old), new=severity.label(new))
        return complaints.record(complaint, KIND, actor_name(user), text=text, public=False,
                                 actor_user=user)
