"""Citizen pages: submit a complaint and track it.  No JavaScript needed."""
import re
import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_babel import format_datetime, gettext as _

from portal.accounts.auth import current_user
from portal.complaints import resubmission, service as complaints, tasks, tracking, workflow
from portal.complaints.models import Attachment, Complaint
from portal.complaints.photos import PhotoRejected, store_photo
from portal.complaints.storage import storage_for
from portal.directory.models import category_choices
from portal.notifications import preferences
from portal.web.forms import ComplaintForm
from portal.web.limits import submission_limits
from portal.web.rendering import fresh_form_page, render, render_unchanging
from portal.web.tracking_page import serve_tracking

bp = Blueprint("citizen", __name__)

PHOTO_NAME = re.compile(r"^[0-9a-f]{32}\.jpg$")


def _categories():
    """(id, label) of every category, "Lainnya" last: one written-out read."""
    return category_choices()


def render_form(form, status=200, **extra):
    return render("citizen/lapor.html", form=form, status=status,
                  max_photos=current_app.config["MAX_PHOTOS"],
                  contact_hint=_contact_hint(), whatsapp=preferences.whatsapp_configured(),
                  **extra)


def _contact_hint() -> str:
    """Promise only the channels that are configured."""
    reach = preferences.citizen_channels()
    names = [name for code, name in ((preferences.EMAIL, _("email")), (preferences.SMS, _("SMS")),
                                     (preferences.WHATSAPP, _("WhatsApp (bila dicentang)")))
             if reach[code]]
    if not names:
        return _("Tidak ditampilkan ke publik. Ikuti tindak lanjutnya dengan kode pelacakan.")
    return _("Untuk kabar tindak lanjut lewat %(channels)s. Tidak ditampilkan ke publik.",
             channels=", ".join(names))


@bp.get("/")
def home():
    return render_unchanging("citizen/home.html")


@bp.get("/lapor")
def form():
    settings = {"max_photos": current_app.config["MAX_PHOTOS"],
                "contact_hint": _contact_hint(), "whatsapp": preferences.whatsapp_configured()}
    # The form object (and the categories as models) only when nothing is cached.
    return fresh_form_page("citizen/lapor.html", "form",
                           lambda: ComplaintForm(categories=_categories()),
                           (_categories(), tuple(sorted(settings.items()))),
                           **settings)


@bp.post("/lapor")
@submission_limits
def submit():
    form = ComplaintForm(categories=_categories())
    already = complaints.find_by_submission_token(form.token.data)
    if already:
        return redirect(url_for(".track", kode=already.display_code), 303)
    if not form.validate():
        return render_form(form, 422)
    uploads = form.uploads()
    if len(uploads) > current_app.config["MAX_PHOTOS"]:
        form.foto.errors = [_("Paling banyak %(n)d foto.", n=current_app.config["MAX_PHOTOS"])]
        return render_form(form, 422)
    stored = []
    try:
        for upload in uploads:
            stored.append(store_photo(upload.stream, current_app.config["UPLOAD_FOLDER"],
                                      current_app.config["PHOTO_MAX_SIDE"],
                                      current_app.config["MAX_PHOTO_PIXELS"]))
    except PhotoRejected as exc:
        _discard(stored)
        form.foto.errors = [_("%(file)s: %(reason)s Pilih ulang fotonya.",
                              file=upload.filename[:80], reason=str(exc))]
        return render_form(form, 422)
    fields = form.complaint_fields()
    if form.lokasi_foto.data and fields["lat"] is None:
        # Consented: the first photo that knows where it was taken fills the spot.
        located = next((photo.gps for photo in stored if photo.gps), None)
        if located:
            fields["lat"], fields["lon"] = located
    sender = resubmission.Sender(contact=fields["reporter_contact"], session=_session_id())
    try:
        complaint, created = complaints.submit(fields, stored, sender=sender,
                                               submission_token=form.token.data)
    except BaseException:
        # Nothing refers to the files of a complaint that was not stored.
        _discard(stored)
        raise
    if created:
        tasks.complaint_received(complaint.id)
        flash(_("Laporan Anda diterima. Simpan kode pelacakan ini: %(code)s",
                code=complaint.display_code))
    else:
        _discard(stored)
        if complaint.submission_token != form.token.data:
            if complaint.submitter != sender.submitter:
                # The same text with the same contact from another browser:
                # whoever knows both must still not learn the tracking code
                # (it opens a confidential complaint), so it is not shown.
                flash(_("Aduan yang sama dari kontak ini sudah kami terima dalam satu jam "
                        "terakhir. Kode pelacakannya ada pada perangkat yang mengirimnya "
                        "pertama kali. Tidak perlu mengirim lagi."))
                return redirect(url_for(".lookup"), 303)
            # Sent again after Back: say so, instead of a second complaint.
            when = format_datetime(complaint.created_at, "d MMM yyyy HH:mm")
            flash(_("Aduan ini sudah kami terima: %(code)s, %(when)s. Tidak perlu mengirim lagi.",
                    code=complaint.display_code, when=when))
    return redirect(url_for(".track", kode=complaint.display_code), 303)


