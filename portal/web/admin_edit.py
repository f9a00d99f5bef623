"""City admin: editing and deleting what `admin.py` adds.

One edit page per row, a plain form (htmx not needed); the rules live in
`portal.directory`, `portal.accounts` and `portal.response_templates`.
Refused input comes back with the message next to its field and 422;
a refused deletion with 409.
"""
from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _

from portal.accounts import auth, users as accounts
from portal.accounts.auth import staff_required
from portal.accounts.models import User
from portal.admin import directory
from portal.complaints import workflow
from portal.directory import response_templates, severity
from portal.directory.models import Bidang, Category, Opd
from portal.directory.response_templates import ResponseTemplate
from portal.web.forms import clean, parse_id
from portal.web.rendering import render

bp = Blueprint("admin_edit", __name__, url_prefix="/staf/admin")


def _get(model, row_id):
    found = model.get_or_none(model.id == row_id)
    if found is None:
        abort(404)
    return found


def _value(name, current):
    """The submitted value on a POST (kept after an error), else the stored one."""
    if request.method == "POST" and name in request.form:
        return clean(request.form.get(name, ""))
    return "" if current is None else str(current)


def _pick(model, name):
    value = request.form.get(name, "")
    return model.get_or_none(model.id == parse_id(value)) if parse_id(value) else None


def _field(name, label, value, kind="text", options=(), **extra):
    return {"name": name, "label": label, "value": value, "kind": kind,
            "options": list(options), **extra}


def _opd_options(empty):
    return [("", empty)] + [(str(o.id), f"{o.code} — {o.name}") for o in
                            Opd.select().order_by(Opd.code)]


def _severity_options():
    return [("", _("— tingkat belum ditentukan —"))] + [(k, str(v)) for k, v in
                                                       severity.LABELS.items()]


def _page(title, fields, *, save_url, delete_url=None, delete_label=None, errors=None,
          error=None, status=200, extra=None):
    return render("staff/admin_edit.html", status=status, title=title, fields=fields,
                  save_url=save_url, delete_url=delete_url, delete_label=delete_label,
                  errors=errors or {}, error=error, extra=extra)


def _saved(message):
    flash(message)
    return redirect(url_for("admin.index"), 303)


def _edit(model, row_id, page, save):
    """The row's edit page: GET shows the form; POST saves (``save(row)`` returns the
    flash message), or shows the form again with the refusal."""
    row = _get(model, row_id)
    if request.method == "GET":
        return page(row)
    try:
        message = save(row)
    except (directory.DirectoryError, accounts.FieldError) as exc:
        return page(row, errors={exc.field: exc.message} if exc.field else {},
                    error=None if exc.field else exc.message, status=422)
    return _saved(message)


def _delete(model, row_id, page, remove, message):
    """Deletes the row; a refusal shows its edit page again with the reason.
    The message is built first, while the row still holds its values."""
    row = _get(model, row_id)
    done = message(row)
    try:
        remove(row)
    except directory.DirectoryError as exc:
        return page(row, error=exc.message, status=409)
    return _saved(done)


# --- OPD -------------------------------------------------------------------

def _opd_page(opd, **kw):
    fields = [_field("kode", _("Kode OPD"), _value("kode", opd.code), maxlength=32),
              _field("nama", _("Nama OPD"), _value("nama", opd.name), maxlength=200),
              _field("nama_en", _("Nama dalam bahasa Inggris"), _value("nama_en", opd.name_en),
                     maxlength=200)]
    return _page(_("Ubah OPD %(code)s", code=opd.code), fields,
                 save_url=url_for(".opd", opd_id=opd.id),
                 delete_url=url_for(".delete_opd", opd_id=opd.id),
                 delete_label=_("Hapus OPD"), **kw)


@bp.route("/opd/<int:opd_id>", methods=["GET", "POST"])
@staff_required(workflow.ADMIN)
def opd(opd_id):
    return _edit(Opd, opd_id, _opd_page, lambda row: _(
        "OPD %(code)s disimpan.",
        code=directory.update_opd(row, request.form.get("kode"), request.form.get("nama"),
                                  request.form.get("nama_en")).code))


@bp.post("/opd/<int:opd_id>/hapus")
@staff_required(workflow.ADMIN)
def delete_opd(opd_id):
    return _delete(Opd, opd_id, _opd_page, directory.delete_opd,
                   lambda row: _("OPD %(code)s dihapus.", code=row.code))


# --- Bidang ----------------------------------------------------------------

def _bidang_page(bidang, **kw):
    fields = [_field("nama", _("Nama bidang"), _value("nama", bidang.name), maxlength=200)]
    return _page(_("Ubah bidang di %(opd)s", opd=bidang.opd.code), fields,
                 save_url=url_for(".bidang", bidang_id=bidang.id),
                 delete_url=url_for(".delete_bidang", bidang_id=bidang.id),
                 delete_label=_("Hapus bidang"), **kw)


@bp.route("/bidang/<int:bidang_id>", methods=["GET", "POST"])
@staff_required(workflow.ADMIN)
def bidang(bidang_id):
    return _edit(Bidang, bidang_id, _bidang_page, lambda row: _(
        "Bidang %(name)s disimpan.",
        name=directory.update_bidang(row, request.form.get("nama")).name))


