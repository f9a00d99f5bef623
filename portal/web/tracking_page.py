"""The public tracking page `/lacak/<kode>`, shared by the citizen views
and the reporter's actions (which show it again with an error)."""
from flask import abort, current_app, make_response, request, session
from flask_babel import get_locale
from flask_wtf.csrf import generate_csrf
from markupsafe import escape

from portal.complaints import casework, service as complaints, workflow
from portal.complaints.models import Attachment
from portal.web import page_cache
from portal.web.rendering import VARY, render, wants_fragment

# The reporter's forms carry this session's CSRF token: a kept page holds this
# stand-in instead, and each request puts its own token in.
_CSRF_MARK = "csrfMarkAduanTracking0"
# Seconds a kept page lives at most, for anything its version cannot name
# (its complaint, events and photos move it, and so do OPD and category edits).
MAX_AGE = 300


def serve_tracking(code: str):
    """The tracking page of the complaint with this (normalized) code.

    Rendered once per (complaint, page version, language, query, fragment):
    the version moves with every write to the complaint, its events or its
    photos (migration 130), so a kept page is what a fresh render would give.
    A waiting flash message is shown once and never kept.
    """
    found = complaints.page_version(code)
    if found is None:
        abort(404)
    if session.get("_flashes"):
        return render_tracking(complaints.by_code(code))
    cache = page_cache.for_app(current_app, "tracking", "TRACKING_RENDER_CACHE", MAX_AGE)
    key = (*found, str(get_locale()), request.query_string, wants_fragment())
    kept = cache.get(key)
    if kept is None:
        fresh = render_tracking(complaints.by_code(code), csrf_token=lambda: _CSRF_MARK)
        kept = (fresh.get_data(as_text=True), fresh.headers.get("Cache-Control"))
        cache.put(key, kept)
    body, cache_control = kept
    response = make_response(body.replace(_CSRF_MARK, str(escape(generate_csrf()))))
    response.vary.update(VARY)
    if cache_control:
        response.headers["Cache-Control"] = cache_control
    return response


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
