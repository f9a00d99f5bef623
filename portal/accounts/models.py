"""Staff accounts."""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField

from portal.clock import utcnow
from portal.db import BaseModel
from portal.directory.models import Bidang, Opd


class User(BaseModel):
    username = CharField(max_length=64, unique=True)
    password_hash = CharField(max_length=255)
    full_name = CharField(max_length=200, default="")
    role = CharField(max_length=16)  # one of workflow.STAFF_ROLES
    opd = ForeignKeyField(Opd, null=True, backref="staff", on_delete="SET NULL")
    bidang = ForeignKeyField(Bidang, null=True, backref="staff", on_delete="SET NULL")
    email = CharField(max_length=200, null=True)
    active = BooleanField(default=True)
    # Sessions opened with an older generation are no longer valid (auth.py).
    session_generation = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "user_account"  # "user" is reserved in PostgreSQL
