"""One helper renders a whole page or only the block htmx asked for."""
from flask import make_response
from flask_compress import Compress
from flask_htmx import HTMX
from jinja2_fragments.flask import render_block
from markupsafe import Markup, escape

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

    # `fragment`: the template marks its out-of-band parts (live regions that
    # stay in the page and only get new content) for htmx.
    if wants_fragment():
        body = render_block(template, block, fragment=True, **context)
    else:
        body = render_template(template, fragment=False, **context)
    response = make_response(body, status)
    response.vary.update(VARY)
    return response


def render_unchanging(template: str):
    """A page that depends only on the locale (and the app's settings):
    rendered and gzipped once per locale, then served from memory.

    Not when a flash message waits (the page shows it), nor for htmx, nor
    with a query beyond `lang` (the language link repeats the query, and a
    cache keyed by any query could be filled without end).
    """
    from flask import current_app, request, session
    from flask_babel import get_locale

    from portal.web import page_cache

    if htmx or session.get("_flashes") or set(request.args) - {"lang"}:
        return render(template)
    cache = current_app.extensions.setdefault("aduan_pages", {})
    key = (template, str(get_locale()), request.query_string)
    kept = cache.get(key)
    if kept is None:
        from flask import render_template

        # Compressed here once, not by Flask-Compress on every request.
        kept = cache[key] = page_cache.compressed(render_template(template).encode())
    response = page_cache.respond(kept)
    response.vary.update(VARY)
    return response


# A fresh form differs between requests only in its two tokens: render it once
# per (template, block, key) with stand-ins and put the real tokens in.
_CSRF_MARK, _TOKEN_MARK = "csrfMarkAduan0000", "tokenMarkAduan0000"
_FORM_CACHE: dict = {}
_FORM_CACHE_SIZE = 64


def _pristine_form(template: str, block: str, make_form, key: tuple, context: dict) -> str:
    """`block` of `template` for a pristine form, with stand-ins for its tokens."""
    from flask_babel import get_locale

    full_key = (template, block, str(get_locale()), key)
    html = _FORM_CACHE.get(full_key)
    if html is None:
        form = make_form()
        if hasattr(form, "csrf_token"):  # absent where CSRF is switched off
            form.csrf_token.current_token = _CSRF_MARK
        form.token.data = _TOKEN_MARK
        html = render_block(template, block, form=form, **context)
        _remember(full_key, html)
    return html


def _remember(key, html: str) -> None:
    if len(_FORM_CACHE) >= _FORM_CACHE_SIZE:
        _FORM_CACHE.clear()
    _FORM_CACHE[key] = html


def _with_tokens(html: str) -> str:
    """The stand-ins replaced by this session's CSRF token and a fresh submission token."""
    from flask_wtf.csrf import generate_csrf

    from portal.web.forms import new_submission_token

    return (html.replace(_CSRF_MARK, str(escape(generate_csrf())))
            .replace(_TOKEN_MARK, str(escape(new_submission_token()))))


def fresh_form_html(template: str, block: str, make_form, key: tuple, **context) -> Markup:
    """`block` of `template` for a pristine form (no data, no errors).

    Building and rendering the WTForms widgets was about 60 % of the
    complaint form page, for HTML that only differs in its CSRF token and
    submission token.  `make_form` is only called when the cache has no
    entry; `key` must name everything else the block depends on (choices,
    settings); the locale is added here.
    """
    return Markup(_with_tokens(_pristine_form(template, block, make_form, key, context)))


def fresh_form_page(template: str, block: str, make_form, key: tuple, **context):
    """The whole page around a pristine form, rendered once per (key, locale,
    query) and served with this request's tokens put in.

    Why: after the form itself was cached, rendering the page around it (the
    layout, the help text, the language link) was still half of `/lapor`.
    The page depends on nothing else: not when a flash message waits or htmx
    asks for a fragment, which render as usual.
    """
    from flask import request, session
    from flask_babel import get_locale

    form_html = _pristine_form(template, block, make_form, key, context)
    if wants_fragment() or session.get("_flashes"):
        return render(template, form=None, form_html=Markup(_with_tokens(form_html)), **context)
    page_key = ("page", template, str(get_locale()), request.query_string, key)
    page = _FORM_CACHE.get(page_key)
    if page is None:
        from flask import render_template

        page = render_template(template, form=None, form_html=Markup(form_html), **context)
        _remember(page_key, page)
    response = make_response(_with_tokens(page))
    response.vary.update(VARY)
    return response


def init_app(app):
    # Citizen pages must fit one TCP initial window; indentation is not free.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    htmx.init_app(app)
    # Flask serves .js as text/javascript (RFC 9239): without it in the list
    # htmx went out uncompressed.  Static files are compressed once in
    # portal.web.assets; this covers the pages.
    app.config.setdefault("COMPRESS_MIMETYPES", ["text/html", "text/css", "application/json",
                                                  "text/javascript", "application/javascript"])
    # gzip only for pages: every phone browser speaks it, and it is cheap per request.
    app.config.setdefault("COMPRESS_ALGORITHM", ["gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["gzip"])
    app.config.setdefault("COMPRESS_MIN_SIZE", 300)
    compress.init_app(app)
    from portal.web import assets

    assets.init_app(app)