@bp.post("/bidang/<int:bidang_id>/hapus")
@staff_required(workflow.ADMIN)
def delete_bidang(bidang_id):
    return _delete(Bidang, bidang_id, _bidang_page, directory.delete_bidang,
                   lambda row: _("Bidang %(name)s dihapus.", name=row.name))


# --- Kategori --------------------------------------------------------------

def _category_page(category, **kw):
    fields = [_field("nama", _("Nama kategori"), _value("nama", category.name), maxlength=120),
              _field("nama_en", _("Nama dalam bahasa Inggris"),
                     _value("nama_en", category.name_en), maxlength=120),
              _field("opd", _("OPD bawaan"), _value("opd", category.default_opd_id), "select",
                     _opd_options(_("— tanpa OPD bawaan —"))),
              _field("tingkat", _("Tingkat bawaan"),
                     _value("tingkat", category.default_severity), "select",
                     _severity_options())]
    return _page(_("Ubah kategori %(name)s", name=category.name), fields,
                 save_url=url_for(".category", category_id=category.id),
                 delete_url=url_for(".delete_category", category_id=category.id),
                 delete_label=_("Hapus kategori"), **kw)


@bp.route("/kategori/<int:category_id>", methods=["GET", "POST"])
@staff_required(workflow.ADMIN)
def category(category_id):
    return _edit(Category, category_id, _category_page, lambda row: _(
        "Kategori %(name)s disimpan.",
        name=directory.update_category(row, request.form.get("nama"), _pick(Opd, "opd"),
                                       request.form.get("tingkat", ""),
                                       request.form.get("nama_en")).name))


@bp.post("/kategori/<int:category_id>/hapus")
@staff_required(workflow.ADMIN)
def delete_category(category_id):
    return _delete(Category, category_id, _category_page, directory.delete_category,
                   lambda row: _("Kategori %(name)s dihapus.", name=row.name))


# --- Templat tanggapan -----------------------------------------------------

def _template_page(template, **kw):
    categories = [("", _("— semua kategori —"))] + [
        (str(c.id), c.name) for c in Category.select().order_by(Category.name)]
    fields = [_field("judul", _("Judul templat"), _value("judul", template.title), maxlength=120),
              _field("kategori", _("Kategori"), _value("kategori", template.category_id),
                     "select", categories),
              _field("isi", _("Isi templat"), _value("isi", template.body), "textarea")]
    return _page(_("Ubah templat %(title)s", title=template.title), fields,
                 save_url=url_for(".template", template_id=template.id),
                 delete_url=url_for(".delete_template", template_id=template.id),
                 delete_label=_("Hapus templat"), **kw)


@bp.route("/templat/<int:template_id>", methods=["GET", "POST"])
@staff_required(workflow.ADMIN)
def template(template_id):
    return _edit(ResponseTemplate, template_id, _template_page, lambda row: _(
        "Templat %(title)s disimpan.",
        title=response_templates.update(row, request.form.get("judul"), request.form.get("isi"),
                                        _pick(Category, "kategori")).title))


@bp.post("/templat/<int:template_id>/hapus")
@staff_required(workflow.ADMIN)
def delete_template(template_id):
    row = _get(ResponseTemplate, template_id)
    response_templates.delete(row)
    return _saved(_("Templat %(title)s dihapus.", title=row.title))


# --- Akun staf -------------------------------------------------------------

def _user_page(user, password=None, **kw):
    bidang = [("", _("— bidang (Kabid) —"))] + [
        (str(b.id), f"{b.opd.code}: {b.name}")
        for b in Bidang.select(Bidang, Opd).join(Opd).order_by(Opd.code, Bidang.name)]
    fields = [_field("nama", _("Nama lengkap"), _value("nama", user.full_name), maxlength=200),
              _field("email", _("Email"), _value("email", user.email), "email", maxlength=200),
              _field("role", _("Peran"), _value("role", user.role), "select",
                     [(r, r) for r in workflow.STAFF_ROLES]),
              _field("opd", _("OPD"), _value("opd", user.opd_id), "select",
                     _opd_options(_("— pilih OPD —"))),
              _field("bidang", _("Bidang"), _value("bidang", user.bidang_id), "select", bidang)]
    extra = {"user": user, "password": password}
    return _page(_("Ubah akun %(name)s", name=user.username), fields,
                 save_url=url_for(".user", user_id=user.id), extra=extra, **kw)


@bp.route("/pengguna/<int:user_id>", methods=["GET", "POST"])
@staff_required(workflow.ADMIN)
def user(user_id):
    return _edit(User, user_id, _user_page, lambda row: _(
        "Akun %(name)s disimpan.", name=accounts.update_user(
            row, full_name=clean(request.form.get("nama", "")),
            email=clean(request.form.get("email", "")), role=request.form.get("role", ""),
            opd=_pick(Opd, "opd"), bidang=_pick(Bidang, "bidang")).username))


@bp.post("/pengguna/<int:user_id>/sandi")
@staff_required(workflow.ADMIN)
def reset_password(user_id):
    """A new generated password, shown on this response only: never stored in clear,
    never put in a flash message or a URL."""
    row = _get(User, user_id)
    password = accounts.reset_password(row)
    response = _user_page(row, password=password)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/pengguna/<int:user_id>/sesi")
@staff_required(workflow.ADMIN)
def end_sessions(user_id):
    """Log the account out everywhere (a lost phone, a shared PC), now."""
    row = _get(User, user_id)
    auth.end_sessions(row)
    return _saved(_("Semua sesi %(name)s diakhiri.", name=row.username))
