"""021: login failures are counted per account and per address separately
(portal.accounts.lockout); rows of the old (account, address) pairs mean
nothing any more."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.sql("DELETE FROM login_failure WHERE username <> '' AND address <> ''")


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    pass
