"""Service-level deadlines: the SLA policy and the due date of each complaint.

A complaint's deadline is derived from its timeline (when it entered the
current stage, how long it waited for a budget), the SLA rule for its stage,
classification and channel, and the working-day calendar.  Because it is
derived, a change of policy or calendar is applied by deriving it again for
every open complaint (`recompute_open`).
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from flask_babel import lazy_gettext as _l
from peewee import CharField, IntegerField

from portal import clock, config
from portal.complaints import workflow
from portal.complaints.models import Complaint, TimelineEvent
from portal.db import BaseModel, database
from portal.deadlines import workdays

VERIFICATION = "verifikasi"
FIRST_RESPONSE = "tanggapan_awal"
FOLLOW_UP = "tindak_lanjut"
REPORTER_REPLY = "balasan_pelapor"

STAGE_LABELS = {
    VERIFICATION: _l("Verifikasi"),
    FIRST_RESPONSE: _l("Tanggapan awal OPD"),
    FOLLOW_UP: _l("Tindak lanjut"),
    REPORTER_REPLY: _l("Batas balasan pelapor"),
}
STAGES = tuple(STAGE_LABELS)

WORKING_DAYS, HOURS = "hk", "jam"
UNIT_LABELS = {WORKING_DAYS: _l("hari kerja"), HOURS: _l("jam")}

# Pengaduan that needs a field inspection (berkadar pengawasan) has its own limit.
FIELD_INSPECTION = "pengawasan"
POLICY_CLASSES = {**workflow.CLASSIFICATION_LABELS,
                  FIELD_INSPECTION: _l("Pengaduan berkadar pengawasan")}

# (stage, classification or "" for any, channel or "" for any, amount, unit, basis)
DEFAULT_RULES = (
    (VERIFICATION, "", "", 3, WORKING_DAYS, "SP4N-LAPOR!"),
    (FIRST_RESPONSE, "", "", 5, WORKING_DAYS, "SP4N-LAPOR!"),
    (FIRST_RESPONSE, "", "rabeg", 72, HOURS, "Rabeg Kota Serang (3×24 jam)"),
    (FOLLOW_UP, "aspirasi", "", 5, WORKING_DAYS, "PermenPAN-RB 62/2018"),
    (FOLLOW_UP, "informasi", "", 5, WORKING_DAYS, "PermenPAN-RB 62/2018"),
    (FOLLOW_UP, "pengaduan", "", 14, WORKING_DAYS, "PermenPAN-RB 62/2018"),
    (FOLLOW_UP, FIELD_INSPECTION, "", 60, WORKING_DAYS, "PermenPAN-RB 62/2018"),
    (REPORTER_REPLY, "", "", 10, WORKING_DAYS, "SP4N-LAPOR!"),
)

# Rules that hold only for one severity (portal.severity), most specific first:
# (stage, classification, channel, severity, amount, unit, basis)
SEVERITY_RULES = (
    (FIRST_RESPONSE, "", "", "ringan", 24, HOURS, "Rabeg Kota Serang (ringan, 1×24 jam)"),
)

# End of the due day, local time: "within 3 working days" includes the third.
END_OF_DAY = time(23, 59, 59)


class SlaRule(BaseModel):
    stage = CharField(max_length=24)
    classification = CharField(max_length=16, default="")  # "" = every classification
    channel = CharField(max_length=32, default="")  # "" = every channel
    amount = IntegerField()
    unit = CharField(max_length=8, default=WORKING_DAYS)
    basis = CharField(max_length=200, default="")  # where the limit comes from
    severity = CharField(max_length=8, default="")  # "" = every severity

    class Meta:
        table_name = "sla_rule"
        indexes = ((("stage", "classification", "channel", "severity"), True),)

    @property
    def key(self) -> tuple:
        """How `rules()` files it: a rule for one severity carries it as a fourth part."""
        base = (self.stage, self.classification, self.channel)
        return base + (self.severity,) if self.severity else base

    def describe(self) -> str:
        text = f"{STAGE_LABELS.get(self.stage, self.stage)}"
        if self.classification:
            text += f" {str(POLICY_CLASSES.get(self.classification, self.classification)).lower()}"
        if self.channel:
            text += f" ({self.channel})"
        if self.severity:
            from portal.directory import severity

            text += f" [{severity.label(self.severity).lower()}]"
        text += f": {self.amount} {UNIT_LABELS.get(self.unit, self.unit)}"
        return text + (f" — {self.basis}" if self.basis else "")


def install_defaults() -> int:
    """Insert the default rules that are missing; return how many."""
    existing = set(rules())
    wanted = [(*r[:3], "", *r[3:]) for r in DEFAULT_RULES] + list(SEVERITY_RULES)
    missing = [r for r in wanted if (r[:4] if r[3] else r[:3]) not in existing]
    for stage, cls, channel, severity, amount, unit, basis in missing:
        SlaRule.create(stage=stage, classification=cls, channel=channel, severity=severity,
                       amount=amount, unit=unit, basis=basis)
    return len(missing)


def rules() -> dict:
    return {r.key: r for r in SlaRule.select()}


def find_rule(all_rules: dict, stage: str, classification: str, channel: str,
              severity: str = "") -> SlaRule | None:
    """The most specific rule: classification and channel, then either, then
    neither; a rule for the complaint's severity beats every general one."""
    keys = ((stage, classification, channel), (stage, classification, ""),
            (stage, "", channel), (stage, "", ""))
    if severity:
        keys = tuple(k + (severity,) for k in keys) + keys
    for key in keys:
        if key in all_rules:
            return all_rules[key]
    return None


