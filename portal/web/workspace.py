"""The OPD workspace: the queue, a complaint's detail, and staff actions.

Every action form posts with hx-post and also plain POST, so it works
without JavaScript: htmx gets the detail fragment back, a plain browser a
redirect to the detail page.
"""
from flask import Blueprint, abort, current_app, flash, make_response, redirect, request, session, url_for
from flask_babel import format_number, gettext as _, lazy_gettext as _l
from flask_wtf.csrf import generate_csrf

from portal.accounts.auth import current_user, staff_required
from portal.complaints import (
    casework,
    dispositions,
    replies,
    service as complaints,
    severity_changes,
    tracking,
    workflow,
)
from portal.complaints.models import Complaint
from portal.deadlines import opening_hours
from portal.directory import response_templates, severity
from portal.directory.models import Bidang, Category, Opd
from portal.statistics import facts
from portal.web import action_forms as actions, page_cache
from portal.web.notifications import unread_notifications
from portal.web.rendering import VARY, htmx, render, wants_fragment
from portal.workspace import queue as queues, steps

bp = Blueprint("workspace", __name__, url_prefix="/staf")

ACTING_ROLES = (workflow.ADMIN, workflow.OPERATOR, workflow.PIMPINAN, workflow.KABID)
REFRESH_SECONDS = 30


@bp.app_template_global("severity_label")
def severity_label(value):
    return severity.label(value)


@bp.app_template_global("may_change_severity")
def may_change_severity(complaint):
    user = current_user()
    return bool(user) and severity_changes.may_change(user, complaint)


@bp.app_template_global("severity_choices")
def severity_choices():
    return severity.LABELS


@bp.app_template_global("has_new_reply")
def has_new_reply(complaint):
    return replies.is_new(complaint)


@bp.app_template_global("workflow_requirements")
def workflow_requirements(action, classification):
    return workflow.requirements(action, classification)


@bp.app_template_global("photo_reason")
def photo_reason(classification):
    return workflow.photo_reason(classification)


@bp.app_template_global("workflow_message")
def workflow_message(need):
    return str(workflow.REQUIREMENT_MESSAGES[need])


CHANNEL_NAMES = {"web": _l("Situs web"), "wa": _l("WhatsApp"), "sms": _l("SMS")}


@bp.app_template_global("channel_name")
def channel_name(code):
    """What people call a channel: "SP4N-LAPOR!", not the stored `sp4n`."""
    from portal.sync import config as sync_config

    if code in CHANNEL_NAMES:
        return CHANNEL_NAMES[code]
    info = sync_config.installed().get(code)
    return info.label if info else code


@bp.app_template_global("next_step")
def next_step(complaint):
    user = current_user()
    return steps.next_step(user, complaint) if user else (False, "")


@bp.get("/")
@staff_required()
def index():
    return redirect(url_for(".queue"))


@bp.get("/antrean")
@staff_required()
def queue():
    user = current_user()
    if opening_hours.record_opening(user):  # an OPD's queue must be opened at set hours
        facts.mark_queue_opened(user.opd_id)  # its punctuality on the leaders' dashboard
    etag = queues.fingerprint(user, request.query_string.decode(), wants_fragment(),
                              request.cookies.get("lang"))
    if request.if_none_match.contains(etag):
        response = make_response("", 304)
    else:
        response = _queue_page(user, etag)
    response.set_etag(etag)
    response.vary.update(VARY)
    response.cache_control.no_cache = True
    response.cache_control.private = True
    return response


def _queue_page(user, etag):
    """The queue, or the same page as last rendered for the same key.

    The ETag names what the list shows; the full page adds the unread count
    and this session's CSRF token (the logout form), and a waiting flash
    message is shown once, so such a page is never kept.
    """
    cache = page_cache.for_app(current_app, "queue", "QUEUE_RENDER_CACHE")
    fragment = wants_fragment()
    key = None
    if fragment or not session.get("_flashes"):
        generate_csrf()  # makes the session's token first, so the first page has its final key
        key = (etag, None if fragment else (session.get("csrf_token"), unread_notifications()))
        kept = cache.get(key)
        if kept is not None:
            response = page_cache.respond(kept)
            response.vary.update(VARY)
            return response
    filters = queues.Filters.from_args(request.args)
    rows, cursor = queues.page(user, filters)
    task_rows, task_total = [], 0
    if not filters_given():
        # The plain queue: my tasks first, and the list below them holds
        # the rest only.  A filtered or later page is just that list.
        task_rows, task_total = queues.tasks(user)
        shown = {c.id for c in task_rows}
        rows = [c for c in rows if c.id not in shown]
    response = render("staff/antrean.html", block="queue", filters=filters, rows=rows,
                      cursor=cursor, tasks=task_rows, task_total=task_total,
                      counts=queues.status_counts(user, filters),
                      categories=list(Category.select().order_by(Category.name)),
                      channels=queues.channels(user), refresh=REFRESH_SECONDS,
                      statuses=workflow.STATUS_LABELS, sorts=SORT_LABELS,
                      count_cap=format_number(queues.COUNT_CAP))
    if key is not None and response.status_code == 200:
        kept = page_cache.compressed(response.get_data())
        cache.put(key, kept)
        response = page_cache.respond(kept)
        response.vary.update(VARY)
    return response


