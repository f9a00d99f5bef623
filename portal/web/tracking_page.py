"""The public tracking page `/lacak/<kode>`, shared by the citizen views
and the reporter's actions (which show it again with an error)."""
from portal.complaints import casework, service as complaints, workflow
from portal.complaints.models import Attachment
from portal.web.rendering import render


def render_tracking(complaint, status=200, **extra):
    # Three queries in all: the complaint with its category and OPD (joined
    # by the caller), every event, every attachment; the rest is filtering.
    events = complaints.timeline(complaint)
    attachments = list(complaint.attachments.order_by(Attachment.id))
    photos = [a for a in attachments if a.public]
    context = {"complaint": complaint, "events": [e for e in events if e.public],
               "photos": photos, **tracking_context(complaint, photos, events, attachments),
               **extra}
    response = render("citizen/lacak.html", status=status, **context)
    if complaint.confidential:
        # The code holder may see it; no browser history or proxy may keep it.
        response.headers["Cache-Control"] = "no-store"
    return response


def tracking_context(complaint, photos, events, attachments) -> dict:
    """What the tracking page adds for the reporter: the published response
    with its photos, and which forms to offer."""
    response, response_photos = casework.response_from(events, attachments)
    shown = {p.id for p in response_photos}
    return {
        "photos": [p for p in photos if p.id not in shown],
        "response": response,
        "response_photos": response_photos,
        "may_add_info": complaint.status in workflow.REPORTER_NOTE_STATUSES | {workflow.TUNDA},
        "may_reopen": complaint.status in workflow.TRANSITIONS["belum_selesai"].sources,
        "may_rate": workflow.may_rate(complaint.status, complaint.rating),
        "error": None,
        "typed": "",
    }
