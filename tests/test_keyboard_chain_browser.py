"""The whole staff chain by keyboard alone, in Chromium: Tab, Shift+Tab,
Enter, Space and typing; no mouse click anywhere.  Admin forwards to the
OPD, the operator reports to the pimpinan, the pimpinan disposes to a Kabid,
the Kabid records the follow-up with a photo, the operator publishes.

Focus is visible wherever it lands (a ring from :focus-visible), and after
each htmx action it is on the announced result, never lost to <body>.
"""
import re

import pytest
from PIL import Image

from staff_helpers import new_complaint

pytestmark = pytest.mark.browser

FOLLOW_UP = "Lubang sudah ditambal dengan aspal hotmix sepanjang 12 meter."
TAB_LIMIT = 150

MATCHES = "(s) => !!document.activeElement && document.activeElement.matches(s)"
RING = """() => { const el = document.activeElement, s = getComputedStyle(el);
  return {visible: el.matches(':focus-visible'),
          ring: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                || (s.boxShadow && s.boxShadow !== 'none'),
          tag: el.tagName}; }"""


def tab_to(page, selector, backwards=False):
    """Press Tab (or Shift+Tab) until `selector` has focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(TAB_LIMIT):
        page.keyboard.press(key)
        if page.evaluate(MATCHES, selector):
            return
    raise AssertionError(f"{selector} cannot be reached with {key}")


def assert_focus_visible(page):
    state = page.evaluate(RING)
    assert state["visible"] and state["ring"], f"focus not visible on {state['tag']}"


@pytest.fixture
def people(browser):
    opened = []

    def new():
        context = browser.new_context(locale="id-ID")
        opened.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return page

    yield new
    for context in opened:
        context.close()


def log_in(page, base, username, password):
    page.goto(f"{base}/staf/masuk")
    tab_to(page, "#username")
    assert_focus_visible(page)
    page.keyboard.type(username)
    tab_to(page, "#password")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/staf/antrean"))


def open_from_queue(page, code):
    tab_to(page, f"#antrean a[href$='/staf/aduan/{code}']")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/staf/aduan/{code}$"))


def press_action(page, action, expected_status):
    tab_to(page, f"#aksi-{action} button[type=submit]")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.locator("#detail .status").filter(has_text=expected_status).wait_for()
    # The result is announced and has focus (once htmx has settled): the
    # next Tab starts from it.
    page.wait_for_function(MATCHES, arg="#hasil .flash")


def test_the_chain_by_keyboard_alone(people, live_server, app, demo, tmp_path):
    photo = tmp_path / "tambalan.jpg"
    Image.new("RGB", (320, 240), (90, 90, 90)).save(photo, "JPEG")
    with app.app_context():
        code = new_complaint().display_code

    admin = people()
    log_in(admin, live_server, "admin", demo["admin"])
    open_from_queue(admin, code)
    # The category's OPD is preselected; the admin adds a note and forwards.
    tab_to(admin, "#teruskan-teks")
    admin.keyboard.type("Mohon segera ditangani.")
    press_action(admin, "teruskan", "Diteruskan ke OPD")

    operator = people()
    log_in(operator, live_server, "operator.dpupr", demo["operator.dpupr"])
    open_from_queue(operator, code)
    tab_to(operator, "#aksi-laporkan button[type=submit]")
    tab_to(operator, "#laporkan-teks", backwards=True)  # back up to the note
    assert_focus_visible(operator)
    operator.keyboard.type("Mohon arahan, lokasi di depan Pasar Rau.")
    press_action(operator, "laporkan", "Dilaporkan ke pimpinan")

    pimpinan = people()
    log_in(pimpinan, live_server, "pimpinan.dpupr", demo["pimpinan.dpupr"])
    open_from_queue(pimpinan, code)
    tab_to(pimpinan, "#aksi-disposisi input[type=checkbox]")
    while "Bina Marga" not in pimpinan.evaluate("document.activeElement.parentElement.innerText"):
        pimpinan.keyboard.press("Tab")
    assert_focus_visible(pimpinan)
    pimpinan.keyboard.press("Space")
    assert pimpinan.evaluate("document.activeElement.checked")
    tab_to(pimpinan, "#disposisi-teks")
    pimpinan.keyboard.type("Segera tangani, laporkan dengan foto.")
    press_action(pimpinan, "disposisi", "Didisposisikan")

    kabid = people()
    log_in(kabid, live_server, "kabid.binamarga", demo["kabid.binamarga"])
    open_from_queue(kabid, code)
    tab_to(kabid, "#tindak_lanjut-teks")
    kabid.keyboard.type(FOLLOW_UP)
    tab_to(kabid, "#tindak_lanjut-foto")
    assert_focus_visible(kabid)
    # A file chooser is the operating system's dialog, which no page can
    # drive: the photo is set on the input the keyboard has focused.
    kabid.set_input_files("#tindak_lanjut-foto", str(photo))
    press_action(kabid, "tindak_lanjut", "Sedang ditindaklanjuti")

    operator.goto(f"{live_server}/staf/antrean")
    open_from_queue(operator, code)
    assert operator.input_value("#publikasikan-teks") == FOLLOW_UP
    tab_to(operator, "#publikasikan-teks")
    operator.keyboard.press("Control+End")
    operator.keyboard.type(" Terima kasih atas laporan Anda.")
    press_action(operator, "publikasikan", "Selesai ditanggapi")

    citizen = people()
    citizen.goto(f"{live_server}/lacak/{code}")
    response = citizen.locator(".response").inner_text()
    assert FOLLOW_UP in response and "Terima kasih atas laporan Anda." in response
