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


def test_the_consent_box_appears_only_for_a_photo_with_gps(browser, live_server, demo, app,
                                                           tmp_path):
    from PIL import Image

    from test_photo_location import gps_jpeg

    located = tmp_path / "lokasi.jpg"
    located.write_bytes(gps_jpeg())
    plain = tmp_path / "polos.jpg"
    Image.new("RGB", (80, 60), "red").save(plain, "JPEG")
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    try:
        page.goto(f"{live_server}/lapor")
        consent = page.locator("#foto-gps")
        assert not consent.is_visible()
        page.set_input_files("#foto", str(plain))
        page.wait_for_timeout(300)
        assert not consent.is_visible()
        page.set_input_files("#foto", str(located))
        consent.wait_for(state="visible")
        page.check("#lokasi_foto")
        page.fill("#judul", "Genangan air di Jalan Ahmad Yani")
        page.fill("#isi", "Air menggenang setinggi lutut setiap hujan turun sore hari.")
        page.select_option("#kategori", label="Drainase dan banjir")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server}/lacak/*")
    finally:
        context.close()
    with app.app_context():
        complaint = Complaint.get()
        # Filled in the browser before shrinking dropped the EXIF.
        assert (round(complaint.lat, 4), round(complaint.lon, 4)) == (-6.12, 106.1504)
