"""Admin pages for deadlines: the SLA policy, days off, OPD opening hours.

Every change that moves deadlines enqueues `recompute_deadlines`, so open
complaints follow the new policy or calendar.
"""
from datetime import date

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from portal import clock
from portal.accounts import auth
from portal.complaints import workflow
from portal.complaints.models import Complaint
from portal.complaints.tracking import normalize
from portal.deadlines import opening_hours, sla as deadlines, tasks, workdays
from portal.directory import severity
from portal.directory.models import Opd
from portal.web.errors import error_page
from portal.web.forms import parse_int
from portal.web.rendering import render

bp = Blueprint("deadlines_admin", __name__, url_prefix="/staf/admin")
admin_only = auth.staff_required(workflow.ADMIN)
MAX_AMOUNT = 1000


@bp.app_template_global("deadline_view")
def deadline_view(complaint):
    # A queue page shows up to 75 complaints: read the small rule table once.
    if "sla_rules" not in g:
        g.sla_rules = deadlines.rules_by_id()
    return deadlines.for_display(complaint, rules=g.sla_rules)


def _policy_page(status=200, errors=None):
    rules = sorted(deadlines.SlaRule.select(),
                   key=lambda r: (deadlines.STAGES.index(r.stage) if r.stage in deadlines.STAGES
                                  else 99, r.classification, r.channel, r.severity))
    return render("deadlines/sla.html", status=status, rules=rules, errors=errors or [],
                  stages=deadlines.STAGE_LABELS, classes=deadlines.POLICY_CLASSES,
                  units=deadlines.UNIT_LABELS, severities=severity.LABELS)


def _rule_fields(form) -> tuple[dict, list[str]]:
    errors = []
    amount = parse_int(form.get("amount", ""), 1, MAX_AMOUNT) or 0
    if not 1 <= amount <= MAX_AMOUNT:
        errors.append(_("Batas waktu harus bilangan bulat 1 sampai %(max)d.", max=MAX_AMOUNT))
    unit = form.get("unit", "")
    if unit not in deadlines.UNIT_LABELS:
        errors.append(_("Pilih satuan: hari kerja atau jam."))
    basis = form.get("basis", "").strip()[:200]
    return {"amount": amount, "unit": unit, "basis": basis}, errors


@bp.get("/sla")
@admin_only
def policy():
    return _policy_page()


@bp.post("/sla/<int:rule_id>")
@admin_only
def update_rule(rule_id):
    rule = deadlines.SlaRule.get_or_none(deadlines.SlaRule.id == rule_id)
    if rule is None:
        return error_page(404)
    fields, errors = _rule_fields(request.form)
    if errors:
        return _policy_page(422, errors)
    deadlines.SlaRule.update(**fields).where(deadlines.SlaRule.id == rule.id).execute()
    tasks.recompute_deadlines()
    flash(_("Aturan batas waktu disimpan; batas waktu aduan terbuka dihitung ulang."))
    return redirect(url_for(".policy"), 303)


@bp.post("/sla")
@admin_only
def add_rule():
    fields, errors = _rule_fields(request.form)
    stage = request.form.get("stage", "")
    cls = request.form.get("classification", "")
    channel = request.form.get("channel", "").strip().lower()[:32]
    level = request.form.get("severity", "")
    if level and not severity.normalize(level):
        errors.append(_("Pilih tingkat yang tersedia."))
    if stage not in deadlines.STAGE_LABELS:
        errors.append(_("Pilih tahap yang tersedia."))
    if cls and cls not in deadlines.POLICY_CLASSES:
        errors.append(_("Pilih jenis laporan yang tersedia."))
    if deadlines.SlaRule.select().where((deadlines.SlaRule.stage == stage)
                                        & (deadlines.SlaRule.classification == cls)
                                        & (deadlines.SlaRule.channel == channel)
                                        & (deadlines.SlaRule.severity == level)).exists():
        errors.append(_("Aturan untuk tahap, jenis dan kanal ini sudah ada; ubah saja nilainya."))
    if errors:
        return _policy_page(422, errors)
    deadlines.SlaRule.create(stage=stage, classification=cls, channel=channel,
                             severity=severity.normalize(level), **fields)
    tasks.recompute_deadlines()
    flash(_("Aturan batas waktu ditambahkan."))
    return redirect(url_for(".policy"), 303)


