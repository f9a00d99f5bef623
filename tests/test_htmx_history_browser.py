"""Back after an htmx history-cache miss restores the whole queue page, not
the queue fragment as a page."""
import re

import pytest

pytestmark = pytest.mark.browser


def test_back_after_a_history_cache_miss_restores_the_whole_page(app, demo, live_server, page):
    page.goto(f"{live_server}/staf/masuk")
    page.fill("[name=username]", "admin")
    page.fill("[name=password]", demo["admin"])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/staf/antrean"))
    page.wait_for_function("() => window.htmx !== undefined")

    # A filter change swaps the queue in and pushes its URL.
    page.select_option("#f-status", "baru")
    page.wait_for_url(re.compile(r"status=baru"))
    # Lose the snapshot htmx kept of the page before: the next Back must ask
    # the server (what happens once the cache is full or storage is cleared).
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")

    restores = []
    page.on("request", lambda r: restores.append(r.headers)
            if r.headers.get("hx-history-restore-request") == "true" else None)
    with page.expect_response(lambda r: r.request.headers.get(
            "hx-history-restore-request") == "true") as restored:
        page.go_back()
    assert restored.value.status == 200
    page.wait_for_function("() => !location.search.includes('status=baru')")

    assert len(restores) == 1
    assert "hx-request" not in restores[0]  # asked for as a page, not a fragment
    # The whole page: navigation, the filter form and exactly one queue.
    page.locator("form.filters").wait_for()
    assert page.locator(".staff-nav").is_visible()
    assert page.locator("h1", has_text="Antrean aduan").count() == 1
    assert page.locator("#antrean").count() == 1
    assert page.locator("header.top").count() == 1
