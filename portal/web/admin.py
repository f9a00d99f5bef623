"""City admin settings: OPDs, bidang, categories, staff accounts and
response templates: the overview and adding.  Editing and deleting are in
`admin_edit.py`."""
from flask import Blueprint, flash, redirect, request, url_for
from flask_babel import gettext as _
from peewee import IntegrityError

from portal.accounts import users as accounts
from portal.accounts.auth import staff_required
from portal.accounts.models import User
from portal.complaints import workflow
from portal.directory import severity
from portal.directory.models import Bidang, Category, Opd
from portal.directory.response_templates import ResponseTemplate
from portal.web.forms import clean, parse_id
from portal.web.rendering import render

bp = Blueprint("admin", __name__, url_prefix="/staf/admin")


class Invalid(ValueError):
    pass


def _text(name, label, max_length=200, required=True):
    value = clean(request.form.get(name, ""))
    if required and not value:
        raise Invalid(_("%(field)s wajib diisi.", field=label))
    if len(value) > max_length:
        raise Invalid(_("%(field)s paling banyak %(n)d karakter.", field=label, n=max_length))
    return value


def _pick(model, name, label, required=True):
    value = request.form.get(name, "")
    found = model.get_or_none(model.id == parse_id(value)) if parse_id(value) else None
    if found is None and required:
        raise Invalid(_("Pilih %(field)s.", field=label))
    return found


def _page(status=200, error=None):
    return render("staff/admin.html", status=status, error=error,
                  opds=list(Opd.select().order_by(Opd.code)),
                  bidang=list(Bidang.select(Bidang, Opd).join(Opd).order_by(Opd.code, Bidang.name)),
                  categories=list(Category.select().order_by(Category.name)),
                  users=list(User.select().order_by(User.username)),
                  templates=list(ResponseTemplate.select().order_by(ResponseTemplate.title)),
                  roles=workflow.STAFF_ROLES, severities=severity.LABELS)


@bp.get("/")
@staff_required(workflow.ADMIN)
def index():
    return _page()


@bp.post("/<what>")
@staff_required(workflow.ADMIN)
def add(what):
    creators = {"opd": _add_opd, "bidang": _add_bidang, "kategori": _add_category,
                "pengguna": _add_user, "templat": _add_template}
    if what not in creators:
        return _page(404, _("Jenis data tidak dikenal."))
    try:
        message = creators[what]()
    except (Invalid, accounts.AccountError) as exc:
        return _page(422, str(exc))
    except IntegrityError:
        return _page(409, _("Data dengan nama atau kode itu sudah ada."))
    flash(message)
    return redirect(url_for(".index"), 303)


def _add_opd():
    code = _text("kode", _("Kode OPD"), 32).upper()
    opd = Opd.create(code=code, name=_text("nama", _("Nama OPD")))
    return _("OPD %(code)s ditambahkan.", code=opd.code)


def _add_bidang():
    opd = _pick(Opd, "opd", _("OPD"))
    bidang = Bidang.create(opd=opd, name=_text("nama", _("Nama bidang")))
    return _("%(name)s ditambahkan ke %(opd)s.", name=bidang.name, opd=opd.code)


def _add_category():
    category = Category.create(name=_text("nama", _("Nama kategori"), 120),
                               default_opd=_pick(Opd, "opd", _("OPD"), required=False),
                               default_severity=_severity())
    return _("Kategori %(name)s ditambahkan.", name=category.name)


def _severity():
    value = request.form.get("tingkat", "")
    if value and not severity.normalize(value):
        raise Invalid(_("Pilih tingkat yang tersedia."))
    return severity.normalize(value)


@bp.post("/kategori/<int:category_id>/tingkat")
@staff_required(workflow.ADMIN)
def set_category_severity(category_id):
    """The severity new complaints in this category get (existing ones keep theirs)."""
    category = Category.get_or_none(Category.id == category_id)
    if category is None:
        return _page(404, _("Kategori tidak ditemukan."))
    try:
        level = _severity()
    except Invalid as exc:
        return _page(422, str(exc))
    Category.update(default_severity=level).where(Category.id == category.id).execute()
    flash(_("Tingkat bawaan %(name)s: %(level)s.", name=category.name,
            level=severity.label(level)))
    return redirect(url_for(".index"), 303)


def _add_user():
    opd = _pick(Opd, "opd", _("OPD"), required=False)
    bidang = _pick(Bidang, "bidang", _("bidang"), required=False)
    user = accounts.create_user(
        _text("username", _("Nama pengguna"), 64), request.form.get("password", ""),
        request.form.get("role", ""), opd_code=opd.code if opd else None,
        bidang_name=bidang.name if bidang else None,
        full_name=_text("nama", _("Nama lengkap"), required=False))
    return _("Akun %(name)s dibuat.", name=user.username)


def _add_template():
    template = ResponseTemplate.create(
        title=_text("judul", _("Judul templat"), 120),
        body=_text("isi", _("Isi templat"), 5000),
        category=_pick(Category, "kategori", _("kategori"), required=False))
    return _("Templat %(title)s ditambahkan.", title=template.title)


@bp.post("/pengguna/<int:user_id>/aktif")
@staff_required(workflow.ADMIN)
def toggle_user(user_id):
    user = User.get_or_none(User.id == user_id)
    if user is None:
        return _page(404, _("Akun tidak ditemukan."))
    try:
        accounts.set_active(user, not user.active)
    except accounts.LastAdmin as exc:
        return _page(409, str(exc))
    flash(_("Akun %(name)s %(state)s.", name=user.username,
            state=_("dinonaktifkan") if user.active else _("diaktifkan")))
    return redirect(url_for(".index"), 303)
