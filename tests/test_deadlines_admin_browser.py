"""The admin's flow in a real browser: a regional holiday moves a deadline."""
from datetime import date

import pytest

from deadline_helpers import make_city, new_complaint, user
from portal.complaints.models import Complaint

pytestmark = pytest.mark.browser


def test_admin_adds_a_regional_holiday_and_the_deadline_moves(app, live_server, page):
    with app.app_context():
        make_city()
        complaint = new_complaint("2026-03-17 09:00")
        admin_id = user("admin").id
    # A new account is at session generation 0.
    session = app.session_interface.get_signing_serializer(app).dumps(
        {"user_id": admin_id, "gen": 0})
    page.context.add_cookies([{"name": app.config.get("SESSION_COOKIE_NAME", "session"),
                               "value": session, "url": live_server}])
    page.goto(f"{live_server}/staf/admin/hari-libur?tahun=2026")
    page.fill("input[name=tanggal]", "2026-03-26")
    page.fill("input[name=keterangan]", "HUT Kota Serang")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_selector("text=Kalender diperbarui")
    assert "HUT Kota Serang" in page.content()
    with app.app_context():
        assert Complaint.get_by_id(complaint.id).due_at.date() == date(2026, 3, 30)

    page.goto(f"{live_server}/staf/admin/sla")
    row = page.locator("tr", has_text="Verifikasi")
    row.locator("input[name=amount]").fill("5")
    row.get_by_role("button", name="Simpan").click()
    page.wait_for_selector("text=Aturan batas waktu disimpan")
    assert page.locator("tr", has_text="Verifikasi").locator("input[name=amount]").input_value() == "5"
    with app.app_context():  # 18-24 March off, 26 March the regional holiday
        assert Complaint.get_by_id(complaint.id).due_at.date() == date(2026, 4, 1)
