"""The pages work under the Content Security Policy in Chromium: the
citizen form (with the in-browser photo shrinking) and the staff's htmx
actions, with no CSP violation reported on the console."""
import re

import pytest
from PIL import Image

pytestmark = pytest.mark.browser


def watch_csp(page):
    """Collect every CSP violation Chromium reports on `page`."""
    violations = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: violations.append(str(e))
            if "Content Security Policy" in str(e) else None)
    return violations


def test_the_watcher_sees_a_violation(page, live_server):
    """Without this the tests below could pass with a blind watcher."""
    violations = watch_csp(page)
    page.goto(f"{live_server}/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', "
                  "'<img src=\"/nothing\" onerror=\"document.title=1\">')")
    page.wait_for_timeout(300)
    assert violations and page.title() != "1"


def test_citizen_form_works_under_the_csp(page, live_server, demo, tmp_path):
    violations = watch_csp(page)
    photo = tmp_path / "jalan.png"
    Image.effect_noise((2400, 1600), 60).convert("RGB").save(photo)
    response = page.goto(f"{live_server}/lapor")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.set_input_files("#foto", str(photo))
    # shrink.js ran: it replaced the PNG with a smaller JPEG.
    wait_until_shrunk(page)
    page.fill("#judul", "Jalan berlubang di depan sekolah")
    page.fill("#isi", "Lubang besar di depan SD Negeri 1, anak-anak hampir jatuh dari motor.")
    page.select_option("#kategori", label="Jalan rusak")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/lacak/[0-9A-Z]{5}-[0-9A-Z]{5}$"))
    assert page.locator(".photos img").evaluate("img => img.naturalWidth") > 0
    assert violations == []


def test_staff_htmx_actions_work_under_the_csp(browser, live_server, demo):
    from staff_helpers import new_complaint

    code = new_complaint().display_code
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    violations = watch_csp(page)
    page.goto(f"{live_server}/staf/masuk")
    page.fill("#username", "admin")
    page.fill("#password", demo["admin"])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/staf/antrean"))
    # The filter form swaps the queue through htmx.
    page.fill("input[name=q]", code)
    page.locator("#antrean").get_by_text(code).first.wait_for()
    page.goto(f"{live_server}/staf/aduan/{code}")
    page.click("#aksi-teruskan button[type=submit]")
    page.locator("#detail .status").filter(has_text="Diteruskan ke OPD").wait_for()
    assert page.evaluate("typeof htmx") == "object"
    assert violations == []
    context.close()


def wait_until_shrunk(page, seconds=15):
    """shrink.js swapped the chosen file for a JPEG.  Polled from here:
    wait_for_function evaluates a string in the page, which the CSP refuses."""
    for _ in range(seconds * 10):
        if page.evaluate("document.getElementById('foto').files[0].type") == "image/jpeg":
            return
        page.wait_for_timeout(100)
    raise AssertionError("the photo was not shrunk in the browser")
