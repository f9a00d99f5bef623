"""The staff's in-app notification list: reminders, escalations, digests."""
from flask import Blueprint, redirect, url_for

from portal.accounts import auth
from portal.notifications import service as notifications
from portal.web.rendering import render

bp = Blueprint("notifications", __name__, url_prefix="/staf/notifikasi")


@bp.app_template_global("unread_notifications")
def unread_notifications():
    user = auth.current_user()
    return notifications.unread_count(user) if user else 0


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
