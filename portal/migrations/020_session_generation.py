"""020: a per-account session generation.  A staff session carries the
generation it was opened with; raising it (logout, password reset,
deactivation, "end all sessions") ends every session of that account at
once, although the cookies themselves stay signed and unexpired."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('user_account', session_generation=pw.IntegerField(default=0))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('user_account', 'session_generation')
