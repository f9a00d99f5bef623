"""The staff's in-app notification list: reminders, escalations, digests."""
from flask import Blueprint, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from portal.accounts import auth
from portal.notifications import preferences, service as notifications
from portal.web.rendering import render

bp = Blueprint("notifications", __name__, url_prefix="/staf/notifikasi")


@bp.app_template_global("unread_notifications")
def unread_notifications():
    """The staff menu's unread count, read once per request (the queue's
    kept-page key asks for it too)."""
    if "unread" not in g:
        user = auth.current_user()
        g.unread = notifications.unread_count(user) if user else 0
    return g.unread


@bp.get("")
@auth.staff_required()
def inbox():
    user = auth.current_user()
    return render("deadlines/notifikasi.html", items=list(notifications.inbox(user)))


@bp.post("/baca")
@auth.staff_required()
def read_all():
    notifications.mark_read(auth.current_user())
    return redirect(url_for(".inbox"), 303)


@bp.post("/<int:notification_id>/baca")
@auth.staff_required()
def read_one(notification_id):
    notifications.mark_read(auth.current_user(), notification_id)
    return redirect(url_for(".inbox"), 303)


@bp.route("/pengaturan", methods=["GET", "POST"])
@auth.staff_required()
def settings():
    """Channel, WhatsApp number, quiet hours and batching of one's own notices."""
    user = auth.current_user()
    error, form = None, {}
    if request.method == "POST":
        form = request.form
        try:
            preferences.save(user, channel=form.get("saluran", ""), phone=form.get("hp", "")[:40],
                             quiet_start=form.get("tenang_mulai", "")[:8],
                             quiet_end=form.get("tenang_selesai", "")[:8],
                             batch_minutes=form.get("ringkasan", "0")[:6])
        except preferences.InvalidPreference as exc:
            error = str(exc)
        else:
            flash(_("Pengaturan notifikasi disimpan."))
            return redirect(url_for(".settings"), 303)
    return render("staff/notifikasi_pengaturan.html", status=422 if error else 200,
                  pref=preferences.for_user(user), channels=preferences.available_channels(),
                  batches=preferences.BATCH_CHOICES, error=error, form=form, user=user)
