"""The queue reads at a glance: one-line deadline cells, readable markers,
and a table that fits a 1100 px window."""
import pytest

from deadline_helpers import forward, new_complaint, user
from portal.complaints import casework
from portal.complaints.models import Complaint
from portal.notifications import service as notifications

pytestmark = pytest.mark.browser

# WCAG contrast of an element's text against its own background; 0 when the
# marker has no background of its own (it would not stand out as a badge).
CONTRAST = """el => {
  if (getComputedStyle(el).backgroundColor.replace(/ /g, "") === "rgba(0,0,0,0)") return 0;
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const style = getComputedStyle(el);
  const [a, b] = [lum(rgb(style.color)), lum(rgb(style.backgroundColor))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_queue_fits_1100px_and_its_markers_are_readable(app, demo, live_server, browser):
    with app.test_request_context():
        for title in ("Lampu jalan mati di Jalan Veteran",
                      "Jalan berlubang besar di depan Pasar Rau dekat terminal Pakupatan",
                      "Parkir liar di trotoar alun-alun"):
            late = forward(new_complaint("2026-03-02 09:00", title=title), "2026-03-02 10:00")
        casework.reporter_adds_info(late, "Lampunya sekarang berkedip-kedip juga.")
        notifications.for_user(user("admin"), "uji", "Ada aduan baru", kind="info")
        rule = "Tanggapan awal OPD: 5 hari kerja — SP4N-LAPOR!"
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="id-ID")
    page = context.new_page()
    page.goto(f"{live_server}/staf/masuk")
    page.fill("[name=username]", "admin")
    page.fill("[name=password]", demo["admin"])
    page.click("button[type=submit]")
    page.goto(f"{live_server}/staf/antrean")
    row = page.locator("table.queue tr", has_text=late.display_code).last
    due = row.locator(".due")
    assert due.get_attribute("title").endswith(rule)
    assert "hari kerja" not in due.inner_text() and "Terlambat" in due.inner_text()
    # One text line for the date (the badge may sit below it), not three.
    line = float(page.evaluate("getComputedStyle(document.body).lineHeight").removesuffix("px"))
    assert due.locator("time").bounding_box()["height"] <= line * 1.2
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width
    for marker in (".badge.late", ".badge.reply", ".staff-nav .count"):
        element = page.locator(marker).first
        assert element.is_visible(), marker
        assert element.evaluate(CONTRAST) >= 4.5, marker
    page.goto(f"{live_server}/staf/aduan/{late.display_code}")
    assert rule in page.locator("#detail .deadline").inner_text()
    with app.app_context():
        assert Complaint.get_by_id(late.id).due_at is not None
    context.close()
