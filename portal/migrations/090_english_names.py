"""090: English names for OPDs and categories, shown on public pages in English."""

import peewee as pw
from peewee_migrate import Migrator


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields('opd', name_en=pw.CharField(max_length=200, default=""))
    migrator.add_fields('category', name_en=pw.CharField(max_length=120, default=""))


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_fields('opd', 'name_en')
    migrator.remove_fields('category', 'name_en')
