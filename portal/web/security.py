"""Response headers that make the browser help: a strict Content Security
Policy (no inline script or style anywhere; htmx is configured for it in
staff/base.html), no MIME sniffing, no framing, no full referrers, HSTS over
HTTPS, and no copies of staff pages in any cache."""
from flask import abort, request

# Photos are shrunk in the browser through blob: URLs (static/shrink.js).
CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HSTS = "max-age=31536000"


def init_app(app):
    @app.before_request
    def drop_nul():
        # No honest form or query holds a NUL, and PostgreSQL refuses one in
        # a text column (a 500 deep inside whichever view stores it): remove
        # it once here, as the citizen form's own cleaning always did.
        # Webhooks are left alone: they read their small signed body themselves.
        if request.blueprint == "hooks":
            return
        if "\x00" in request.path:
            abort(404)
        raw = request.query_string
        if request.method in ("GET", "HEAD") and b"%00" not in raw and b"\x00" not in raw:
            return  # nothing to clean, and no form to parse on every page view
        for name in ("args", "form"):
            values = getattr(request, name)
            if any("\x00" in k or "\x00" in v for k, v in values.items(multi=True)):
                setattr(request, name, type(values)(
                    (k.replace("\x00", ""), v.replace("\x00", ""))
                    for k, v in values.items(multi=True)))
                request.__dict__.pop("values", None)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        # Only over HTTPS (behind a proxy: TRUSTED_PROXIES makes is_secure
        # follow X-Forwarded-Proto); over plain HTTP the header is ignored
        # anyway, and a trial on http://127.0.0.1 must stay reachable.
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", HSTS)
        # Staff pages show reporters' identities and internal notes: never
        # kept by a browser or proxy, so Back after "Keluar" shows nothing.
        # A view that chose its own policy keeps it (the queue, which shows
        # no identities, revalidates with its ETag instead).
        if request.path.startswith("/staf") and "Cache-Control" not in headers:
            headers["Cache-Control"] = "no-store"
        return response
