"""The reader's translations and date format, looked up once per request.

Why: Flask-Babel's template `_()` finds the translations through four or
five context lookups on every call.  The queue page calls it about 760 times
(nine column labels for each of 75 rows, the deadline cell...), which was a
third of the page's time.  Here the translations and the month names are
remembered beside Flask-Babel's own per-request state, keyed by the locale
object it holds, so `force_locale` (mails in another language) still gets
its own language: a new locale object is a new key.
"""
from datetime import UTC

from flask import g
from flask_babel import get_locale, get_timezone, get_translations


def _state():
    """Flask-Babel's per-request namespace, or None outside a request or app context."""
    return g.get("_flask_babel") if g else None


def _per_locale(name: str, compute):
    """`compute()` once per request and locale, kept as `name` on Flask-Babel's state."""
    state = _state()
    memo = getattr(state, name, None)
    if memo is not None and memo[0] is getattr(state, "babel_locale", None):
        return memo[1]
    value = compute()
    state = _state()  # created by Flask-Babel's own lookups when it was missing
    if state is not None:
        setattr(state, name, (getattr(state, "babel_locale", None), value))
    return value


def translations():
    return _per_locale("aduan_translations", get_translations)


def _date_parts():
    """(abbreviated month names, timezone) for the current locale."""
    return _per_locale("aduan_dates", lambda: (
        dict(get_locale().months["format"]["abbreviated"]), get_timezone()))


def localtime(dt) -> str:
    """A stored naive-UTC time as Babel's "d MMM yyyy HH:mm" in the city's
    timezone (e.g. "3 Des 2026 21:02"), from Babel's month names.

    Why not `format_datetime` per call: it parses the pattern and finds the
    locale and timezone again for each of the queue's 75 rows.
    """
    if not dt:
        return ""
    months, zone = _date_parts()
    local = (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(zone)
    return f"{local.day} {months[local.month]} {local.year:04d} {local.hour:02d}:{local.minute:02d}"


def install(app) -> None:
    """Replace Flask-Babel's template callables with the memoised ones (same
    newstyle behaviour: autoescape and `%(name)s` formatting stay Jinja's)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True)
    app.jinja_env.filters["localtime"] = localtime
