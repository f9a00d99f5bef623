"""Opening hours: when each OPD's operators must open their queue.

Each OPD lists times (e.g. 08:00 and 13:00) on working days.  Opening the
queue page records a `QueueOpening`; if nobody opened it by a set time plus
the grace period, the operators are reminded, and after a second grace
period the pimpinan is notified.  The openings are kept as history.
"""
import re
from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from peewee import JOIN, CharField, DateTimeField, ForeignKeyField

from portal import clock, config
from portal.accounts.models import User
from portal.complaints import workflow
from portal.db import BaseModel, first_compiled
from portal.deadlines import workdays
from portal.deadlines.sla import to_local, to_utc_naive
from portal.directory.models import Opd
from portal.notifications import service as notifications

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
# Reloading the queue (htmx polling) should not fill the history.
REOPEN_QUIET = timedelta(minutes=10)


class OpeningHour(BaseModel):
    opd = ForeignKeyField(Opd, backref="opening_hours", on_delete="CASCADE")
    at = CharField(max_length=5)  # "HH:MM", local time

    class Meta:
        table_name = "opening_hour"
        indexes = ((("opd", "at"), True),)


class QueueOpening(BaseModel):
    opd = ForeignKeyField(Opd, backref="queue_openings", on_delete="CASCADE")
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    opened_at = DateTimeField(default=clock.utcnow, index=True)

    class Meta:
        table_name = "queue_opening"


class BadTimes(ValueError):
    pass


def parse_times(text: str) -> list[str]:
    """"08:00, 13.00" -> ["08:00", "13:00"]; raises BadTimes with an Indonesian message."""
    times = set()
    for part in re.split(r"[,;\s]+", (text or "").strip()):
        if not part:
            continue
        match = _TIME.match(part)
        if not match:
            raise BadTimes(_("Jam \"%(part)s\" tidak dikenal; tulis seperti 08:00, 13:00.",
                             part=part[:10]))
        times.add(f"{int(match[1]):02d}:{match[2]}")
    return sorted(times)


def set_times(opd: Opd, times: list[str]) -> None:
    OpeningHour.delete().where(OpeningHour.opd == opd).execute()
    for at in times:
        OpeningHour.create(opd=opd, at=at)


def times_of(opd: Opd) -> list[str]:
    return [h.at for h in opd.opening_hours.order_by(OpeningHour.at)]


def record_opening(user: User) -> QueueOpening | None:
    """An operator opened the queue; kept unless they did so minutes ago."""
    if user.role != workflow.OPERATOR or not user.opd_id:
        return None
    now = clock.utcnow()
    since = now - REOPEN_QUIET
    recent = QueueOpening.select(QueueOpening.id).where((QueueOpening.user == user.id)
                                                        & (QueueOpening.opened_at > since))
    if first_compiled("recent_opening", recent, user.id, since) is not None:  # every queue load
        return None
    return QueueOpening.create(opd=user.opd_id, user=user, opened_at=now)


def _slot_moment(day, at: str) -> datetime:
    hour, minute = map(int, at.split(":"))
    return to_utc_naive(datetime.combine(day, time(hour, minute), config.local_tz()))


def check(now: datetime | None = None) -> list[int]:
    """Remind operators, then the pimpinan, of each missed opening today."""
    now = now or clock.utcnow()
    today = to_local(now).date()
    if not workdays.current_calendar().is_working_day(today):
        return []
    grace = timedelta(minutes=int(config.get("QUEUE_OPEN_GRACE_MINUTES", 30)))
    created = []
    for opd in Opd.select().join(OpeningHour).distinct():
        # An opening counts for a slot if it happened after the previous slot.
        window_start = _slot_moment(today, "00:00")
        for at in times_of(opd):
            slot = _slot_moment(today, at)
            if now < slot + grace:
                break
            opened = QueueOpening.select().where(
                (QueueOpening.opd == opd) & (QueueOpening.opened_at >= window_start)).exists()
            if not opened:
                created += _missed(opd, today, at, now >= slot + 2 * grace)
            window_start = slot
    return created


def _missed(opd: Opd, day, at: str, tell_pimpinan: bool) -> list[int]:
    key = f"jam_buka:{opd.id}:{day.isoformat()}:{at}"
    subject = _("Antrean %(opd)s belum dibuka (jadwal %(at)s)", opd=opd.code, at=at)
    body = _("Belum ada operator yang membuka antrean aduan %(opd)s sejak jadwal pukul %(at)s.",
             opd=opd.name, at=at)
    link = f"{config.get('BASE_URL')}/staf/antrean"
    roles = [workflow.OPERATOR] + ([workflow.PIMPINAN] if tell_pimpinan else [])
    ids = []
    for user in User.select().where((User.opd == opd) & User.role.in_(roles) & User.active):
        ids += notifications.for_user(user, f"{key}:{user.id}", subject, body=body,
                                      kind="jam_buka", link=link)
    return ids


def history(days: int = 14):
    since = clock.utcnow() - timedelta(days=days)
    return (QueueOpening.select(QueueOpening, Opd, User)
            .join(Opd).switch(QueueOpening).join(User, JOIN.LEFT_OUTER)
            .where(QueueOpening.opened_at >= since)
            .order_by(QueueOpening.opened_at.desc()))
