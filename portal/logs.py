"""Logging for the web app, the worker and scripts.

One format everywhere, with the request id on every line logged while a
request is handled ("-" outside one), so a line in gunicorn's error log can be
traced to the request that wrote it.  The request id is the proxy's
`X-Request-ID` when it sends a sane one, else a fresh one; it is echoed in the
response.
"""
import logging
import re
import time
import uuid

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id`: the current request's id, or "-"."""

    def filter(self, record):
        record.request_id = current_request_id()
        return True


def current_request_id() -> str:
    from flask import g, has_request_context

    if has_request_context():
        return g.get("request_id", "-")
    return "-"


def configure(level: str = "INFO") -> None:
    """Send the "aduan" loggers to stderr, once, unless logging is set up already.

    Why the check: gunicorn, `flask run` and huey_consumer leave the root
    logger bare, so without this INFO is lost; a host that configured logging
    itself (or pytest) keeps its own handlers and gets our records through them.
    """
    logger = logging.getLogger("aduan")
    logger.setLevel(level.upper() if isinstance(level, str) else level)
    if logging.getLogger().handlers or any(getattr(h, "_aduan", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler()
    handler._aduan = True
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)


def init_app(app):
    configure(app.config.get("LOG_LEVEL", "INFO"))

    from flask import g, request

    web_log = logging.getLogger("aduan.web")

    @app.before_request
    def _assign_request_id():
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex[:16]
        g.request_started = time.perf_counter()

    @app.after_request
    def _echo_request_id(response):
        if "request_id" in g:
            response.headers[REQUEST_ID_HEADER] = g.request_id
        if "request_started" in g:
            # One line per request under the app's own logger: gunicorn's
            # access log is off by default and knows no request id.
            elapsed = (time.perf_counter() - g.request_started) * 1000
            web_log.info("%s %s %s %.0fms", request.method, request.path,
                         response.status_code, elapsed)
        return response
