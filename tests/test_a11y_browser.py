"""Every page, citizen and staff, in its main states, checked in Chromium:
axe-core finds no serious or critical violation, and at 360 × 640 nothing
scrolls sideways.

axe-core comes from the npm registry at a pinned version and hash
(`make test` fetches it into tests/.vendor/, never committed) and is
injected into each page by the test, so the pages themselves load nothing
extra.
"""
import io
from pathlib import Path

import pytest
from PIL import Image

from portal.complaints import service as complaints
from portal.complaints.photos import store_photo
from staff_helpers import advance, new_complaint

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parent / ".vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="module")
def axe_source():
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` fetches it (axe-core from the npm registry)")
    return AXE.read_text()


def axe_violations(page, axe_source) -> list[str]:
    # axe is injected as an inline script, which the pages' CSP refuses: the
    # contexts of these tests bypass the CSP (test_csp_browser.py keeps it).
    page.add_script_tag(content=axe_source)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
            for v in result if v["impact"] in BLOCKING]


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _photo(tmp_path, color):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(buffer, "JPEG")
    buffer.seek(0)
    return store_photo(buffer, str(tmp_path / "uploads"), max_side=1600)


@pytest.fixture
def published(app, demo, tmp_path):
    """A complaint with photos walked to 'selesai': timeline, before and after photos."""
    with app.app_context():
        complaint = new_complaint()
        complaints.attach(complaint, _photo(tmp_path, "gray"))
        advance(complaint, "selesai", stored_photo=_photo(tmp_path, "green"))
        return complaint.display_code


def _login(page, base, username, password):
    page.goto(f"{base}/staf/masuk")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/staf/antrean**")


CITIZEN_PAGES = ["/", "/lapor", "/lacak", "/lacak?kode=salah", "/staf/masuk"]
STAFF_PAGES = ["/staf/antrean", "/staf/antrean?status=baru&q=jalan", "/staf/notifikasi",
               "/staf/admin/", "/staf/admin/konektor/", "/staf/admin/sla",
               "/staf/admin/hari-libur", "/staf/admin/jam-buka"]


def _check(page, base, path, axe_source, problems):
    response = page.goto(base + path)
    assert response.status < 500, path
    found = axe_violations(page, axe_source)
    if found:
        problems.append(f"{path}: " + "; ".join(found))
    page.set_viewport_size({"width": 360, "height": 640})
    overflow = horizontal_overflow(page)
    if overflow > 0:
        problems.append(f"{path}: scrolls sideways by {overflow}px at 360px")
    page.set_viewport_size({"width": 1280, "height": 800})


def test_citizen_pages(browser, live_server, published, axe_source):
    context = browser.new_context(locale="id-ID", bypass_csp=True)
    page = context.new_page()
    problems = []
    try:
        for path in CITIZEN_PAGES + [f"/lacak/{published}"]:
            _check(page, live_server, path, axe_source, problems)
        # The form with errors: submitted empty, shown again with messages.
        page.goto(live_server + "/lapor")
        page.click("button[type=submit]")
        page.wait_for_selector(".err")
        found = axe_violations(page, axe_source)
        if found:
            problems.append("/lapor (errors): " + "; ".join(found))
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_staff_pages(browser, live_server, demo, published, axe_source):
    context = browser.new_context(locale="id-ID", bypass_csp=True)
    page = context.new_page()
    problems = []
    try:
        _login(page, live_server, "admin", demo["admin"])
        for path in STAFF_PAGES + [f"/staf/aduan/{published}"]:
            _check(page, live_server, path, axe_source, problems)
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_detail_with_actions_for_the_operator(browser, live_server, demo, app, axe_source):
    with app.app_context():
        complaint = new_complaint()
        advance(complaint, "diteruskan")
        code = complaint.display_code
    context = browser.new_context(locale="id-ID", bypass_csp=True)
    page = context.new_page()
    problems = []
    try:
        _login(page, live_server, "operator.dpupr", demo["operator.dpupr"])
        _check(page, live_server, f"/staf/aduan/{code}", axe_source, problems)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
