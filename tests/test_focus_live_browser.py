"""After htmx swaps part of a staff page, focus lands somewhere sensible (the
result message, the region's heading, or the same link again), never on
<body>; results and the refreshed queue counts sit in live regions that are
in the page before they change, so screen readers announce them."""
import re

import pytest

from portal.web import workspace
from staff_helpers import new_complaint

pytestmark = pytest.mark.browser

ACTIVE = """() => { const a = document.activeElement;
  return {tag: a.tagName, id: a.id, cls: a.className, text: (a.textContent || '').trim(),
          role: a.getAttribute('role'), href: a.getAttribute('href')}; }"""


def focus_lands_on(page, selector):
    """Wait for htmx to settle and staff.js to move focus, then name where it is."""
    try:
        page.wait_for_function("(s) => document.activeElement.matches(s)", arg=selector,
                               timeout=5000)
    except Exception:
        pass  # the assertion below shows where focus is instead
    return page.evaluate(ACTIVE)


def login(page, base, username, password):
    page.goto(f"{base}/staf/masuk")
    page.fill("#username", username)
    page.fill("#password", password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staf/antrean"))


def mark(page, selector):
    """Tag the element now in the page, to tell later whether it was replaced."""
    page.evaluate("(s) => { document.querySelector(s).dataset.wasHere = '1'; }", selector)


def still_there(page, selector) -> bool:
    return page.evaluate("(s) => document.querySelector(s).dataset.wasHere === '1'", selector)


def test_an_action_moves_focus_to_its_announced_result(page, live_server, app, demo):
    with app.app_context():
        code = new_complaint().display_code
    login(page, live_server, "admin", demo["admin"])
    page.goto(f"{live_server}/staf/aduan/{code}")
    region = page.locator("#hasil")
    assert region.get_attribute("role") == "status"
    assert region.get_attribute("aria-live") == "polite"
    assert region.inner_text().strip() == ""
    mark(page, "#hasil")

    # Refused (no OPD chosen): the error, an alert, has focus.
    page.select_option("#teruskan-opd", "")
    page.focus("#aksi-teruskan button[type=submit]")
    page.keyboard.press("Enter")
    page.locator("#hasil .err").wait_for()
    active = focus_lands_on(page, "#hasil .err")
    assert active["tag"] == "P" and active["role"] == "alert", active
    assert still_there(page, "#hasil")

    # Done: the success message has focus, in the same live region.
    page.select_option("#teruskan-opd", label="Dinas Pekerjaan Umum dan Penataan Ruang")
    page.focus("#aksi-teruskan button[type=submit]")
    page.keyboard.press("Enter")
    page.locator("#detail .status").filter(has_text="Diteruskan ke OPD").wait_for()
    active = focus_lands_on(page, "#hasil .flash")
    assert active["tag"] == "P" and "flash" in active["cls"] and "berhasil" in active["text"], active
    assert still_there(page, "#hasil")
    assert "berhasil" in page.locator("#hasil").inner_text()


def test_a_filter_moves_focus_to_the_results_heading(page, live_server, app, demo):
    with app.app_context():
        new_complaint()
    login(page, live_server, "admin", demo["admin"])
    page.focus("#f-q")
    page.keyboard.type("jalan")
    with page.expect_response(re.compile(r"/staf/antrean\?.*q=jalan")):
        page.keyboard.press("Enter")
    active = focus_lands_on(page, "#antrean h2")
    assert active["tag"] == "H2" and "Semua aduan" in active["text"], active


def test_the_polled_queue_keeps_focus_and_announces_new_counts(page, live_server, app, demo,
                                                               monkeypatch):
    monkeypatch.setattr(workspace, "REFRESH_SECONDS", 1)
    with app.app_context():
        code = new_complaint().display_code
    login(page, live_server, "admin", demo["admin"])
    counts = page.locator("#jumlah")
    assert counts.get_attribute("role") == "status"
    assert counts.get_attribute("aria-live") == "polite"
    before = counts.inner_text()
    mark(page, "#jumlah")
    link = f"#antrean a[href$='/staf/aduan/{code}']"
    page.focus(link)
    href = page.evaluate(ACTIVE)["href"]

    with app.app_context():
        new_complaint(title="Lampu jalan mati di Jalan Veteran")
    page.wait_for_function("(b) => document.querySelector('#jumlah').innerText !== b", arg=before,
                           timeout=15000)
    assert still_there(page, "#jumlah")  # the same region, new content
    assert "2" in counts.inner_text()
    active = focus_lands_on(page, f"#antrean a[href='{href}']")
    assert active["tag"] == "A" and active["href"] == href, active


def test_citizen_results_arrive_in_a_live_region(page, live_server, demo):
    page.goto(f"{live_server}/lapor")
    assert page.locator("#pesan[role=status][aria-live=polite]").count() == 1
    assert page.locator("#pesan").inner_text().strip() == ""
    page.click("button[type=submit]")  # empty: the error summary is an alert
    assert page.locator("form .err[role=alert]").count() == 1
    page.fill("#judul", "Jalan berlubang di Jalan Ciceri")
    page.fill("#isi", "Ada lubang besar di depan Pasar Rau yang membahayakan pengendara.")
    page.select_option("#kategori", label="Jalan rusak")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/lacak/"))
    assert page.locator("#pesan[role=status]").count() == 1
    assert "Laporan Anda diterima" in page.locator("#pesan").inner_text()
