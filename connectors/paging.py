"""Complete passes over a paged remote listing, for any connector.

A listing ordered by "last changed" moves an item to its end when it changes
while we page.  Everything behind it slides forward one place, so an item
that did not change can slide onto a page we already read and is skipped.
Stopping at the last page therefore proves nothing; only counting does: a
pass is complete when it has seen as many distinct ids as the remote says
the listing holds (`total`), and a short pass is read again from the start,
a bounded number of times.  A listing that reports no total (an exact
sequence cursor, as Rabeg has) is complete when it reaches its end.

The cursor for the next pass is not the newest time stamp seen (the skipped
item is older than that, it would never be listed again) but the moment
this pass started, minus an overlap for clock skew between us and the
remote.  A connector stores it only when the pass is complete.
"""
from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from portal.plugin_api import TransientError

DEFAULT_ROUNDS = 3  # one read and up to two re-reads before the pass counts as incomplete


@dataclass
class Page:
    """One page as the helper needs it."""

    items: list[dict[str, Any]]
    next: Any = None  # what `read_page` needs for the following page; None: last page
    total: int | None = None  # size of the whole listing at this request, if the remote says
    resume: Any = None  # where a later pass may start after this page (opaque cursors)


@dataclass
class Pass:
    """What a pass over the listing saw: the newest version of each id once."""

    items: list[dict[str, Any]]
    complete: bool
    seen: int
    total: int | None
    rounds: int
    started_at: datetime  # naive UTC, our wall clock
    resume: Any = None  # `resume` of the last page read
    pages: int = 0

    def since(self, overlap_seconds: float) -> datetime:
        """Where the next pass of a time-cursor listing starts."""
        return self.started_at - timedelta(seconds=overlap_seconds)

    @property
    def shortfall(self) -> str:
        return f"{self.seen} dari {self.total}" if self.total is not None else str(self.seen)


@dataclass
class _Collected:
    versions: dict[Hashable, dict[str, Any]] = field(default_factory=dict)
    order: list[Hashable] = field(default_factory=list)


def read_complete(read_page: Callable[[Any], Page], first: Any,
                  id_of: Callable[[dict[str, Any]], Hashable],
                  version_of: Callable[[dict[str, Any]], Any],
                  rounds: int = DEFAULT_ROUNDS, max_pages: int = 10_000) -> Pass:
    """Read the listing from `first` until it ends, again while the distinct
    ids seen fall short of the last reported `total` (at most `rounds` reads).

    `version_of` orders two copies of the same id (e.g. its updated_at): the
    newest is kept.  Errors of `read_page` propagate: a pass that could not be
    read is not a pass."""
    # The real time, like the remote's clock (never a test's frozen one).
    started_at = datetime.now(timezone.utc).replace(tzinfo=None)
    seen = _Collected()
    total: int | None = None
    resume = None
    pages = 0
    for round_no in range(1, max(1, rounds) + 1):
        token = first
        while True:
            page = read_page(token)
            pages += 1
            if page.total is not None:
                total = page.total
            if page.resume is not None:
                resume = page.resume
            for item in page.items:
                _keep_newest(seen, item, id_of, version_of)
            if page.next is None:
                break
            if page.next == token or pages >= max_pages:
                raise TransientError(f"paging did not advance past {token!r}")
            token = page.next
        if total is None or len(seen.versions) >= total:
            return Pass([seen.versions[k] for k in seen.order], True, len(seen.versions), total,
                        round_no, started_at, resume, pages)
    return Pass([seen.versions[k] for k in seen.order], False, len(seen.versions), total,
                rounds, started_at, resume, pages)


def _keep_newest(seen: _Collected, item, id_of, version_of) -> None:
    key = id_of(item)
    current = seen.versions.get(key)
    if current is None:
        seen.order.append(key)
        seen.versions[key] = item
    elif _version(version_of, item) >= _version(version_of, current):
        seen.versions[key] = item


def _version(version_of, item):
    value = version_of(item)
    return (value is not None, value if value is not None else 0)
