"""A citizen in Debian Chromium: submit with a photo, land on the tracking page."""
import pytest

from images import jpeg_with_gps
from portal.complaints.models import Attachment, Complaint

pytestmark = pytest.mark.browser


def fill_and_submit(page, base, photo):
    page.goto(f"{base}/lapor")
    page.fill("#judul", "Lampu lalu lintas mati di perempatan Ciceri")
    page.fill("#isi", "Lampu lalu lintas di perempatan Ciceri mati sejak pagi, kendaraan saling serobot.")
    page.select_option("#kategori", label="Lampu lalu lintas")
    page.fill("#lokasi", "Perempatan Ciceri")
    page.set_input_files("#foto", str(photo))
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/lacak/*")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_citizen_submits_with_photo_and_lands_on_tracking_page(browser, live_server, demo, tmp_path, javascript):
    photo = tmp_path / "lampu.jpg"
    photo.write_bytes(jpeg_with_gps((1200, 900)))
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15000)
    fill_and_submit(page, live_server, photo)

    complaint = Complaint.get()
    assert page.url == f"{live_server}/lacak/{complaint.display_code}"
    assert complaint.display_code in page.text_content(".code")
    assert page.text_content("h1") == "Lampu lalu lintas mati di perempatan Ciceri"
    image = page.locator(".photos img")
    assert image.count() == 1
    assert image.evaluate("img => img.complete && img.naturalWidth") == 1200
    assert Attachment.get().filename in image.get_attribute("src")
    context.close()


def test_photos_shrink_in_the_browser_before_upload(page, live_server, demo, tmp_path):
    from PIL import Image

    photo = tmp_path / "jalan.png"
    Image.effect_noise((3000, 2000), 60).convert("RGB").save(photo)  # ~18 MB of pixels
    uploads = []
    page.on("request", lambda r: uploads.append(len(r.post_data_buffer or b""))
            if r.method == "POST" else None)
    page.goto(f"{live_server}/lapor")
    page.set_input_files("#foto", str(photo))
    wait_until_shrunk(page)
    fill_and_submit_without_photo(page)
    page.wait_for_url(f"{live_server}/lacak/*")
    assert uploads and uploads[0] < photo.stat().st_size / 4
    assert (Attachment.get().width, Attachment.get().height) == (1600, 1067)


def fill_and_submit_without_photo(page):
    page.fill("#judul", "Jalan berlubang di depan sekolah")
    page.fill("#isi", "Lubang besar di depan SD Negeri 1, anak-anak hampir jatuh dari motor.")
    page.select_option("#kategori", label="Jalan rusak")
    page.click("button[type=submit]")


def wait_until_shrunk(page, seconds=15):
    """shrink.js swapped the chosen file for a JPEG.  Polled from here:
    wait_for_function evaluates a string in the page, which the CSP refuses."""
    for _ in range(seconds * 10):
        if page.evaluate("document.getElementById('foto').files[0].type") == "image/jpeg":
            return
        page.wait_for_timeout(100)
    raise AssertionError("the photo was not shrunk in the browser")
