"""The leaders' dashboard: /staf/dasbor for the admin, the auditor and each
pimpinan (who sees their own OPD only, as in the queue)."""
from flask import Blueprint, request
from flask_babel import gettext as _

from portal import clock
from portal.accounts.auth import current_user, staff_required
from portal.complaints import workflow
from portal.deadlines import sla
from portal.directory.models import Category, Opd
from portal.statistics import dashboard
from portal.web.rendering import render
from portal.workspace import queue as queues

bp = Blueprint("dashboard", __name__, url_prefix="/staf")
ROLES = (workflow.ADMIN, workflow.AUDITOR, workflow.PIMPINAN)


@bp.get("/dasbor")
@staff_required(*ROLES)
def index():
    user = current_user()
    today = sla.to_local(clock.utcnow()).date()
    filters = dashboard.Filters.from_args(request.args, today)
    if user.role not in workflow.CITY_WIDE_ROLES:
        filters.opd_id = user.opd_id
    visible = queues.visible_to(user)
    rows = dashboard.per_opd(visible, filters)
    error = _("Tanggal ditulis TTTT-BB-HH, dan 'dari' tidak boleh setelah 'sampai'.") \
        if filters.errors else None
    return render("staff/dasbor.html", filters=filters, rows=rows,
                  ranking=dashboard.ranking(rows, filters.min_n),
                  budget=dashboard.waiting_for_budget(visible, filters),
                  buckets=dashboard.AGE_BUCKETS, error=error,
                  opds=list(Opd.select().order_by(Opd.name))
                  if user.role in workflow.CITY_WIDE_ROLES else [],
                  categories=list(Category.select().order_by(Category.name)),
                  channels=queues.channels(user), statuses=workflow.STATUS_LABELS,
                  status=400 if error else 200)
