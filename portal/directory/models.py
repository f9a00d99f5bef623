"""The city's directory: OPDs, their bidang and complaint categories."""
from peewee import CharField, ForeignKeyField

from portal.db import BaseModel


def _in_english() -> bool:
    # Public pages in English show the English name where the admin gave one.
    from flask import has_request_context
    from flask_babel import get_locale

    return has_request_context() and str(get_locale()) == "en"


class Named:
    """`label`: the name to show, in the reader's language when there is one."""

    @property
    def label(self) -> str:
        return self.name_en if self.name_en and _in_english() else self.name


class Opd(Named, BaseModel):
    code = CharField(max_length=32, unique=True)  # e.g. DISHUB, as other systems name it
    name = CharField(max_length=200)
    name_en = CharField(max_length=200, default="")

    class Meta:
        table_name = "opd"


class Bidang(BaseModel):
    opd = ForeignKeyField(Opd, backref="bidang", on_delete="CASCADE")
    name = CharField(max_length=200)

    class Meta:
        table_name = "bidang"
        indexes = ((("opd", "name"), True),)


class Category(Named, BaseModel):
    name = CharField(max_length=120, unique=True)
    name_en = CharField(max_length=120, default="")
    default_opd = ForeignKeyField(Opd, null=True, backref="categories", on_delete="SET NULL")
    # portal.severity: what a complaint in this category is unless its channel says otherwise.
    default_severity = CharField(max_length=8, default="")

    class Meta:
        table_name = "category"


def category_choices() -> tuple:
    """((id, label), ...) of every category in the citizen form's order
    ("Lainnya" last), labels in the reader's language.

    One read of three columns and no model objects: the complaint form page
    asks for it on every request only to see whether its cached render still
    holds (portal.web.rendering.fresh_form_page).
    """
    english = _in_english()
    # Written out: building this select with peewee was most of its cost.
    rows = Category._meta.database.execute_sql(
        "SELECT id, name, name_en FROM category ORDER BY (name = 'Lainnya'), name")
    return tuple((i, en if english and en else name) for i, name, en in rows)

