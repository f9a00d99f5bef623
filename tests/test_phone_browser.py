"""The staff workspace on a 360 × 640 phone in Chromium: no page scrolls
sideways, the queue is a list of cards, and the next action's tap target is
at least 44 px high.  ADUAN_SCREENSHOT_DIR=docs keeps the screenshots."""
import os
from pathlib import Path

import pytest

from deadline_helpers import user
from portal.complaints import service as complaints, workflow
from portal.directory.models import Bidang, Category, Opd
from portal.directory.response_templates import ResponseTemplate
from portal.notifications import service as notifications
from staff_helpers import advance, new_complaint

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
LONG = ("Jalan berlubang sangat dalam di depan Pasar Induk Rau dekat terminal Pakupatan "
        "yang membahayakan pengendara motor setiap malam")


def phone_login(browser, live_server, username, password):
    context = browser.new_context(viewport=PHONE, locale="id-ID", device_scale_factor=1,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server}/staf/masuk")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "/staf/masuk"
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/staf/antrean")
    return context, page


def fits(page, path):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{path} is {width} px wide at 360 px"


def shot(page, name):
    target = os.environ.get("ADUAN_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / name))


@pytest.fixture
def city(app, demo):
    with app.test_request_context():
        for i, status in enumerate((workflow.BARU, workflow.DITERUSKAN, workflow.DILAPORKAN,
                                    workflow.DIDISPOSISI)):
            advance(new_complaint(title=f"{LONG} ({i})", channel="sp4n" if i % 2 else "web"),
                    status)
        complaint = advance(new_complaint(title="Lampu jalan mati di Jalan Veteran"),
                            workflow.DITERUSKAN)
        complaints.record(complaint, "info_pelapor", "Pelapor",
                          text="https://contoh.example.org/" + "sangat-panjang-" * 12)
        notifications.for_user(user("admin"), "uji", LONG, kind="info",
                               link="http://127.0.0.1/" + "x" * 120)
    return demo


def test_every_staff_page_fits_a_360px_phone(app, city, live_server, browser):
    with app.app_context():
        codes = [c.display_code for c in complaints.Complaint.select()]
        ids = {"opd": Opd.select().first().id, "bidang": Bidang.select().first().id,
               "kategori": Category.select().first().id,
               "pengguna": user("operator.dpupr").id}
        template = ResponseTemplate.select().first()
    admin_pages = ["/staf/admin/", "/staf/admin/sla", "/staf/admin/hari-libur",
                   "/staf/admin/jam-buka", "/staf/admin/konektor/"]
    admin_pages += [f"/staf/admin/{kind}/{value}" for kind, value in ids.items()]
    if template:
        admin_pages.append(f"/staf/admin/templat/{template.id}")
    common = ["/staf/antrean", "/staf/notifikasi", "/staf/notifikasi/pengaturan",
              "/staf/antrean?status=diteruskan"]
    for username in ("admin", "operator.dpupr", "pimpinan.dpupr", "kabid.binamarga", "auditor"):
        context, page = phone_login(browser, live_server, username, city[username])
        pages = common + [f"/staf/aduan/{code}" for code in codes]
        if username == "admin":
            pages += admin_pages
        for path in pages:
            response = page.goto(f"{live_server}{path}")
            if response.status == 404:
                continue  # outside this user's OPD the complaint does not exist for them
            assert response.status == 200, path
            fits(page, f"{username} {path}")
        context.close()


def test_the_queue_is_cards_and_the_next_action_is_thumb_sized(app, city, live_server,
                                                                browser):
    context, page = phone_login(browser, live_server, "operator.dpupr", city["operator.dpupr"])
    assert page.locator("table.queue thead").first.is_hidden()
    card = page.locator("table.queue tr.mine").first
    assert card.evaluate("el => getComputedStyle(el).display") == "block"
    assert "Laporkan ke pimpinan" in card.inner_text()
    assert "SP4N-LAPOR!" in page.locator("#antrean").inner_text()
    box = card.locator("td.code a").bounding_box()
    assert box["height"] >= 44
    shot(page, "phone-antrean.png")
    card.locator("td.code a").click()
    page.wait_for_url("**/staf/aduan/*")
    first = page.locator(".next-step a.button")
    assert first.inner_text().startswith("Langkah Anda: Laporkan ke pimpinan")
    assert first.bounding_box()["height"] >= 44
    for button in page.locator("#detail .actions button").all():
        assert button.bounding_box()["height"] >= 44, button.inner_text()
    destructive = page.locator("#aksi-kembalikan button")
    assert destructive.evaluate("el => getComputedStyle(el).backgroundColor") == \
        "rgb(255, 255, 255)"  # outlined, not the filled main action
    fits(page, "detail")
    shot(page, "phone-aduan.png")
    context.close()