def _session_id() -> str:
    """A random id of this browser's session, for "the same sender" when no
    contact was left (portal.complaints.resubmission)."""
    if "pelapor" not in session:
        session["pelapor"] = secrets.token_urlsafe(16)
    return session["pelapor"]


def _discard(stored):
    for photo in stored:
        storage_for(current_app.config["UPLOAD_FOLDER"]).delete(photo.filename)


@bp.get("/lacak")
def lookup():
    typed = request.args.get("kode")
    if typed is None:
        return render("citizen/lacak_cari.html", error=None, typed="")
    code = tracking.normalize(typed)
    if code is None:
        return render("citizen/lacak_cari.html", status=400, typed=typed[:40],
                      error=_("Kode pelacakan terdiri dari 10 huruf/angka, misalnya ABCDE-12345."))
    return redirect(url_for(".track", kode=tracking.format_code(code)), 303)


@bp.get("/lacak/<kode>")
def track(kode):
    code = tracking.normalize(kode)
    if code is None:
        abort(404)
    if kode != tracking.format_code(code):
        if complaints.page_version(code) is None:
            abort(404)
        return redirect(url_for(".track", kode=tracking.format_code(code)), 301)
    return serve_tracking(code)


def _may_see_photo(attachment: Attachment, complaint: Complaint) -> bool:
    """A public photo of an open complaint: anyone with the link.  The photos
    of a confidential complaint: staff who may see it, or whoever shows its
    tracking code (the tracking page puts it in the link).  A non-public
    photo (an internal follow-up): only staff who may see the complaint."""
    user = current_user()
    if user is not None and workflow.may_see(user, complaint.opd_id):
        return True
    if not attachment.public:
        return False
    if complaint.confidential:
        return tracking.normalize(request.args.get("kode") or "") == complaint.code
    return True


@bp.get("/foto/<name>")
def photo(name):
    if not PHOTO_NAME.match(name):
        abort(404)
    attachment = Attachment.get_or_none(Attachment.filename == name)
    complaint = attachment.complaint if attachment else None
    if attachment is None or not _may_see_photo(attachment, complaint):
        abort(404)  # the same answer as a photo that does not exist
    restricted = complaint.confidential or not attachment.public
    response = send_from_directory(storage_for(current_app.config["UPLOAD_FOLDER"]).root, name,
                                   max_age=0 if restricted else 365 * 24 * 3600, conditional=True)
    if restricted:
        response.headers["Cache-Control"] = "private, no-store"
    else:
        # Names are 128 random bits and the bytes never change: cache for a year.
        response.cache_control.immutable = True
        response.cache_control.public = True
    return response
