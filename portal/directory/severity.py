"""Severity (tingkat) of a complaint: ringan, sedang or berat.

Rabeg reports carry one; other complaints take their category's default,
which the admin sets.  Light matters (e.g. rubbish) get the shorter SLA
rules written for that severity (see portal.deadlines).  "" means unknown.
"""
from flask_babel import lazy_gettext as _l

RINGAN, SEDANG, BERAT = "ringan", "sedang", "berat"
LABELS = {RINGAN: _l("Ringan"), SEDANG: _l("Sedang"), BERAT: _l("Berat")}
SEVERITIES = tuple(LABELS)


def normalize(value) -> str:
    """A known severity, or "" for anything else."""
    value = (value or "").strip().lower() if isinstance(value, str) else ""
    return value if value in LABELS else ""


def label(value: str) -> str:
    return str(LABELS.get(value, "—"))


def for_new_complaint(fields: dict) -> str:
    """The severity given (a channel's own), else the category's default."""
    given = normalize(fields.get("severity"))
    if given:
        return given
    category = fields.get("category")
    if isinstance(category, int):  # the web form passes the id
        from portal.directory.models import Category

        category = Category.get_or_none(Category.id == category)
    return normalize(getattr(category, "default_severity", "")) if category else ""
