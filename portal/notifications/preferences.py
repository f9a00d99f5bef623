"""Each staff member's notification settings: which channel besides the
in-app list, the phone number for WhatsApp, quiet hours, and batching.

In-app notices are never held: the list in /staf/notifikasi is where work
waits.  A notice for another channel created during quiet hours, or for
someone who asked for batches, is stored HELD with the moment its wait ends;
`release_due` (a periodic task) then sends one digest per person and channel.
"""
from datetime import datetime, time, timedelta, timezone

from flask_babel import lazy_gettext as _l
from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TimeField

from portal import clock, config, contact
from portal.accounts.models import User
from portal.db import BaseModel, database

APP, EMAIL, WHATSAPP, WEBPUSH, SMS = "app", "email", "whatsapp", "webpush", "sms"
CHANNEL_LABELS = {
    APP: _l("Hanya di aplikasi"),
    EMAIL: _l("Email"),
    WHATSAPP: _l("WhatsApp"),
    WEBPUSH: _l("Notifikasi di ponsel (web push)"),
}
BATCH_CHOICES = (0, 15, 30, 60, 120)
MAX_BATCH_MINUTES = 24 * 60


class NotifyPreference(BaseModel):
    user = ForeignKeyField(User, unique=True, backref="notify_preferences", on_delete="CASCADE")
    channel = CharField(max_length=16, default=EMAIL)
    phone = CharField(max_length=20, default="")
    quiet_start = TimeField(null=True)  # local time (the city's timezone)
    quiet_end = TimeField(null=True)
    batch_minutes = IntegerField(default=0)  # 0: each notice at once
    updated_at = DateTimeField(default=clock.utcnow)

    class Meta:
        table_name = "notify_preference"


class InvalidPreference(ValueError):
    """A setting the form cannot store; the message is for the user."""


def whatsapp_configured() -> bool:
    return bool(config.get("WHATSAPP_TOKEN") and config.get("WHATSAPP_PHONE_NUMBER_ID"))


def webpush_configured() -> bool:
    return bool(config.get("VAPID_PRIVATE_KEY") and config.get("VAPID_PUBLIC_KEY"))


def citizen_channels() -> dict:
    """The channels a reporter's contact can actually be reached on: what the
    citizen form may promise."""
    return {EMAIL: bool(config.get("MAIL_SERVER")), SMS: bool(config.get("SMS_GATEWAY_URL")),
            WHATSAPP: whatsapp_configured()}


def available_channels() -> dict:
    """The channels this city has configured, for the settings form."""
    usable = {APP: True, EMAIL: True, WHATSAPP: whatsapp_configured(),
              WEBPUSH: webpush_configured()}
    return {code: label for code, label in CHANNEL_LABELS.items() if usable[code]}


def for_user(user: User) -> NotifyPreference:
    """The stored settings, or the default: email when the account has an address."""
    stored = NotifyPreference.get_or_none(NotifyPreference.user == user)
    if stored is not None:
        return stored
    return NotifyPreference(user=user, channel=EMAIL if user.email else APP)


def for_users(users) -> dict:
    """{user id: settings} for many people in one query (the periodic passes)."""
    ids = [u.id for u in users]
    stored = {p.user_id: p for p in NotifyPreference.select().where(NotifyPreference.user.in_(ids))}
    return {u.id: stored.get(u.id) or NotifyPreference(user=u, channel=EMAIL if u.email else APP)
            for u in users}


def channel_of(person: User, pref) -> tuple[str | None, str | None]:
    """(channel, address) of the person's chosen channel besides the app, or (None, None)."""
    if pref.channel == EMAIL and person.email:
        return EMAIL, None
    if pref.channel == WHATSAPP and pref.phone and whatsapp_configured():
        return WHATSAPP, pref.phone
    if pref.channel == WEBPUSH and webpush_configured():
        return WEBPUSH, None
    return None, None


def _time(value: str, label) -> time | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise InvalidPreference(_l("%(field)s: tulis jam seperti 21:00.", field=label)) from None


def save(user: User, *, channel: str, phone: str = "", quiet_start: str = "",
         quiet_end: str = "", batch_minutes="0") -> NotifyPreference:
    """Validate and store the settings; raises InvalidPreference with a message."""
    if channel not in available_channels():
        raise InvalidPreference(_l("Pilih saluran yang tersedia."))
    try:  # +62…, as the citizen form stores numbers (portal.contact)
        phone = contact.normalize_phone(phone) if (phone or "").strip() else ""
    except contact.ContactInvalid:
        raise InvalidPreference(_l("Nomor WhatsApp tidak valid, misalnya 0812 3456 7890.")) from None
    if channel == WHATSAPP and not phone:
        raise InvalidPreference(_l("Isi nomor WhatsApp untuk saluran WhatsApp."))
    if channel == EMAIL and not user.email:
        raise InvalidPreference(_l("Akun Anda belum punya alamat email; pilih saluran lain."))
    start = _time(quiet_start, _l("Jam tenang mulai"))
    end = _time(quiet_end, _l("Jam tenang selesai"))
    if (start is None) != (end is None) or (start is not None and start == end):
        raise InvalidPreference(_l("Isi jam tenang mulai dan selesai (berbeda), atau kosongkan "
                                   "keduanya."))
    try:
        minutes = int(str(batch_minutes).strip() or 0)
    except ValueError:
        minutes = -1
    if not 0 <= minutes <= MAX_BATCH_MINUTES:
        raise InvalidPreference(_l("Interval ringkasan antara 0 dan %(max)d menit.",
                                   max=MAX_BATCH_MINUTES))
    values = {"channel": channel, "phone": phone, "quiet_start": start, "quiet_end": end,
              "batch_minutes": minutes, "updated_at": clock.utcnow()}
    with database.atomic():
        (NotifyPreference.insert(user=user, **values)
         .on_conflict(conflict_target=[NotifyPreference.user], update=values).execute())
    return for_user(user)


def _in_quiet_hours(pref, local: datetime) -> bool:
    start, end, now = pref.quiet_start, pref.quiet_end, local.time()
    if start is None or end is None:
        return False
    if start < end:
        return start <= now < end
    return now >= start or now < end  # across midnight, e.g. 21:00-06:00


def _quiet_end(pref, local: datetime) -> datetime:
    end = local.replace(hour=pref.quiet_end.hour, minute=pref.quiet_end.minute, second=0,
                        microsecond=0)
    return end if end > local else end + timedelta(days=1)


def hold_until(pref, now: datetime | None = None) -> datetime | None:
    """When a notice created `now` (aware) may go out through `pref`'s channel.

    None: at once.  Otherwise naive UTC, as stored: the end of quiet hours
    (everything held overnight goes out in one digest then), else the next
    multiple of the batch interval counted from local midnight.
    """
    local = (now or clock.now()).astimezone(config.local_tz())
    if _in_quiet_hours(pref, local):
        wait = _quiet_end(pref, local)
    elif pref.batch_minutes:
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        slots = int((local - midnight).total_seconds() // 60 // pref.batch_minutes) + 1
        wait = midnight + timedelta(minutes=slots * pref.batch_minutes)
    else:
        return None
    return wait.astimezone(timezone.utc).replace(tzinfo=None)
