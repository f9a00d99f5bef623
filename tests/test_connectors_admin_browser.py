"""The connector admin page in a real browser: the retry button and the merge
form are plain forms, so they work with JavaScript off too."""
import pytest

from connector_env import by_external, configure, sp4n_sim  # noqa: F401
from connector_flow import forward
from portal.accounts.models import User
from portal.complaints import service as complaints
from portal.complaints.models import Complaint
from portal.sync import engine, outbox
from portal.sync.models import DEAD, DONE, OutboxItem

pytestmark = pytest.mark.browser


def _log_in_as_admin(app, page, live_server):
    # The login page belongs to the staff area; a signed session cookie is
    # exactly what it would set.
    with app.app_context():
        user_id = User.get(User.username == "admin").id
    # A new account is at session generation 0.
    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"user_id": user_id, "gen": 0})
    page.context.add_cookies([{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie,
                               "url": live_server}])


def test_admin_retries_a_dead_letter_and_merges_a_duplicate(app, demo, sp4n_sim,  # noqa: F811
                                                            live_server, page):
    configure(app, sp4n=sp4n_sim)
    app.config["SYNC_MAX_ATTEMPTS"] = 1
    with app.app_context():
        engine.run_pass("sp4n")
        forward(by_external("sp4n", 48201))
        sp4n_sim.fault("status_5xx", status=503, path="/api/v3/complaints/followup/add")
        outbox.deliver_due()
        dead = OutboxItem.get(OutboxItem.state == DEAD)
        first, _ = complaints.submit({"title": "Pohon tumbang", "body": "Di Jl. Veteran.",
                                      "reporter_contact": "081311112222"})
        second, _ = complaints.submit({"title": "Ada pohon tumbang", "body": "Menutup jalan.",
                                       "reporter_contact": "+6281311112222"})
    _log_in_as_admin(app, page, live_server)

    page.goto(live_server + "/staf/admin/konektor/")
    section = page.locator("#konektor-sp4n")
    assert section.locator(".last-sync").inner_text() != "belum pernah"
    row = page.locator("tr.dead-letter")
    assert "503" in row.inner_text() or "Simulated" in row.inner_text()
    row.get_by_role("button", name="Kirim ulang").click()
    page.wait_for_url("**/staf/admin/konektor/")
    assert "Pengiriman dijadwalkan ulang." in page.locator(".flash").inner_text()
    assert page.locator("tr.dead-letter").count() == 0
    with app.app_context():
        assert OutboxItem.get_by_id(dead.id).state == DONE

    form = page.locator("form.duplicate")
    assert "Kontak pelapor sama" in form.inner_text()
    form.get_by_label(f"Pertahankan {first.display_code}", exact=False).check()
    form.get_by_role("button", name="Gabungkan").click()
    page.wait_for_url("**/staf/admin/konektor/")
    assert f"Laporan digabung ke {first.display_code}" in page.locator(".flash").inner_text()
    with app.app_context():
        assert Complaint.get_by_id(second.id).status == "diarsipkan"
        assert Complaint.get_by_id(first.id).status == "baru"


def test_check_connection_swaps_only_the_health_cell(app, demo, sp4n_sim,  # noqa: F811
                                                    live_server, page):
    configure(app, sp4n=sp4n_sim)
    _log_in_as_admin(app, page, live_server)
    page.goto(live_server + "/staf/admin/konektor/")
    page.evaluate("document.querySelector('h1').dataset.marker = 'same-page'")
    cell = page.locator("#kesehatan-sp4n")
    assert "belum diperiksa" in cell.inner_text()
    cell.get_by_role("button", name="Periksa koneksi").click()
    page.locator("#kesehatan-sp4n .health-result.ok").wait_for()
    assert "OK: terhubung" in page.locator("#kesehatan-sp4n").inner_text()
    # The pressed button was replaced: focus is on the result, not lost to <body>.
    page.wait_for_function("() => document.activeElement.matches('#kesehatan-sp4n .health-result')")
    # htmx swapped the cell in place: no navigation, the rest of the page untouched.
    assert page.evaluate("document.querySelector('h1').dataset.marker") == "same-page"
    assert page.locator("#kesehatan-sp4n").count() == 1

    sp4n_sim.server.shutdown()
    page.locator("#kesehatan-sp4n").get_by_role("button", name="Periksa koneksi").click()
    page.locator("#kesehatan-sp4n .health-result.gagal").wait_for()
    assert "Layanan tidak dapat dihubungi" in page.locator("#kesehatan-sp4n").inner_text()
