"""The statistics charts in Chromium at 360 px: drawn, readable, no sideways scroll."""
import io

import pytest
from PIL import Image

import statistics_fixture as history
from deadline_helpers import at
from portal import clock
from portal.statistics import facts

pytestmark = pytest.mark.browser

BAR = (0x0B, 0x53, 0x94)


def _bar_pixels(png: bytes) -> int:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(1 for pixel in image.getdata()
               if all(abs(a - b) < 24 for a, b in zip(pixel, BAR, strict=True)))


@pytest.mark.parametrize("path", ["/statistik?tahun=2026", "/statistik", "/statistik/2026"])
def test_charts_are_drawn_and_fit_a_phone(app, demo, live_server, browser, path):
    with app.app_context():
        history.build()
        facts.refresh_dirty()
        with clock.freeze(at(history.NOW)):
            facts.refresh_overdue()
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        charts = page.locator("svg.chart-svg")
        assert charts.count() >= 1
        for i in range(charts.count()):
            svg = charts.nth(i)
            box = svg.bounding_box()
            # Drawn near 1:1, so the 12-unit labels are about 12 px.
            assert box["width"] >= 290 and box["height"] > 20, box
            svg.scroll_into_view_if_needed()
            assert _bar_pixels(svg.screenshot()) > 50, f"chart {i} on {path} is blank"
        # The numbers are there for screen readers too.
        assert page.locator("figure.chart .sr-only table").count() == charts.count()
    finally:
        context.close()


def test_annual_report_prints_on_one_a4_page(app, demo, live_server, browser):
    with app.app_context():
        history.build()
        facts.refresh_dirty()
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    try:
        page.goto(live_server + "/statistik/2026")
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
    finally:
        context.close()
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages == 1, f"the annual report prints on {pages} pages"


def test_statistics_pages_and_the_dashboard_pass_axe(app, demo, live_server, browser):
    from test_a11y_browser import AXE, _check, _login

    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make test` fetches it (axe-core from the npm registry)")
    with app.app_context():
        history.build()
        facts.refresh_dirty()
    context = browser.new_context(locale="id-ID", bypass_csp=True)  # to inject axe
    page = context.new_page()
    problems = []
    try:
        for path in ("/statistik", "/statistik?tahun=2026", "/statistik/2026",
                     "/statistik?tahun=2026&lang=en"):
            _check(page, live_server, path, AXE.read_text(), problems)
        _login(page, live_server, "admin", demo["admin"])
        _check(page, live_server, "/staf/dasbor?dari=2026-01-01&sampai=2026-03-31&min=1",
               AXE.read_text(), problems)
    finally:
        context.close()
    assert not problems, "\n".join(problems)
