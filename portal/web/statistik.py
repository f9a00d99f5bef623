"""Public statistics: /statistik (with .json) and the annual report.

Both read `portal.statistics.figures`, which reads only the aggregate tables.
"""
from flask import Blueprint, abort, jsonify, request
from flask_babel import gettext as _

from portal import clock
from portal.statistics import figures
from portal.web import charts
from portal.web.errors import error_page
from portal.web.rendering import render

bp = Blueprint("statistik", __name__)

FIRST_YEAR, LAST_YEAR = 2000, 2100
# Figures change with each event, but a few minutes old is fine for the
# public and lets a proxy absorb a journalist's link going viral.
MAX_AGE = 300


class BadYear(ValueError):
    pass


def parse_year(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or not FIRST_YEAR <= int(raw) <= LAST_YEAR:
        raise BadYear(_("Tahun harus berupa angka antara %(low)d dan %(high)d.",
                        low=FIRST_YEAR, high=LAST_YEAR))
    return int(raw)


def _cached(response):
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response


def chart_set(f: figures.Figures) -> dict:
    month_tick = charts.month_tick if f.year else charts.year_month_tick
    return {
        "year": charts.columns(f.by_year, charts.year_tick),
        "month": charts.columns(f.by_month, month_tick),
        "opd": charts.rows(f.by_opd),
        "category": charts.rows(f.by_category),
        "channel": charts.rows(f.by_channel),
        "budget": charts.rows([(str(y), n) for y, n in f.budget]),
    }


@bp.get("/statistik")
def index():
    try:
        year = parse_year(request.args.get("tahun"))
    except BadYear as exc:
        return error_page(400, str(exc))
    f = figures.compute(year)
    return _cached(render("statistik/index.html", f=f, charts=chart_set(f),
                          definitions=figures.DEFINITIONS))


@bp.get("/statistik.json")
def as_json():
    try:
        year = parse_year(request.args.get("tahun"))
    except BadYear as exc:
        response = jsonify({"error": str(exc)})
        response.status_code = 400
        return response
    return _cached(jsonify(figures.compute(year).as_json()))


@bp.get("/statistik/<tahun>")
def annual_report(tahun):
    try:
        year = parse_year(tahun)
    except BadYear:
        abort(404)
    if year is None:
        abort(404)
    this, previous = figures.compute(year), figures.compute(year - 1)
    return _cached(render("statistik/laporan.html", f=this, prev=previous,
                          month_chart=charts.columns(this.by_month, charts.month_tick),
                          definitions=figures.DEFINITIONS, printed_at=clock.utcnow()))


@bp.context_processor
def number_helpers():
    """Numbers in the reader's locale (50,0 % in Indonesian, 50.0% in English);
    "–" when there is none."""
    from portal.web.i18n import number, percent

    def num(value, pattern="#,##0.0"):
        return number(value, pattern)

    def days(value):
        return number(value)

    def change(now, before):
        """Year-over-year change in percent, or "–" when last year had none."""
        if now is None or not before:
            return "–"
        return percent(100 * (now - before) / before, signed=True)

    return {"num": num, "pct": percent, "days": days, "change": change}
