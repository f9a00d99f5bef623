"""The city's directory: OPDs, their bidang, and complaint categories.

Renaming keeps every reference; deleting is refused while complaints,
accounts, dispositions or categories still point at the row, so nothing
is ever orphaned or silently re-routed.
"""
from flask_babel import gettext as _

from portal.accounts.models import User
from portal.complaints.dispositions import Disposition
from portal.complaints.models import Complaint
from portal.db import database
from portal.directory import severity
from portal.directory.errors import DirectoryError  # noqa: F401  (raised here, caught by views)
from portal.directory.models import Bidang, Category, Opd
from portal.directory.response_templates import ResponseTemplate


def _required(value: str, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DirectoryError(_("%(field)s wajib diisi.", field=label), field)
    if len(value) > max_length:
        raise DirectoryError(_("%(field)s paling banyak %(n)d karakter.", field=label,
                               n=max_length), field)
    return value


def _optional(value: str, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if len(value) > max_length:
        raise DirectoryError(_("%(field)s paling banyak %(n)d karakter.", field=label,
                               n=max_length), field)
    return value


def update_opd(opd: Opd, code: str, name: str, name_en: str | None = None) -> Opd:
    code = _required(code, "kode", _("Kode OPD"), 32).upper()
    name = _required(name, "nama", _("Nama OPD"), 200)
    name_en = opd.name_en if name_en is None else _optional(name_en, "nama_en",
                                                             _("Nama dalam bahasa Inggris"), 200)
    taken = Opd.select().where((Opd.code == code) & (Opd.id != opd.id)).exists()
    if taken:
        raise DirectoryError(_("Kode %(code)s sudah dipakai OPD lain.", code=code), "kode")
    Opd.update(code=code, name=name, name_en=name_en).where(Opd.id == opd.id).execute()
    opd.code, opd.name, opd.name_en = code, name, name_en
    return opd


def update_bidang(bidang: Bidang, name: str) -> Bidang:
    name = _required(name, "nama", _("Nama bidang"), 200)
    taken = Bidang.select().where((Bidang.opd == bidang.opd_id) & (Bidang.name == name)
                                  & (Bidang.id != bidang.id)).exists()
    if taken:
        raise DirectoryError(_("OPD ini sudah punya bidang bernama %(name)s.", name=name), "nama")
    Bidang.update(name=name).where(Bidang.id == bidang.id).execute()
    bidang.name = name
    return bidang


def update_category(category: Category, name: str, default_opd: Opd | None,
                    default_severity: str, name_en: str | None = None) -> Category:
    name = _required(name, "nama", _("Nama kategori"), 120)
    name_en = category.name_en if name_en is None else _optional(
        name_en, "nama_en", _("Nama dalam bahasa Inggris"), 120)
    if default_severity and not severity.normalize(default_severity):
        raise DirectoryError(_("Pilih tingkat yang tersedia."), "tingkat")
    taken = Category.select().where((Category.name == name) & (Category.id != category.id)).exists()
    if taken:
        raise DirectoryError(_("Kategori %(name)s sudah ada.", name=name), "nama")
    values = {"name": name, "default_opd": default_opd.id if default_opd else None,
              "default_severity": severity.normalize(default_severity), "name_en": name_en}
    Category.update(**values).where(Category.id == category.id).execute()
    category.name, category.default_opd, category.default_severity = (
        name, default_opd, values["default_severity"])
    category.name_en = name_en
    return category


def _refuse_if_used(what: str, uses: list[tuple[int, str]]) -> None:
    named = [_("%(n)d %(thing)s", n=n, thing=thing) for n, thing in uses if n]
    if named:
        raise DirectoryError(_("%(what)s tidak dapat dihapus: masih dipakai oleh %(uses)s.",
                               what=what, uses=", ".join(named)))


def bidang_uses(bidang: Bidang) -> list[tuple[int, str]]:
    return [(User.select().where(User.bidang == bidang.id).count(), _("akun")),
            (Disposition.select().where(Disposition.bidang == bidang.id).count(),
             _("disposisi"))]


def opd_uses(opd: Opd) -> list[tuple[int, str]]:
    own_bidang = Bidang.select(Bidang.id).where(Bidang.opd == opd.id)
    return [(Complaint.select().where(Complaint.opd == opd.id).count(), _("aduan")),
            (User.select().where(User.opd == opd.id).count(), _("akun")),
            (Category.select().where(Category.default_opd == opd.id).count(),
             _("kategori (OPD bawaan)")),
            (User.select().where(User.bidang.in_(own_bidang)).count(), _("akun Kabid")),
            (Disposition.select().where(Disposition.bidang.in_(own_bidang)).count(),
             _("disposisi"))]


def category_uses(category: Category) -> list[tuple[int, str]]:
    return [(Complaint.select().where(Complaint.category == category.id).count(), _("aduan")),
            (ResponseTemplate.select().where(ResponseTemplate.category == category.id).count(),
             _("templat tanggapan"))]


def delete_opd(opd: Opd) -> None:
    """Delete an unused OPD with its (equally unused) bidang and opening hours."""
    with database.atomic():
        _refuse_if_used(_("OPD %(code)s", code=opd.code), opd_uses(opd))
        Bidang.delete().where(Bidang.opd == opd.id).execute()
        opd.delete_instance(recursive=True)


def delete_bidang(bidang: Bidang) -> None:
    with database.atomic():
        _refuse_if_used(bidang.name, bidang_uses(bidang))
        bidang.delete_instance()


def delete_category(category: Category) -> None:
    with database.atomic():
        _refuse_if_used(_("Kategori %(name)s", name=category.name), category_uses(category))
        category.delete_instance()
