"""The whole chain in Chromium, one browser context per person, through the
real forms: citizen → admin → operator → pimpinan → kabid → operator → citizen."""
import re

import pytest
from PIL import Image

pytestmark = pytest.mark.browser

FOLLOW_UP = "Lubang sudah ditambal dengan aspal hotmix sepanjang 12 meter."


@pytest.fixture
def contexts(browser):
    """Separate sessions, one per person, all closed afterwards.  Every page
    works under the Content Security Policy: no violation on any console."""
    opened, violations = [], []

    def new():
        context = browser.new_context(locale="id-ID")
        context.on("console", lambda m: violations.append(m.text)
                   if "Content Security Policy" in m.text else None)
        opened.append(context)
        return context

    yield new
    for context in opened:
        context.close()
    assert violations == []


def staff_page(contexts, live_server, username, password):
    context = contexts()
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server}/staf/masuk")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/staf/antrean"))
    return page


def act(page, action, expected_status):
    """Press an action's button and wait for htmx to swap the new detail in."""
    page.click(f"#aksi-{action} button[type=submit]")
    page.locator("#detail .status").filter(has_text=expected_status).wait_for()


def test_complaint_travels_the_whole_chain(contexts, live_server, demo, tmp_path):
    photo = tmp_path / "tambalan.jpg"
    Image.new("RGB", (320, 240), (90, 90, 90)).save(photo, "JPEG")

    citizen = contexts().new_page()
    citizen.goto(f"{live_server}/lapor")
    citizen.fill("#judul", "Jalan berlubang di Jalan Ciceri")
    citizen.fill("#isi", "Ada lubang besar di depan Pasar Rau yang membahayakan pengendara.")
    citizen.select_option("#kategori", label="Jalan rusak")
    citizen.click("button[type=submit]")
    citizen.wait_for_url(re.compile(r"/lacak/[0-9A-Z]{5}-[0-9A-Z]{5}$"))
    code = citizen.url.rsplit("/", 1)[1]
    assert citizen.locator("script").count() == 0

    admin = staff_page(contexts, live_server, "admin", demo["admin"])
    assert admin.locator("#antrean").get_by_text(code).count() >= 1
    admin.goto(f"{live_server}/staf/aduan/{code}")
    # The category's default OPD is preselected.
    assert admin.locator("#teruskan-opd option:checked").inner_text().startswith("Dinas Pekerjaan")
    act(admin, "teruskan", "Diteruskan ke OPD")

    operator = staff_page(contexts, live_server, "operator.dpupr", demo["operator.dpupr"])
    operator.click(f"text={code}")
    operator.fill("#laporkan-teks", "Mohon arahan, lokasi di depan Pasar Rau.")
    act(operator, "laporkan", "Dilaporkan ke pimpinan")
    assert operator.locator(".timeline").get_by_text("Dibuka oleh OPD").count() == 1

    pimpinan = staff_page(contexts, live_server, "pimpinan.dpupr", demo["pimpinan.dpupr"])
    pimpinan.goto(f"{live_server}/staf/aduan/{code}")
    pimpinan.check("#aksi-disposisi >> text=Bidang Bina Marga")
    pimpinan.fill("#disposisi-teks", "Segera tangani, laporkan dengan foto.")
    act(pimpinan, "disposisi", "Didisposisikan")

    kabid = staff_page(contexts, live_server, "kabid.binamarga", demo["kabid.binamarga"])
    kabid.goto(f"{live_server}/staf/aduan/{code}")
    kabid.fill("#tindak_lanjut-teks", FOLLOW_UP)
    kabid.click("#aksi-tindak_lanjut button[type=submit]")  # without a photo: refused
    kabid.locator("#hasil .err").filter(has_text="foto").wait_for()
    kabid.fill("#tindak_lanjut-teks", FOLLOW_UP)
    kabid.set_input_files("#tindak_lanjut-foto", str(photo))
    act(kabid, "tindak_lanjut", "Sedang ditindaklanjuti")

    operator.goto(f"{live_server}/staf/aduan/{code}")
    assert operator.input_value("#publikasikan-teks") == FOLLOW_UP  # drafted from the follow-up
    operator.fill("#publikasikan-teks", FOLLOW_UP + " Terima kasih atas laporan Anda.")
    act(operator, "publikasikan", "Selesai ditanggapi")

    citizen.goto(f"{live_server}/lacak/{code}")
    citizen.check("input[name=nilai][value='4']")
    citizen.click("text=Kirim nilai")
    citizen.wait_for_url(re.compile(rf"/lacak/{code}$"))
    response = citizen.locator(".response")
    assert FOLLOW_UP in response.inner_text()
    assert "Terima kasih atas laporan Anda." in response.inner_text()
    image = response.locator("img")
    assert image.count() == 1
    assert citizen.evaluate("(img) => img.naturalWidth", image.element_handle()) > 0
    assert "4/5" in response.locator(".rating").inner_text()
    assert citizen.locator("script").count() == 0
