"""One helper renders a whole page or only the block htmx asked for."""
from flask import make_response
from flask_compress import Compress
from flask_htmx import HTMX
from jinja2_fragments.flask import render_block

htmx = HTMX()
compress = Compress()


VARY = ("HX-Request", "HX-History-Restore-Request")


def wants_fragment() -> bool:
    """Whether to answer with only a block of the page.

    Not for a boosted link, and not when htmx restores a page it found no
    longer in its history cache: that answer replaces the whole body.  (The
    staff pages also tell htmx not to send HX-Request then; this holds for
    a client that still does.)
    """
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template: str, block: str = "content", status: int = 200, **context):
    """The full page, or just `block` when the request came from htmx.

    Responses vary on the htmx headers so a cache never serves a fragment as a page.
    """
    from flask import render_template

    if wants_fragment():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status)
    response.vary.update(VARY)
    return response


def init_app(app):
    # Citizen pages must fit one TCP initial window; indentation is not free.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    htmx.init_app(app)
    app.config.setdefault("COMPRESS_MIMETYPES", ["text/html", "text/css", "application/json",
                                                  "application/javascript"])
    # gzip only: every phone browser speaks it, and it is cheap for the server.
    app.config.setdefault("COMPRESS_ALGORITHM", ["gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 300)
    compress.init_app(app)
