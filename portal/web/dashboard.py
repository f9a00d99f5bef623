"""The leaders' dashboard: /staf/dasbor for the admin, the auditor and each
pimpinan (who sees their own OPD only, as in the queue)."""
from flask import Blueprint, request
from flask_babel import gettext as _

from portal import clock
from portal.accounts.auth import current_user, staff_required
from portal.complaints import workflow
from portal.deadlines import sla
from portal.directory.models import Category, Opd
from portal.statistics import dashboard, stages
from portal.web import statistik
from portal.web.rendering import render
from portal.workspace import queue as queues

bp = Blueprint("dashboard", __name__, url_prefix="/staf")
bp.context_processor(statistik.number_helpers)
ROLES = (workflow.ADMIN, workflow.AUDITOR, workflow.PIMPINAN)


def current_dashboard() -> dashboard.Dashboard:
    """The figures for the request's filters, as the signed-in user may see them."""
    user = current_user()
    today = sla.to_local(clock.utcnow()).date()
    filters = dashboard.Filters.from_args(request.args, today)
    if user.role not in workflow.CITY_WIDE_ROLES:
        filters.opd_id = user.opd_id
    return dashboard.build(queues.visible_to(user), filters)


def filter_errors(filters) -> list[str]:
    errors = []
    if {"dari", "sampai"} & set(filters.errors):
        errors.append(_("Tanggal ditulis TTTT-BB-HH, dan 'dari' tidak boleh setelah 'sampai'."))
    if "kelompok" in filters.errors:
        errors.append(_("Pilihan 'Kelompokkan menurut' tidak dikenal; dipakai per bulan."))
    return errors


@bp.get("/dasbor")
@staff_required(*ROLES)
def index():
    user = current_user()
    board = current_dashboard()
    errors = filter_errors(board.filters)
    return render("staff/dasbor.html", board=board, filters=board.filters, rows=board.rows,
                  ranking=board.ranking, budget=board.budget, groups=board.groups,
                  buckets=dashboard.AGE_BUCKETS, errors=errors,
                  group_labels=dashboard.GROUPS, stage_labels=stages.STAGE_LABELS,
                  definitions=stages.DEFINITIONS, can_export=user.role == workflow.ADMIN,
                  opds=list(Opd.select().order_by(Opd.name))
                  if user.role in workflow.CITY_WIDE_ROLES else [],
                  categories=list(Category.select().order_by(Category.name)),
                  channels=queues.channels(user), statuses=workflow.STATUS_LABELS,
                  status=400 if errors else 200)
