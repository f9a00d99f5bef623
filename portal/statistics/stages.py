"""Punctuality facts of one complaint: each step of the chain against its
deadline, and how soon the OPD's queue was opened after the complaint
reached it.

Every step is stored as two moments, when it was due and when it was done,
so the dashboard counts "on time" in SQL (done by due) and a step still
waiting counts as late as soon as its due moment passes, without anything
having to happen to the complaint.  The deadlines come from the SLA rules
and the working-day calendar (`portal.deadlines.sla.stage_due`), exactly
as the running deadline of the queue.
"""
from datetime import datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from portal import config
from portal.complaints import workflow
from portal.deadlines import sla, workdays

ROUTING, REPORT, DISPOSE, FOLLOW_UP, PUBLISH = (
    "penerusan", "laporan", "disposisi", "tindak_lanjut", "publikasi")
STAGE_LABELS = {
    ROUTING: _l("Diteruskan ke OPD (admin)"),
    REPORT: _l("Dilaporkan ke pimpinan (operator)"),
    DISPOSE: _l("Didisposisikan ke Kabid (pimpinan)"),
    FOLLOW_UP: _l("Tindak lanjut (Kabid)"),
    PUBLISH: _l("Tanggapan dipublikasikan"),
}
STAGES = tuple(STAGE_LABELS)
# StatFact columns of each step: (due, done).
COLUMNS = {stage: (f"{stage}_due", f"{stage}_at") for stage in STAGES}
QUEUE_COLUMNS = ("queue_arrived_at", "queue_opened_at", "queue_wait_minutes",
                 "queue_day_due", "queue_slot_due")

# The SLA clock each step runs under.  The regulation sets one limit for
# the whole follow-up inside the OPD (from the forwarding to the published
# response), so the pimpinan's disposition, the Kabid's follow-up and the
# publication are each on time when done before that limit.
SLA_STAGE = {ROUTING: sla.VERIFICATION, REPORT: sla.FIRST_RESPONSE, DISPOSE: sla.FOLLOW_UP,
             FOLLOW_UP: sla.FOLLOW_UP, PUBLISH: sla.FOLLOW_UP}
# Per step: the statuses that close it, and those a complaint may pass
# through meanwhile; any other status ends the step without it (returned as
# "bukan wewenang", closed in its channel): such a step is not counted.
_OPD_STEPS = (
    (REPORT, None, {workflow.DITERUSKAN}),  # None: any step out of "diteruskan"
    (DISPOSE, {workflow.DIDISPOSISI, workflow.DITINDAKLANJUTI}, {workflow.DILAPORKAN}),
    (FOLLOW_UP, {workflow.DITINDAKLANJUTI, workflow.SELESAI},
     {workflow.DIDISPOSISI, workflow.MENUNGGU_ANGGARAN}),
    (PUBLISH, {workflow.SELESAI}, {workflow.DITINDAKLANJUTI}),
)
FORWARD_KINDS = frozenset({"teruskan", "terima_kanal"})
DAY_END = time(23, 59, 59)
SLOT_SEARCH_DAYS = 31

DEFINITIONS = {
    "on_time": _l("Tepat waktu per tahap: persentase langkah yang dikerjakan paling lambat "
                  "pada batas waktunya. Batas waktu dihitung dengan aturan SLA dan kalender "
                  "hari kerja yang sama dengan tenggat di antrean: penerusan oleh admin "
                  "memakai batas verifikasi sejak aduan diterima; laporan ke pimpinan "
                  "memakai batas tanggapan awal sejak aduan diteruskan ke OPD; disposisi, "
                  "tindak lanjut dan publikasi tanggapan memakai batas tindak lanjut sejak "
                  "aduan diteruskan ke OPD (waktu menunggu anggaran tidak dihitung). Langkah "
                  "yang belum dikerjakan dihitung terlambat begitu batasnya lewat, dan belum "
                  "dihitung selama batasnya belum lewat. Jawaban langsung pimpinan "
                  "menyelesaikan disposisi dan tindak lanjut sekaligus."),
    "queue": _l("Pembukaan antrean: sejak aduan diteruskan ke OPD sampai operator OPD itu "
                "pertama kali membuka antreannya. Jam kerja = jam pada hari kerja (Sabtu, "
                "Minggu dan hari libur tidak dihitung). \"Hari yang sama\": dibuka paling "
                "lambat pada akhir hari kerja aduan tiba (atau hari kerja berikutnya bila "
                "tiba pada hari libur). \"Sesuai jam buka\": dibuka paling lambat pada jam "
                "buka OPD berikutnya setelah aduan tiba ditambah masa tenggang; hanya OPD "
                "yang punya jam buka. Yang belum dibuka dihitung terlambat begitu batasnya "
                "lewat."),
}


