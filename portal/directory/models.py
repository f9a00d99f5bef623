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
