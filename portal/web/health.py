"""GET /healthz: is the database reachable, is the queue reachable."""
from flask import Blueprint, current_app, jsonify

from portal.db import database
from portal.tasks.app import check_queue

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    checks = {}
    for name, probe in (("database", _check_database), ("queue", check_queue)):
        try:
            probe()
            checks[name] = "ok"
        except Exception as exc:  # any failure of a dependency is a 503, not a 500
            checks[name] = f"error: {type(exc).__name__}"
    healthy = all(v == "ok" for v in checks.values())
    response = jsonify(status="ok" if healthy else "error", checks=checks)
    response.status_code = 200 if healthy else 503
    response.cache_control.no_store = True
    return response


def _check_database():
    database.execute_sql("SELECT 1").fetchone()


@bp.get("/favicon.ico")
def favicon():
    # Browsers ask for /favicon.ico on every site whatever the page links;
    # answering it keeps 404s out of the logs and gives the tab an icon.
    return current_app.send_static_file("favicon.ico")
