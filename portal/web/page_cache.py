"""Rendered pages remembered by a key that names everything they show.

Why: an operator's queue is re-requested far more often than it changes
(reloads, going back to it after each complaint, a second tab), and
rendering its 75 rows is most of its cost.  The queue's ETag already names
what the page shows (the OPD's change counter, the hour, the user, the
query, the language); a page whose key is unchanged is served as it was
rendered, the same promise the 304 makes to the browser.  A tracking page
is kept likewise under its complaint's change counter (migration 130).

Per process and bounded: each web worker keeps at most `size` pages, the
least recently used going first.  Nothing is shared between workers, so
nothing needs invalidating: a changed queue has a new key.
"""
import gzip
import threading
import time
from collections import OrderedDict


class PageCache:
    """`max_age`: seconds a page is kept at most, for what its key cannot
    name (an OPD or category renamed); None keeps it until it is pushed out."""

    def __init__(self, size: int, max_age: float | None = None):
        self.size = size
        self.max_age = max_age
        self._pages: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        if not self.size:
            return None
        with self._lock:
            kept = self._pages.get(key)
            if kept is None:
                return None
            stored_at, page = kept
            if self.max_age is not None and time.monotonic() - stored_at > self.max_age:
                del self._pages[key]
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key, page) -> None:
        if not self.size:
            return
        with self._lock:
            self._pages[key] = (time.monotonic(), page)
            self._pages.move_to_end(key)
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def __len__(self) -> int:
        return len(self._pages)


def for_app(app, name: str, setting: str, max_age: float | None = None) -> PageCache:
    """The app's cache called `name`, sized by the setting `setting`."""
    caches = app.extensions.setdefault("aduan_page_caches", {})
    if name not in caches:
        caches[name] = PageCache(int(app.config.get(setting) or 0), max_age)
    return caches[name]


def compressed(body: bytes) -> tuple[bytes, bytes]:
    """A page to keep: its bytes and their gzip, made once instead of per request."""
    return body, gzip.compress(body, 6, mtime=0)


def respond(kept: tuple[bytes, bytes], status: int = 200):
    """A response from a kept page: gzipped when the client takes gzip."""
    from flask import make_response, request

    response = make_response(kept[0], status)
    if "gzip" in request.accept_encodings:
        response.set_data(kept[1])
        response.headers["Content-Encoding"] = "gzip"  # Flask-Compress leaves it alone then
    response.vary.add("Accept-Encoding")
    return response

