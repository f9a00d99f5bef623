"""POST /open311/v2/requests: an approved app submits a complaint.

The same `ComplaintForm` validates it as on the web form (lengths, contact,
coordinates, category), the same photo intake strips EXIF, the same
`complaints.submit` makes one complaint of a resent request (with an
Idempotency-Key header), within the same MAX_PHOTOS and body size limits.
"""
import hashlib
import secrets

from flask import current_app, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from portal.complaints import service as complaints, tasks
from portal.complaints.photos import PhotoRejected, store_photo
from portal.directory.models import Category
from portal.open311 import keys
from portal.web.forms import ComplaintForm
from portal.web.open311_http import Open311Error, error_response, respond

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# The form's field -> the Open311 parameter named in an error.
PARAMETERS = {"judul": "title", "isi": "description", "kategori": "service_code",
              "lokasi": "address_string", "lat": "lat", "lon": "long",
              "nama": "first_name", "kontak": "email", "token": "Idempotency-Key"}
TITLE_LENGTH = 80
CHANNEL = "open311"


def _title(description: str) -> str:
    """Open311 has no title: the first line of the description, cut at a word."""
    first = (description or "").strip().splitlines()[0] if (description or "").strip() else ""
    if len(first) <= TITLE_LENGTH:
        return first
    return first[:TITLE_LENGTH].rsplit(" ", 1)[0] + "…"


def _submission_token(key: keys.ApiKey) -> str:
    """One complaint per (key, Idempotency-Key); without the header, every POST is new."""
    given = request.headers.get("Idempotency-Key", "")
    if not given:
        return "o311-" + secrets.token_urlsafe(24)
    if len(given) > 200:
        raise Open311Error(400, _("Idempotency-Key paling panjang 200 karakter."))
    return "o311-" + hashlib.sha256(f"{key.id}:{given}".encode()).hexdigest()[:48]


def _form(form) -> MultiDict:
    name = " ".join(part for part in (form.get("first_name", ""), form.get("last_name", ""))
                    if part.strip())
    return MultiDict({
        "judul": form.get("attribute[title]") or form.get("title") or _title(
            form.get("description", "")),
        "isi": form.get("description", ""),
        "kategori": form.get("service_code", ""),
        "klasifikasi": "pengaduan",
        "lokasi": form.get("address_string", ""),
        "lat": form.get("lat", ""),
        "lon": form.get("long", ""),
        "nama": name,
        "kontak": form.get("email") or form.get("phone", ""),
    })


def create_request(fmt):
    """POST requests.<fmt> (registered by portal.web.open311)."""
    if request.mimetype not in FORM_TYPES:
        raise Open311Error(400, _("Kirim sebagai application/x-www-form-urlencoded atau "
                                  "multipart/form-data."))
    form = request.form  # a body over MAX_CONTENT_LENGTH raises 413 here
    if not form.get("api_key"):
        raise Open311Error(400, _("api_key wajib diisi."))
    key = keys.verify(form.get("api_key"))
    if key is None:
        raise Open311Error(403, _("api_key tidak sah atau sudah dicabut."))
    if form.get("media_url"):
        # Fetching a URL given by a client would let it make the server call
        # anywhere; photos come as files, as on the web form.
        raise Open311Error(400, _("media_url tidak didukung: kirim foto sebagai berkas "
                                  "'media' (multipart/form-data)."))
    token = _submission_token(key)
    already = complaints.find_by_submission_token(token)
    if already:
        return _created(fmt, already, token, 200)

    categories = list(Category.select())
    data = _form(form)
    data["token"] = token
    complaint_form = ComplaintForm(formdata=data, categories=categories, meta={"csrf": False})
    if not complaint_form.validate():
        errors = [{"code": 400, "description": f"{PARAMETERS.get(name, name)}: {message}"}
                  for name, messages in complaint_form.errors.items() for message in messages]
        return error_response(errors, 400)
    uploads = [f for f in request.files.getlist("media") if f and f.filename]
    limit = current_app.config["MAX_PHOTOS"]
    if len(uploads) > limit:
        raise Open311Error(400, _("Paling banyak %(n)d foto.", n=limit))
    stored = []
    try:
        for upload in uploads:
            stored.append(store_photo(upload.stream, current_app.config["UPLOAD_FOLDER"],
                                      current_app.config["PHOTO_MAX_SIDE"]))
    except PhotoRejected as exc:
        _discard(stored)
        raise Open311Error(400, f"media: {exc}") from None
    fields = {**complaint_form.complaint_fields(), "channel": CHANNEL}
    complaint, created = complaints.submit(fields, stored, actor="Pelapor (Open311)",
                                           submission_token=token)
    if created:
        tasks.complaint_received(complaint.id)
    else:
        _discard(stored)
    return _created(fmt, complaint, token, 201 if created else 200)


def _created(fmt, complaint, token, status):
    notice = _("Laporan diterima. Kode pelacakan untuk pelapor: %(code)s",
               code=complaint.display_code)
    return respond(fmt, "requests", [{"service_request_id": str(complaint.id), "token": token,
                                      "service_notice": notice, "account_id": None}],
                   status=status)


def _discard(stored):
    for photo in stored:
        complaints.photo_path(current_app.config["UPLOAD_FOLDER"], photo.filename).unlink(
            missing_ok=True)
