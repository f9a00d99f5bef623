"""What the reporter does on the tracking page (the code is the key):
add information, say it is not resolved, rate the response.

Plain HTML forms with CSRF; no JavaScript on citizen pages.
"""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from portal.complaints import casework, service as complaints, tracking, workflow
from portal.complaints.models import Complaint
from portal.web.forms import clean, parse_int
from portal.web.tracking_page import render_tracking

bp = Blueprint("reporter", __name__)

MAX_TEXT = 5000


def _complaint(kode) -> Complaint:
    code = tracking.normalize(kode)
    complaint = Complaint.get_or_none(Complaint.code == code) if code else None
    if complaint is None:
        abort(404)
    return complaint


def _done(complaint, message):
    flash(message)
    return redirect(url_for("citizen.track", kode=complaint.display_code), 303)


def _refused(complaint, exc):
    status = 422 if isinstance(exc, workflow.InputMissing) else 409
    fresh = complaints.with_directory().where(Complaint.id == complaint.id).get()
    return render_tracking(fresh, status=status, error=str(exc.message),
                           typed=clean(request.form.get("teks", ""))[:MAX_TEXT])


@bp.post("/lacak/<kode>/info")
def add_info(kode):
    complaint = _complaint(kode)
    try:
        casework.reporter_adds_info(complaint, clean(request.form.get("teks", ""))[:MAX_TEXT])
    except workflow.TransitionRefused as exc:
        return _refused(complaint, exc)
    return _done(complaint, _("Informasi tambahan Anda sudah diterima."))


@bp.post("/lacak/<kode>/belum-selesai")
def not_resolved(kode):
    complaint = _complaint(kode)
    try:
        complaints.perform(complaint, "belum_selesai", role=workflow.REPORTER,
                           actor=casework.REPORTER,
                           text=clean(request.form.get("teks", ""))[:MAX_TEXT])
    except workflow.TransitionRefused as exc:
        return _refused(complaint, exc)
    return _done(complaint, _("Laporan dibuka kembali dan dikirim lagi ke OPD."))


@bp.post("/lacak/<kode>/nilai")
def rate(kode):
    complaint = _complaint(kode)
    value = request.form.get("nilai", "")
    try:
        casework.rate(complaint, parse_int(value, 0, 5) or 0)
    except workflow.TransitionRefused as exc:
        return _refused(complaint, exc)
    return _done(complaint, _("Terima kasih atas penilaian Anda."))
