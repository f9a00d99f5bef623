"""Bahasa Indonesia first; English on request (?lang=en, remembered in a cookie)."""
from urllib.parse import urlencode

from flask import has_request_context, request
from flask_babel import Babel, format_decimal, format_percent, get_locale, lazy_gettext as _l

from portal.complaints import workflow
from portal.web import locale_cache

LANG_COOKIE = "lang"

# Timeline actors stored as words rather than accounts: shown in the reader's language.
ACTOR_LABELS = {"Pelapor": _l("Pelapor"), "Sistem": _l("Sistem")}


def select_locale():
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # background work (mails, digests): the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def number(value, pattern: str = "#,##0") -> str:
    """A count or measure in the reader's locale: 1.234 in Indonesian, 1,234
    in English; "–" when there is none."""
    return "–" if value is None else format_decimal(value, format=pattern)


def percent(value, signed: bool = False) -> str:
    """`value` (0..100) as a percentage with one decimal: 85,3 % in Indonesian
    (the space as Indonesian official writing has it), 85.3% in English."""
    if value is None:
        return "–"
    spaced = get_locale().language == "id"
    text = format_percent(value / 100, format="#,##0.0 %" if spaced else "#,##0.0%")
    return ("+" + text) if signed and value > 0 else text


def language_url(lang: str) -> str:
    """This page in `lang`: the same path and query, `lang` replaced."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    return request.path + "?" + urlencode(args, doseq=True)


def init_app(app):
    Babel(app, locale_selector=select_locale, default_timezone=app.config["TIMEZONE"])

    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.globals["language_url"] = language_url
    app.jinja_env.filters["number"] = number
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.globals["actor_label"] = lambda actor: str(ACTOR_LABELS.get(actor, actor))
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals["event_label"] = lambda event: workflow.event_label(
        event.kind, event.opd_code)
    # Stored times are naive UTC; shown in the city's timezone, and `_()` in
    # templates, both through a per-request memo (see locale_cache).
    locale_cache.install(app)

    @app.after_request
    def remember_language(response):
        lang = request.args.get("lang")
        if lang in app.config["LANGUAGES"]:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax")
        return response
