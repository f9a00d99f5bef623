"""The citizen form in Chromium: the phone fills the coordinates, and the
whole report can be made with the keyboard alone."""
import pytest

from portal.complaints.models import Complaint

pytestmark = pytest.mark.browser


def test_use_my_location_fills_the_coordinates(browser, live_server, demo):
    context = browser.new_context(locale="id-ID", geolocation={"latitude": -6.120123,
                                                               "longitude": 106.150456,
                                                               "accuracy": 20},
                                  permissions=["geolocation"])
    page = context.new_page()
    try:
        page.goto(f"{live_server}/lapor")
        page.get_by_role("button", name="Gunakan lokasi saya").click()
        page.get_by_role("status").filter(has_text="± 20 m").wait_for()
        assert page.input_value("#lat") == "-6.120123"
        assert page.input_value("#lon") == "106.150456"
    finally:
        context.close()


def test_without_javascript_there_is_no_dead_location_button(browser, live_server, demo):
    context = browser.new_context(locale="id-ID", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server}/lapor")
        assert page.get_by_role("button", name="Gunakan lokasi saya").count() == 0
        assert page.locator("#lat").is_visible()
    finally:
        context.close()


def test_a_citizen_reports_with_the_keyboard_only(browser, live_server, demo, app):
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/lapor")
        page.locator("#judul").focus()
        page.keyboard.type("Lampu jalan mati di Jalan Veteran")
        page.keyboard.press("Tab")
        page.keyboard.type("Sudah seminggu gelap, rawan kecelakaan malam hari.")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "kategori"
        page.keyboard.press("ArrowDown")  # the first category
        # Every control is reachable with Tab, in order, up to the submit button.
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.type") == "submit":
                break
        else:
            pytest.fail("Tab never reached the submit button")
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline != "none"  # focus is visible
        page.keyboard.press("Enter")
        page.wait_for_url(f"{live_server}/lacak/*")
        assert "Lampu jalan mati" in page.content()
    finally:
        context.close()
    with app.app_context():
        assert Complaint.select().count() == 1
