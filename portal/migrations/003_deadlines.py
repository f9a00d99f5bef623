"""003: deadlines, working-day calendar, notifications, queue opening hours."""

import peewee as pw
from peewee_migrate import Migrator

# The default SLA policy as of this migration (later changes are the admin's).
DEFAULT_RULES = [
    ("verifikasi", "", "", 3, "hk", "SP4N-LAPOR!"),
    ("tanggapan_awal", "", "", 5, "hk", "SP4N-LAPOR!"),
    ("tanggapan_awal", "", "rabeg", 72, "jam", "Rabeg Kota Serang (3×24 jam)"),
    ("tindak_lanjut", "aspirasi", "", 5, "hk", "PermenPAN-RB 62/2018"),
    ("tindak_lanjut", "informasi", "", 5, "hk", "PermenPAN-RB 62/2018"),
    ("tindak_lanjut", "pengaduan", "", 14, "hk", "PermenPAN-RB 62/2018"),
    ("tindak_lanjut", "pengawasan", "", 60, "hk", "PermenPAN-RB 62/2018"),
    ("balasan_pelapor", "", "", 10, "hk", "SP4N-LAPOR!"),
]


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields(
        'complaint',
        due_at=pw.DateTimeField(null=True, index=True),
        due_stage=pw.CharField(max_length=24, null=True),
        due_rule_id=pw.IntegerField(null=True),
        escalate_admin_at=pw.DateTimeField(null=True),
        field_inspection=pw.BooleanField(default=False),
    )

    @migrator.create_model
    class DayOff(pw.Model):
        id = pw.AutoField()
        day = pw.DateField(unique=True)
        off = pw.BooleanField(default=True)
        note = pw.CharField(default='', max_length=200)
        created_at = pw.DateTimeField()

        class Meta:
            table_name = "day_off"

    @migrator.create_model
    class SlaRule(pw.Model):
        id = pw.AutoField()
        stage = pw.CharField(max_length=24)
        classification = pw.CharField(default='', max_length=16)
        channel = pw.CharField(default='', max_length=32)
        amount = pw.IntegerField()
        unit = pw.CharField(default='hk', max_length=8)
        basis = pw.CharField(default='', max_length=200)

        class Meta:
            table_name = "sla_rule"
            indexes = [(('stage', 'classification', 'channel'), True)]

    @migrator.create_model
    class Notification(pw.Model):
        id = pw.AutoField()
        key = pw.CharField(max_length=255, unique=True)
        channel = pw.CharField(max_length=16)
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='CASCADE')
        address = pw.CharField(max_length=200, null=True)
        complaint = pw.ForeignKeyField(column_name='complaint_id', field='id', model=migrator.orm['complaint'], null=True, on_delete='CASCADE')
        kind = pw.CharField(max_length=32)
        subject = pw.CharField(max_length=200)
        body = pw.TextField(default='')
        link = pw.CharField(default='', max_length=300)
        state = pw.CharField(default='pending', index=True, max_length=12)
        attempts = pw.IntegerField(default=0)
        claimed_at = pw.DateTimeField(null=True)
        sent_at = pw.DateTimeField(null=True)
        read_at = pw.DateTimeField(null=True)
        created_at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "notification"

    @migrator.create_model
    class OpeningHour(pw.Model):
        id = pw.AutoField()
        opd = pw.ForeignKeyField(column_name='opd_id', field='id', model=migrator.orm['opd'], on_delete='CASCADE')
        at = pw.CharField(max_length=5)

        class Meta:
            table_name = "opening_hour"
            indexes = [(('opd', 'at'), True)]

    @migrator.create_model
    class QueueOpening(pw.Model):
        id = pw.AutoField()
        opd = pw.ForeignKeyField(column_name='opd_id', field='id', model=migrator.orm['opd'], on_delete='CASCADE')
        user = pw.ForeignKeyField(column_name='user_id', field='id', model=migrator.orm['user_account'], null=True, on_delete='SET NULL')
        opened_at = pw.DateTimeField(index=True)

        class Meta:
            table_name = "queue_opening"

    def insert_default_rules():
        columns = ("stage", "classification", "channel", "amount", "unit", "basis")
        migrator.orm['sla_rule'].insert_many(
            [dict(zip(columns, row)) for row in DEFAULT_RULES]).execute()

    if not fake:
        migrator.run(insert_default_rules)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model('queue_opening')
    migrator.remove_model('opening_hour')
    migrator.remove_model('notification')
    migrator.remove_model('sla_rule')
    migrator.remove_model('day_off')
    migrator.drop_index('complaint', 'due_at')
    migrator.remove_fields('complaint', 'due_at', 'due_stage', 'due_rule_id',
                           'escalate_admin_at', 'field_inspection')