@bp.post("/sla/<int:rule_id>/hapus")
@admin_only
def delete_rule(rule_id):
    deadlines.SlaRule.delete().where(deadlines.SlaRule.id == rule_id).execute()
    deadlines.install_defaults()  # a default rule deleted comes back with its default value
    tasks.recompute_deadlines()
    flash(_("Aturan dihapus."))
    return redirect(url_for(".policy"), 303)


@bp.get("/hari-libur")
@admin_only
def days_off():
    year = parse_int(request.args.get("tahun") or deadlines.to_local(clock.utcnow()).year)
    if year is None:
        return error_page(400, _("Tahun tidak sah."))
    if not 2000 <= year <= 2100:
        return error_page(400, _("Tahun harus antara 2000 dan 2100."))
    changes = {d.day: d for d in workdays.DayOff.select().order_by(workdays.DayOff.day)}
    return render("deadlines/hari_libur.html", year=year,
                  national=sorted(workdays.national_holidays(year).items()),
                  changes=changes, calendar=workdays.current_calendar())


@bp.post("/hari-libur")
@admin_only
def add_day_off():
    try:
        day = date.fromisoformat(request.form.get("tanggal", ""))
    except ValueError:
        flash(_("Tanggal tidak sah; pilih tanggal dari kalender."))
        return redirect(url_for(".days_off"), 303)
    off = request.form.get("jenis", "libur") != "masuk"
    note = request.form.get("keterangan", "").strip()[:200]
    existing = workdays.DayOff.get_or_none(workdays.DayOff.day == day)
    if existing:
        workdays.DayOff.update(off=off, note=note).where(workdays.DayOff.id == existing.id).execute()
    else:
        workdays.DayOff.create(day=day, off=off, note=note)
    tasks.recompute_deadlines()
    flash(_("Kalender diperbarui; batas waktu aduan terbuka dihitung ulang."))
    return redirect(url_for(".days_off", tahun=day.year), 303)


@bp.post("/hari-libur/<int:day_off_id>/hapus")
@admin_only
def remove_day_off(day_off_id):
    workdays.DayOff.delete().where(workdays.DayOff.id == day_off_id).execute()
    tasks.recompute_deadlines()
    flash(_("Perubahan kalender dihapus."))
    return redirect(url_for(".days_off"), 303)


@bp.get("/jam-buka")
@admin_only
def opening_hours_page():
    opds = list(Opd.select().order_by(Opd.code))
    return render("deadlines/jam_buka.html", opds=opds,
                  times={o.id: ", ".join(opening_hours.times_of(o)) for o in opds},
                  history=list(opening_hours.history()))


@bp.post("/jam-buka/<int:opd_id>")
@admin_only
def set_opening_hours(opd_id):
    opd = Opd.get_or_none(Opd.id == opd_id)
    if opd is None:
        return error_page(404)
    try:
        times = opening_hours.parse_times(request.form.get("jam", ""))
    except opening_hours.BadTimes as exc:
        flash(str(exc))
        return redirect(url_for(".opening_hours_page"), 303)
    opening_hours.set_times(opd, times)
    flash(_("Jam buka antrean %(opd)s disimpan.", opd=opd.code))
    return redirect(url_for(".opening_hours_page"), 303)


@bp.post("/aduan/<kode>/pengawasan")
@admin_only
def field_inspection(kode):
    """Mark a pengaduan as needing field inspection (berkadar pengawasan), or not."""
    code = normalize(kode)
    complaint = Complaint.get_or_none(Complaint.code == code) if code else None
    if complaint is None:
        return error_page(404)
    needed = request.form.get("perlu") == "1"
    Complaint.update(field_inspection=needed).where(Complaint.id == complaint.id).execute()
    complaint.field_inspection = needed
    deadlines.refresh(complaint)
    flash(_("Batas waktu aduan %(code)s dihitung ulang.", code=complaint.display_code))
    return redirect(request.referrer or url_for(".policy"), 303)
