"""Turning a staff member's submitted action form into a checked transition.

Each action's form fields are read and validated here (Indonesian messages),
photos are stored, and `complaints.perform` does the rest.  Anything that
is wrong with the input raises `workflow.InputMissing` (422); an action that
may not happen now raises `workflow.TransitionRefused` (409).
"""
from datetime import date

from flask_babel import gettext as _

from portal.complaints import service as complaints, tracking, workflow
from portal.complaints.casework import actor_name
from portal.complaints.models import Complaint
from portal.complaints.photos import PhotoRejected, store_photo
from portal.db import database
from portal.directory.models import Bidang, Opd
from portal.web.forms import clean, parse_id, parse_int

MAX_TEXT = 5000


def run(complaint: Complaint, action: str, user, form, files, config):
    """Perform `action` for `user` from a submitted `form` and its `files`."""
    workflow.transition(action)  # unknown actions are refused before anything is read
    text = clean(form.get("teks", ""))[:MAX_TEXT]
    extra = {}
    if action == "teruskan":
        extra["opd"] = _opd(form.get("opd"))
    elif action == "tolak":
        text = _rejection_text(complaint, form, text)
    elif action == "kembalikan":
        suggested = _opd(form.get("usulan_opd"))
        if suggested and text:
            text = _("%(text)s\nUsulan OPD: %(opd)s", text=text, opd=suggested.name)
    elif action == "disposisi":
        extra["bidang"] = _bidang(complaint, form.getlist("bidang"))
    elif action == "tunggu_anggaran":
        extra["budget_year"] = _budget_year(form.get("tahun", ""))
        if extra["budget_year"] and text:
            text = _("Direncanakan pada tahun anggaran %(year)d. %(text)s",
                     year=extra["budget_year"], text=text)
    if action == "teruskan" and text and not form.get("catatan_publik"):
        return _route_with_internal_note(complaint, user, text, extra["opd"])
    photos = []
    if workflow.accepts_photos(action):
        photos = _store_photos(files.getlist("foto"), config)
    try:
        return complaints.perform(complaint, action, role=user.role, actor=actor_name(user),
                                  actor_user=user, text=text, photos=photos, **extra)
    except Exception:
        for photo in photos:
            complaints.photo_path(config["UPLOAD_FOLDER"], photo.filename).unlink(missing_ok=True)
        raise


def _route_with_internal_note(complaint, user, note, opd):
    """Routing whose note is for the OPD only: the citizen's tracking page
    (and the channel the complaint came from) shows the new status, not the
    admin's words to the OPD, unless the admin ticked "public"."""
    with database.atomic():
        event = complaints.perform(complaint, "teruskan", role=user.role, actor=actor_name(user),
                                   actor_user=user, text="", opd=opd)
        complaints.record(complaint, "catatan", actor_name(user), text=note, public=False,
                          actor_user=user)
    return event


def _opd(value):
    opd_id = parse_id(value)
    return Opd.get_or_none(Opd.id == opd_id) if opd_id else None


def _bidang(complaint, values):
    ids = [i for i in map(parse_id, values[:100]) if i]
    if not ids:
        return []
    return list(Bidang.select().where(Bidang.id.in_(ids) & (Bidang.opd == complaint.opd_id)))


def _rejection_text(complaint, form, note):
    reason = form.get("alasan")
    if reason not in workflow.REJECTION_REASONS:
        raise workflow.InputMissing(_("Pilih alasan penolakan."))
    text = str(workflow.REJECTION_REASONS[reason])
    if reason == "duplikat":
        code = tracking.normalize(form.get("kode_asal", ""))
        original = Complaint.get_or_none(Complaint.code == code) if code else None
        if original is None or original.id == complaint.id:
            raise workflow.InputMissing(_("Tulis kode pelacakan laporan asal yang benar, "
                                          "misalnya ABCDE-12345."))
        text += f": {original.display_code}"
    return f"{text}. {note}" if note else text


def _budget_year(value):
    this_year = date.today().year
    year = parse_int(value)
    if year is None:
        return None
    if not this_year <= year <= this_year + workflow.BUDGET_YEARS_AHEAD:
        raise workflow.InputMissing(_("Tahun anggaran antara %(first)d dan %(last)d.",
                                      first=this_year, last=this_year + workflow.BUDGET_YEARS_AHEAD))
    return year


def _store_photos(uploads, config):
    uploads = [f for f in uploads if f and getattr(f, "filename", "")]
    if len(uploads) > config["MAX_PHOTOS"]:
        raise workflow.InputMissing(_("Paling banyak %(n)d foto.", n=config["MAX_PHOTOS"]))
    stored = []
    try:
        for upload in uploads:
            stored.append(store_photo(upload.stream, config["UPLOAD_FOLDER"],
                                      config["PHOTO_MAX_SIDE"]))
    except PhotoRejected as exc:
        for photo in stored:
            complaints.photo_path(config["UPLOAD_FOLDER"], photo.filename).unlink(missing_ok=True)
        raise workflow.InputMissing(_("%(file)s: %(reason)s", file=upload.filename[:80],
                                      reason=str(exc))) from None
    return stored
