"""The per-request memo of translations and dates gives what Flask-Babel gives."""
from datetime import datetime, timedelta

import pytest
from flask import render_template_string
from flask_babel import force_locale, format_datetime

from portal.web import locale_cache

pytestmark = pytest.mark.once


@pytest.mark.parametrize("lang", ["id", "en"])
def test_localtime_matches_babel_for_every_month_and_the_day_boundary(app, lang):
    # 16:30 UTC is past midnight in Asia/Jakarta: the date must move with the timezone.
    times = [datetime(2026, month, 28, 16, 30) for month in range(1, 13)]
    times += [datetime(2025, 12, 31, 23, 59, 59), datetime(2026, 1, 1, 0, 0) - timedelta(minutes=1)]
    with app.test_request_context(f"/?lang={lang}"):
        for when in times:
            assert locale_cache.localtime(when) == format_datetime(when, "d MMM yyyy HH:mm")
        assert locale_cache.localtime(None) == ""


def test_template_gettext_follows_the_request_language_and_force_locale(app):
    with app.test_request_context("/?lang=en"):
        assert render_template_string("{{ _('Kode') }}") == "Code"
        with force_locale("id"):
            # A mail rendered in the default language inside an English request.
            assert render_template_string("{{ _('Kode') }}") == "Kode"
        assert render_template_string("{{ _('Kode') }}") == "Code"
    with app.test_request_context("/"):
        assert render_template_string("{{ _('Kode') }}") == "Kode"


def test_template_gettext_keeps_escaping_and_placeholders(app):
    with app.test_request_context("/?lang=en"):
        out = render_template_string("{{ _('Anggaran %(year)s', year='<b>') }}")
    assert "&lt;b&gt;" in out and "<b>" not in out
