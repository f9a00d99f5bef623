"""The city's directory: OPDs, their bidang and complaint categories."""
from peewee import CharField, ForeignKeyField

from portal.db import BaseModel


class Opd(BaseModel):
    code = CharField(max_length=32, unique=True)  # e.g. DISHUB, as other systems name it
    name = CharField(max_length=200)

    class Meta:
        table_name = "opd"


class Bidang(BaseModel):
    opd = ForeignKeyField(Opd, backref="bidang", on_delete="CASCADE")
    name = CharField(max_length=200)

    class Meta:
        table_name = "bidang"
        indexes = ((("opd", "name"), True),)


class Category(BaseModel):
    name = CharField(max_length=120, unique=True)
    default_opd = ForeignKeyField(Opd, null=True, backref="categories", on_delete="SET NULL")
    # portal.severity: what a complaint in this category is unless its channel says otherwise.
    default_severity = CharField(max_length=8, default="")

    class Meta:
        table_name = "category"
