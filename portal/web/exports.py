"""Downloads: the admin's export of the queue as filtered, and the public
open data per year.  Both stream, so a large year never sits in memory."""
from flask import Blueprint, Response, abort

from portal import clock, config
from portal.accounts.auth import current_user, staff_required
from portal.complaints import workflow
from portal.statistics import exports
from portal.web.errors import error_page
from portal.web.statistik import BadYear, parse_year
from portal.workspace import queue as queues

bp = Blueprint("exports", __name__)


def _download(chunks, mimetype: str, filename: str) -> Response:
    # The rows are read while the server sends them, after the request ended
    # (peewee connects again on demand; the thread's next request closes it).
    response = Response(chunks, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _queue_condition():
    from flask import request

    user = current_user()
    filters = queues.Filters.from_args(request.args)
    filters.after = None  # the export is every page, not the one after a cursor
    return queues.visible_to(user) & filters.condition()


@bp.get("/ekspor/antrean.csv")
@staff_required(workflow.ADMIN)
def queue_csv():
    rows = exports.queue_rows(_queue_condition(), clock.utcnow(), exports.status_labels(),
                              config.local_tz())
    stamp = clock.utcnow().strftime("%Y%m%d-%H%M")
    return _download(exports.csv_stream(exports.QUEUE_COLUMNS, rows),
                     "text/csv; charset=utf-8", f"aduan-{stamp}.csv")


@bp.get("/ekspor/antrean.json")
@staff_required(workflow.ADMIN)
def queue_json():
    rows = exports.queue_rows(_queue_condition(), clock.utcnow(), exports.status_labels(),
                              config.local_tz())
    stamp = clock.utcnow().strftime("%Y%m%d-%H%M")
    return _download(exports.json_stream(rows), "application/json", f"aduan-{stamp}.json")


@bp.get("/statistik/<tahun>/aduan.csv")
def open_data(tahun):
    try:
        year = parse_year(tahun)
    except BadYear:
        abort(404)
    response = _download(exports.csv_stream(exports.OPEN_DATA_COLUMNS,
                                            exports.open_data(year, exports.status_labels(),
                                                              config.local_tz())),
                         "text/csv; charset=utf-8", f"aduan-{year}.csv")
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response


def _dashboard_rows():
    """The rows of the dashboard for the request's filters, or an error page
    when the page itself would refuse them (no download of other rows)."""
    from portal.statistics.figures import CONFIDENTIAL_ROW
    from portal.web.dashboard import current_dashboard, filter_errors

    board = current_dashboard()
    errors = filter_errors(board.filters)
    if errors:
        return None, error_page(400, " ".join(errors))
    # Computed in the request (a few grouped queries): the rows are what the
    # page shows for the same filters, only written out.
    return list(exports.dashboard_rows(board, str(CONFIDENTIAL_ROW))), None


@bp.get("/ekspor/dasbor.csv")
@staff_required(workflow.ADMIN)
def dashboard_csv():
    rows, refused = _dashboard_rows()
    if refused:
        return refused
    stamp = clock.utcnow().strftime("%Y%m%d-%H%M")
    return _download(exports.csv_stream(exports.DASHBOARD_COLUMNS, rows),
                     "text/csv; charset=utf-8", f"dasbor-{stamp}.csv")


@bp.get("/ekspor/dasbor.json")
@staff_required(workflow.ADMIN)
def dashboard_json():
    rows, refused = _dashboard_rows()
    if refused:
        return refused
    stamp = clock.utcnow().strftime("%Y%m%d-%H%M")
    return _download(exports.json_stream(rows), "application/json", f"dasbor-{stamp}.json")