def policy_class(complaint: Complaint) -> str:
    if complaint.classification == "pengaduan" and complaint.field_inspection:
        return FIELD_INSPECTION
    return complaint.classification


def to_local(utc_naive: datetime) -> datetime:
    return utc_naive.replace(tzinfo=timezone.utc).astimezone(config.local_tz())


def to_utc_naive(local: datetime) -> datetime:
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def due_after(start: datetime, amount: int, unit: str, calendar: workdays.Calendar,
              paused: "Pause") -> datetime:
    """The due moment (naive UTC) `amount` units after `start` (naive UTC)."""
    if unit == HOURS:
        return start + timedelta(hours=amount) + paused.duration
    local_day = to_local(start).date()
    due_day = calendar.add(local_day, amount + paused.working_days)
    return to_utc_naive(datetime.combine(due_day, END_OF_DAY, config.local_tz()))


@dataclass
class Pause:
    working_days: int = 0
    duration: timedelta = timedelta(0)


@dataclass
class Deadline:
    stage: str
    rule: SlaRule
    start: datetime
    due_at: datetime
    escalate_admin_at: datetime


# Which status runs which clock, and which status started it.
STAGE_OF_STATUS = {
    workflow.BARU: (VERIFICATION, workflow.BARU),
    workflow.DITERUSKAN: (FIRST_RESPONSE, workflow.DITERUSKAN),
    workflow.DILAPORKAN: (FOLLOW_UP, workflow.DITERUSKAN),
    workflow.DIDISPOSISI: (FOLLOW_UP, workflow.DITERUSKAN),
    workflow.DITINDAKLANJUTI: (FOLLOW_UP, workflow.DITERUSKAN),
    workflow.SELESAI: (REPORTER_REPLY, workflow.SELESAI),
}


def derive(complaint: Complaint, events: list, all_rules: dict,
           calendar: workdays.Calendar) -> Deadline | None:
    """The deadline running now, or None (closed, waiting for the reporter or a budget)."""
    if complaint.status not in STAGE_OF_STATUS:
        return None
    stage, started_by = STAGE_OF_STATUS[complaint.status]
    changes = [e for e in events if e.status_after]
    # The clock starts when the status was entered: an event that keeps the
    # status (the OPD opening it, "dibaca") must not restart it.
    starts = [i for i, e in enumerate(changes) if e.status_after == started_by
              and (i == 0 or changes[i - 1].status_after != started_by)]
    if not starts:
        return None
    since = changes[starts[-1]:]
    start = since[0].created_at
    rule = find_rule(all_rules, stage, policy_class(complaint), complaint.channel,
                     complaint.severity)
    if rule is None:
        return None
    paused = _budget_pause(since, calendar)
    return Deadline(
        stage=stage, rule=rule, start=start,
        due_at=due_after(start, rule.amount, rule.unit, calendar, paused),
        escalate_admin_at=due_after(start, 2 * rule.amount, rule.unit, calendar, paused))


