"""Static files: content-hashed URLs, cached for a year, compressed once.

`url_for('static', filename=...)` gets `?v=<hash of the bytes>`, so a
changed file gets a new URL and the old one may be cached forever
(`immutable`).  A request without the current hash (an old page, a typed
URL) is still answered, but must be revalidated.

Each file is read and compressed (gzip, and brotli when installed) the first
time it is asked for, then served from memory: compressing htmx on every
request would cost more than sending it.  4xx pages (a form redisplayed with
its errors is a 422) are compressed here too; Flask-Compress skips every
status outside 2xx.
"""
import gzip
import hashlib
import os
from dataclasses import dataclass
from mimetypes import guess_type

from flask import Response, abort, current_app, request
from werkzeug.security import safe_join

try:  # optional: browsers that accept br get about 15 % less than gzip
    import brotli
except ImportError:  # pragma: no cover - depends on the installed extras
    brotli = None

YEAR = 365 * 24 * 3600
COMPRESSIBLE = {"text/html", "text/css", "text/javascript", "application/javascript",
                "application/json", "image/svg+xml", "text/plain"}
MIN_SIZE = 300


@dataclass
class Asset:
    mtime: float
    digest: str
    mimetype: str
    encodings: dict  # "identity" / "gzip" / "br" -> bytes


_assets: dict = {}


def _load(path: str) -> Asset:
    mtime = os.stat(path).st_mtime
    cached = _assets.get(path)
    if cached and cached.mtime == mtime:
        return cached
    with open(path, "rb") as handle:
        data = handle.read()
    mimetype = guess_type(path)[0] or "application/octet-stream"
    if mimetype == "application/javascript":
        mimetype = "text/javascript"  # RFC 9239
    encodings = {"identity": data}
    if mimetype in COMPRESSIBLE and len(data) >= MIN_SIZE:
        encodings["gzip"] = gzip.compress(data, 9, mtime=0)
        if brotli is not None:
            encodings["br"] = brotli.compress(data, quality=11)
    asset = Asset(mtime, hashlib.sha256(data).hexdigest()[:16], mimetype, encodings)
    _assets[path] = asset
    return asset


def _path(filename: str) -> str | None:
    path = safe_join(current_app.static_folder, filename)
    return path if path and os.path.isfile(path) else None


def _accepted(header: str) -> set:
    accepted = set()
    for part in header.split(","):
        name, _sep, params = part.strip().partition(";")
        if params.strip().replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            continue
        accepted.add(name.strip().lower())
    return accepted


def version(filename: str) -> str | None:
    path = _path(filename)
    return _load(path).digest if path else None


def serve(filename: str):
    path = _path(filename)
    if path is None:
        abort(404)
    asset = _load(path)
    accepted = _accepted(request.headers.get("Accept-Encoding", ""))
    encoding = next((e for e in ("br", "gzip") if e in asset.encodings and e in accepted),
                    "identity")
    response = Response(asset.encodings[encoding], mimetype=asset.mimetype)
    if encoding != "identity":
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.set_etag(f"{asset.digest}-{encoding}")
    if request.args.get("v") == asset.digest:
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    else:
        response.cache_control.no_cache = True
    return response.make_conditional(request)


def _compress_client_errors(response):
    """gzip a 4xx page; Flask-Compress only handles 2xx."""
    if (400 <= response.status_code < 500 and response.mimetype in COMPRESSIBLE
            and not response.direct_passthrough and not response.is_streamed
            and "Content-Encoding" not in response.headers
            and "gzip" in _accepted(request.headers.get("Accept-Encoding", ""))):
        data = response.get_data()
        if len(data) >= MIN_SIZE:
            response.set_data(gzip.compress(data, 6))
            response.headers["Content-Encoding"] = "gzip"
        response.vary.add("Accept-Encoding")
    return response


def init_app(app):
    app.view_functions["static"] = serve

    @app.url_defaults
    def _hashed_static(endpoint, values):
        if endpoint == "static" and "filename" in values and "v" not in values:
            digest = version(values["filename"])
            if digest:
                values["v"] = digest

    app.after_request(_compress_client_errors)