def filters_given() -> bool:
    return any(value for key, value in request.args.items() if key != "lang")


SORT_LABELS = {"terlama": _l("Terlama dulu"), "terbaru": _l("Terbaru dulu"),
               "tenggat": _l("Tenggat terdekat")}


def _complaint_for(kode, user) -> Complaint:
    code = tracking.normalize(kode)
    complaint = Complaint.get_or_none(Complaint.code == code) if code else None
    if complaint is None or not workflow.may_see(user, complaint.opd_id):
        abort(404)  # outside the user's OPD it does not exist for them
    return complaint


def _render_detail(complaint, user, *, status=200, error=None, form=None, seen_before=False):
    disposed = dispositions.bidang_ids(complaint)
    template_id = request.args.get("templat", "")
    templates = response_templates.for_category(complaint.category_id)
    chosen = next((t for t in templates if str(t.id) == template_id), None)
    events = list(complaint.events.order_by(complaint.events.model.created_at,
                                            complaint.events.model.id))
    allowed = workflow.actions_for(user, complaint.status, complaint.opd_id, disposed)
    # What the complaint's channels would refuse, shown before the operator types.
    channel_rules = (complaints.publish_refusals(complaint)
                     if any(t.action == "publikasikan" for t in allowed) else [])
    main_actions, destructive = steps.arrange(allowed, complaint.status)
    return render(
        "staff/aduan.html", block="detail", status=status, complaint=complaint, events=events,
        photos=list(complaint.attachments), actions=main_actions, destructive=destructive,
        channel_rules=channel_rules,
        may_note=workflow.may_add_note(user, complaint.opd_id),
        show_reporter=not complaint.anonymous or user.role == workflow.ADMIN,
        opds=list(Opd.select().order_by(Opd.name)),
        bidang=list(Bidang.select().where(Bidang.opd == complaint.opd_id).order_by(Bidang.name)),
        disposed=disposed, templates=templates,
        new_events=replies.unseen_events(events, seen_before) if seen_before is not False else set(),
        draft=chosen.body if chosen else casework.draft_response(complaint),
        reasons=workflow.REJECTION_REASONS, error=error, form=form or {},
        photo_actions={a for a in workflow.TRANSITIONS if workflow.accepts_photos(a)},
        follow_up_documented=complaints.follow_up_documented(complaint),
        max_photos=current_app.config["MAX_PHOTOS"])


@bp.get("/aduan/<kode>")
@staff_required()
def detail(kode):
    user = current_user()
    complaint = _complaint_for(kode, user)
    casework.mark_read(complaint, user)
    return _render_detail(complaint, user, seen_before=replies.mark_seen(complaint, user))


def _after_change(complaint, user, message):
    if htmx:
        return _render_detail(Complaint.get_by_id(complaint.id), user, error=None,
                              form={"_done": message})
    flash(message)
    return redirect(url_for(".detail", kode=complaint.display_code), 303)


def _refused(complaint, user, exc):
    status = 422 if isinstance(exc, workflow.InputMissing) else 409
    return _render_detail(Complaint.get_by_id(complaint.id), user, status=status,
                          error=str(exc.message), form=request.form)


@bp.post("/aduan/<kode>/aksi/<action>")
@staff_required(*ACTING_ROLES)
def act(kode, action):
    user = current_user()
    complaint = _complaint_for(kode, user)
    try:
        actions.run(complaint, action, user, request.form, request.files, current_app.config)
    except workflow.TransitionRefused as exc:
        return _refused(complaint, user, exc)
    return _after_change(complaint, user, _("%(action)s: berhasil.",
                                            action=workflow.transition(action).label))


@bp.post("/aduan/<kode>/catatan")
@staff_required(*ACTING_ROLES)
def note(kode):
    user = current_user()
    complaint = _complaint_for(kode, user)
    try:
        casework.add_note(complaint, user, (request.form.get("teks") or "").strip()[:5000])
    except workflow.TransitionRefused as exc:
        return _refused(complaint, user, exc)
    return _after_change(complaint, user, _("Catatan internal disimpan."))


@bp.post("/aduan/<kode>/tingkat")
@staff_required(workflow.ADMIN, workflow.OPERATOR)
def set_severity(kode):
    """One complaint's severity; its due date follows the rule for the new one."""
    user = current_user()
    complaint = _complaint_for(kode, user)
    try:
        changed = severity_changes.change(complaint, user, request.form.get("tingkat", ""))
    except workflow.TransitionRefused as exc:
        return _refused(complaint, user, exc)
    if changed is None:
        return _after_change(complaint, user, _("Tingkat tidak berubah."))
    return _after_change(complaint, user, _("Tingkat diubah menjadi %(level)s.",
                                            level=severity.label(complaint.severity)))