def stage_due(complaint: Complaint, stage: str, start: datetime, changes: list,
              all_rules: dict, calendar: workdays.Calendar) -> datetime | None:
    """When a `stage` clock started at `start` was (or is) due, by the same rule
    and calendar as the running deadline; `changes` are the status changes
    since `start`, so a wait for a budget among them stops the clock.  None
    when no rule covers the complaint."""
    rule = find_rule(all_rules, stage, policy_class(complaint), complaint.channel,
                     complaint.severity)
    if rule is None:
        return None
    return due_after(start, rule.amount, rule.unit, calendar, _budget_pause(changes, calendar))


def _budget_pause(changes: list, calendar: workdays.Calendar) -> Pause:
    """Time spent in menunggu_anggaran: the follow-up clock stops meanwhile."""
    pause = Pause()
    waiting_since = None
    for event in changes:
        if event.status_after == workflow.MENUNGGU_ANGGARAN:
            waiting_since = waiting_since or event.created_at
        elif waiting_since is not None:
            pause.duration += event.created_at - waiting_since
            pause.working_days += calendar.count(to_local(waiting_since).date(),
                                                 to_local(event.created_at).date())
            waiting_since = None
    return pause


def timeline(complaint: Complaint) -> list:
    return list(complaint.events.order_by(TimelineEvent.created_at, TimelineEvent.id))


def refresh(complaint: Complaint, all_rules: dict | None = None,
            calendar: workdays.Calendar | None = None) -> Deadline | None:
    """Derive the deadline again and store it on the complaint (row and object)."""
    deadline = derive(complaint, timeline(complaint),
                      rules() if all_rules is None else all_rules,
                      calendar or workdays.current_calendar())
    values = {
        "due_at": deadline.due_at if deadline else None,
        "due_stage": deadline.stage if deadline else None,
        "due_rule_id": deadline.rule.id if deadline else None,
        "escalate_admin_at": deadline.escalate_admin_at if deadline else None,
    }
    if complaint.status == workflow.MENUNGGU_ANGGARAN and not complaint.budget_year:
        # Without a year given by the Kabid, the next fiscal year is awaited.
        values["budget_year"] = to_local(clock.utcnow()).year + 1
    if any(getattr(complaint, k) != v for k, v in values.items()):
        Complaint.update(**values).where(Complaint.id == complaint.id).execute()
        for key, value in values.items():
            setattr(complaint, key, value)
    return deadline


def recompute_open() -> int:
    """Apply the current policy and calendar to every open complaint; return how many."""
    all_rules, calendar = rules(), workdays.current_calendar()
    count = 0
    with database.atomic():
        for complaint in Complaint.select().where(Complaint.status.in_(workflow.OPEN_STATUSES)):
            refresh(complaint, all_rules, calendar)
            count += 1
    return count


def rules_by_id() -> dict:
    return {r.id: r for r in SlaRule.select()}


def rule_of(complaint: Complaint, by_id: dict | None = None) -> SlaRule | None:
    if complaint.due_rule_id is None:
        return None
    if by_id is not None:
        return by_id.get(complaint.due_rule_id)
    return SlaRule.get_or_none(SlaRule.id == complaint.due_rule_id)


@dataclass
class DeadlineView:
    """What the queue and the detail page show beside a complaint."""

    due_at: datetime | None
    overdue: bool
    stage: str
    rule: str
    budget_year: int | None


def for_display(complaint: Complaint, now: datetime | None = None,
                rules: dict | None = None) -> DeadlineView | None:
    """`rules` (from `rules_by_id`) saves a query per complaint on list pages."""
    now = now or clock.utcnow()
    if complaint.status == workflow.MENUNGGU_ANGGARAN:
        return DeadlineView(None, False, str(_l("Tindak lanjut dihentikan sementara")),
                            str(_l("Jam tindak lanjut berhenti selama menunggu anggaran.")),
                            complaint.budget_year)
    if not complaint.due_at:
        return None
    rule = rule_of(complaint, rules)
    return DeadlineView(
        # The reporter's reply window is not the OPD's to miss (as in the queue filter).
        due_at=complaint.due_at,
        overdue=complaint.due_at < now and complaint.due_stage != REPORTER_REPLY,
        stage=str(STAGE_LABELS.get(complaint.due_stage, complaint.due_stage or "")),
        rule=rule.describe() if rule else "", budget_year=None)
