"""010: duplicate flags become groups, and arrivals find their candidates by index.

A flag gathers every complaint of one matter (duplicate_member) instead of
one row per pair: a hundred re-posts of one matter make one flag, not
thousands.  complaint_contact holds each complaint's normalised contacts so
"same reporter" is an index lookup, and (category, created_at) bounds the
text comparison to recent complaints of the same kind.
"""
from datetime import timedelta

import peewee as pw
from peewee_migrate import Migrator

BACKFILL_DAYS = 30


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class DuplicateMember(pw.Model):
        id = pw.AutoField()
        flag = pw.ForeignKeyField(column_name='flag_id', field='id', model=migrator.orm['duplicate_flag'], on_delete='CASCADE')
        complaint = pw.ForeignKeyField(column_name='complaint_id', field='id', model=migrator.orm['complaint'], on_delete='CASCADE', index=True)
        reason = pw.CharField(max_length=200, default='')
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "duplicate_member"
            indexes = [(('flag', 'complaint'), True)]

    @migrator.create_model
    class ComplaintContact(pw.Model):
        id = pw.AutoField()
        complaint = pw.ForeignKeyField(column_name='complaint_id', field='id', model=migrator.orm['complaint'], on_delete='CASCADE')
        key = pw.CharField(max_length=200, index=True)

        class Meta:
            table_name = "complaint_contact"
            indexes = [(('complaint', 'key'), True)]

    migrator.add_index('complaint', 'category', 'created_at')
    # Every existing pair becomes a group of two.
    for column in ('other_id', 'complaint_id'):
        migrator.sql(f"INSERT INTO duplicate_member (flag_id, complaint_id, reason, created_at) "
                     f"SELECT id, {column}, reason, created_at FROM duplicate_flag")
    migrator.run(_backfill_contacts, database)


def _backfill_contacts(database):
    """Contacts of the recent complaints, so arrivals right after the upgrade
    still meet them (older ones are outside any duplicate window)."""
    from portal.clock import utcnow
    from portal.sync.duplicates import contacts

    since = utcnow() - timedelta(days=BACKFILL_DAYS)
    rows = database.execute_sql(
        "SELECT id, reporter_contact FROM complaint WHERE created_at >= %s" % database.param,
        (since,)).fetchall()
    pairs = [(cid, key) for cid, contact in rows for key in sorted(contacts(contact))]
    for start in range(0, len(pairs), 500):
        batch = pairs[start:start + 500]
        database.execute_sql(
            "INSERT INTO complaint_contact (complaint_id, key) VALUES "
            + ", ".join(["(%s, %s)" % (database.param, database.param)] * len(batch)),
            [value for pair in batch for value in pair])


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.drop_index('complaint', 'category', 'created_at')
    migrator.remove_model('complaint_contact')
    migrator.remove_model('duplicate_member')
