"""005: severity (tingkat) of complaints, categories and SLA rules; when the
reporter last wrote and when the OPD last looked, for the "balasan baru" badge."""

import peewee as pw
from peewee_migrate import Migrator

# Rabeg Kota Serang: light matters (e.g. rubbish) within 1x24 hours.
LIGHT_RULE = {"stage": "tanggapan_awal", "classification": "", "channel": "",
              "severity": "ringan", "amount": 24, "unit": "jam",
              "basis": "Rabeg Kota Serang (ringan, 1×24 jam)"}


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_fields(
        'complaint',
        severity=pw.CharField(max_length=8, default=''),
        reply_at=pw.DateTimeField(null=True),
        opd_seen_at=pw.DateTimeField(null=True),
    )
    migrator.add_fields('category', default_severity=pw.CharField(max_length=8, default=''))
    migrator.add_fields('sla_rule', severity=pw.CharField(max_length=8, default=''))
    # 003 named the index after the model class (slarule_...); a rollback of
    # this migration re-creates it under the table's name.
    for name in ("slarule_stage_classification_channel", "sla_rule_stage_classification_channel"):
        migrator.sql(f'DROP INDEX IF EXISTS "{name}"')
    migrator.add_index('sla_rule', 'stage', 'classification', 'channel', 'severity', unique=True)

    def insert_light_rule():
        migrator.orm['sla_rule'].insert(**LIGHT_RULE).on_conflict_ignore().execute()

    if not fake:
        migrator.run(insert_light_rule)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.sql("DELETE FROM sla_rule WHERE severity <> ''")
    migrator.drop_index('sla_rule', 'stage', 'classification', 'channel', 'severity')
    migrator.add_index('sla_rule', 'stage', 'classification', 'channel', unique=True)
    migrator.remove_fields('sla_rule', 'severity')
    migrator.remove_fields('category', 'default_severity')
    migrator.remove_fields('complaint', 'severity', 'reply_at', 'opd_seen_at')