def derive(complaint, changes: list, all_rules: dict, calendar: workdays.Calendar,
           first_opening, opening_times: list[str], grace: timedelta) -> dict:
    """The StatFact punctuality columns of one complaint.

    `changes` are its status-changing events in order; `first_opening(opd_id,
    since)` gives the first queue opening of the OPD at or after a moment;
    `opening_times` are the OPD's opening hours ("HH:MM")."""
    out = {column: None for pair in COLUMNS.values() for column in pair}
    out.update({column: None for column in QUEUE_COLUMNS})
    _routing(out, complaint, changes, all_rules, calendar)
    forwards = [i for i, e in enumerate(changes)
                if e.kind in FORWARD_KINDS and e.status_after == workflow.DITERUSKAN]
    if not forwards:
        return out
    # The OPD it is credited to now received it with the last forwarding.
    start = forwards[-1]
    reached = start
    for stage, closes, passing in _OPD_STEPS:
        closed = _scan(changes, reached, closes, passing)
        if closed is False:
            break
        _set(out, stage, complaint, changes, start, closed, all_rules, calendar, passing)
        if closed is None:
            break
        if stage == REPORT and changes[closed].status_after != workflow.DILAPORKAN:
            break  # returned or closed in its channel: no disposition follows
        reached = closed
    if complaint.opd_id:
        _queue(out, changes[start].created_at, complaint.opd_id, calendar, first_opening,
               opening_times, grace)
    return out


def _scan(changes, reached, closes, passing):
    """The index of the change that closes the step reached at `reached`
    (which may close it itself: a direct answer is also the follow-up), None
    while it runs, False if it ended otherwise."""
    for i in range(reached, len(changes)):
        status = changes[i].status_after
        if i > reached or closes is not None:
            if closes is None and status not in passing:
                return i
            if closes is not None and status in closes:
                return i
        if i > reached and status not in passing:
            return False
    return None


def _set(out, stage, complaint, changes, start, closed, all_rules, calendar, passing):
    due, done = COLUMNS[stage]
    if closed is None and complaint.status not in passing - {workflow.MENUNGGU_ANGGARAN}:
        return  # not counted: waiting for a budget stops the clock
    span = changes[start:closed + 1] if closed is not None else changes[start:]
    out[due] = sla.stage_due(complaint, SLA_STAGE[stage], changes[start].created_at, span,
                             all_rules, calendar)
    out[done] = changes[closed].created_at if closed is not None else None


def _routing(out, complaint, changes, all_rules, calendar):
    forward = next((i for i, e in enumerate(changes)
                    if e.status_after == workflow.DITERUSKAN), None)
    end = forward if forward is not None else len(changes)
    # Asking the reporter for information stops the clock; it starts again
    # when the complaint is back in verification.
    entries = [i for i in range(end) if changes[i].status_after == workflow.BARU
               and (i == 0 or changes[i - 1].status_after != workflow.BARU)]
    if not entries or (forward is None and complaint.status != workflow.BARU):
        return
    due, done = COLUMNS[ROUTING]
    out[due] = sla.stage_due(complaint, SLA_STAGE[ROUTING], changes[entries[-1]].created_at,
                             [], all_rules, calendar)
    out[done] = changes[forward].created_at if forward is not None else None


def _queue(out, arrived, opd_id, calendar, first_opening, opening_times, grace):
    opened = first_opening(opd_id, arrived)
    local = sla.to_local(arrived)
    day = local.date()
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    out.update(
        queue_arrived_at=arrived, queue_opened_at=opened,
        queue_wait_minutes=working_minutes(arrived, opened, calendar) if opened else None,
        queue_day_due=sla.to_utc_naive(datetime.combine(day, DAY_END, config.local_tz())),
        queue_slot_due=_next_slot(local, opening_times, calendar, grace))


def _next_slot(local: datetime, times: list[str], calendar, grace) -> datetime | None:
    """The first opening hour at or after `local` on a working day, plus the grace."""
    if not times:
        return None
    day = local.date()
    for _ in range(SLOT_SEARCH_DAYS):
        if calendar.is_working_day(day):
            for at in sorted(times):
                hour, minute = map(int, at.split(":"))
                slot = datetime.combine(day, time(hour, minute), config.local_tz())
                if slot >= local:
                    return sla.to_utc_naive(slot + grace)
        day += timedelta(days=1)
    return None


def working_minutes(start: datetime, end: datetime, calendar: workdays.Calendar) -> int:
    """Minutes between two moments (naive UTC) that fall on working days, local time."""
    if end <= start:
        return 0
    a, b = sla.to_local(start), sla.to_local(end)
    total = timedelta(0)
    day = a.date()
    while day <= b.date():
        if calendar.is_working_day(day):
            begin = datetime.combine(day, time.min, a.tzinfo)
            finish = begin + timedelta(days=1)
            total += max(timedelta(0), min(b, finish) - max(a, begin))
        day += timedelta(days=1)
    return int(total.total_seconds() // 60)


class Context:
    """What deriving many complaints shares: the SLA rules, each OPD's opening
    hours and the grace, read once per run."""

    def __init__(self):
        from portal.deadlines.opening_hours import OpeningHour

        self.rules = sla.rules()
        self.times: dict[int, list[str]] = {}
        for hour in OpeningHour.select(OpeningHour.opd, OpeningHour.at):
            self.times.setdefault(hour.opd_id, []).append(hour.at)
        self.grace = timedelta(minutes=int(config.get("QUEUE_OPEN_GRACE_MINUTES", 30)))

    @staticmethod
    def first_opening(opd_id: int, since: datetime) -> datetime | None:
        from portal.deadlines.opening_hours import QueueOpening

        row = (QueueOpening.select(QueueOpening.opened_at)
               .where((QueueOpening.opd == opd_id) & (QueueOpening.opened_at >= since))
               .order_by(QueueOpening.opened_at).limit(1).first())
        return row.opened_at if row else None

    def derive(self, complaint, changes: list, calendar: workdays.Calendar) -> dict:
        return derive(complaint, changes, self.rules, calendar, self.first_opening,
                      self.times.get(complaint.opd_id, []), self.grace)
