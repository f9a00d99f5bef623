"""Reporter replies reach the OPD queue: the "balasan baru" badge, the
"ada balasan" filter, and the reply in the detail timeline."""
from datetime import timedelta

import pytest

from conftest import hidden_fields
from deadline_helpers import at
from portal import clock
from portal.complaints import workflow
from portal.complaints.models import Complaint
from portal.sync import engine
from staff_helpers import advance, login, new_complaint
from sync_fakes import install_fake

BADGE = 'class="badge reply">balasan baru</span>'


@pytest.fixture
def fake(app, demo):
    # No app context held open around the test: requests sharing one would
    # share `g`, and with it a stale CSRF token after logging in.
    with app.app_context():
        connector = install_fake(app)
    return connector


def _sync(app):
    with app.app_context():
        assert engine.run_pass("fake").error == ""

def _listed(client, **args):
    html = client.get("/staf/antrean", query_string=args).get_data(as_text=True)
    return html.split('id="antrean"', 1)[1]  # "Tugas saya" and the list: each row once


def test_a_connector_reply_shows_a_badge_until_the_opd_opens_it(app, fake, demo, client):
    with clock.freeze(at("2026-03-02 09:00")):
        fake.put("R1", opd_code="DPUPR", status="diteruskan", title="Drainase tersumbat")
        fake.put("R2", opd_code="DPUPR", status="diteruskan", title="Jalan amblas")
        _sync(app)
    with app.app_context():
        quiet = Complaint.get(Complaint.external_id == "R2")
        replied = Complaint.get(Complaint.external_id == "R1")
    login(client, "operator.dpupr", demo["operator.dpupr"])
    with clock.freeze(at("2026-03-02 10:00")):
        client.get(f"/staf/aduan/{replied.display_code}")  # seen before the reply
        assert BADGE not in _listed(client)
        etag = client.get("/staf/antrean").headers["ETag"]
    with clock.freeze(at("2026-03-02 11:00")):
        fake.reply("R1", "m1", "Airnya sudah masuk ke rumah warga.")
        _sync(app)
        refreshed = client.get("/staf/antrean", headers={"If-None-Match": etag})
        assert refreshed.status_code == 200  # the reply alone changes what the queue shows
        listed = _listed(client)
        row = listed.split(replied.display_code, 1)[1].split("</tr>", 1)[0]
        assert BADGE in row and listed.count(BADGE) == 1
        only = _listed(client, balasan="1")
        assert replied.display_code in only and quiet.display_code not in only

    # An auditor (or admin) looking does not clear it: answering is the OPD's job.
    other = app.test_client()
    login(other, "auditor", demo["auditor"])
    with clock.freeze(at("2026-03-02 11:30")):
        other.get(f"/staf/aduan/{replied.display_code}")
        assert BADGE in _listed(client)

    with clock.freeze(at("2026-03-02 12:00")):
        detail = client.get(f"/staf/aduan/{replied.display_code}").get_data(as_text=True)
        timeline = detail.split('class="timeline"', 1)[1]
        assert "Balasan pelapor" in timeline and "Airnya sudah masuk ke rumah warga." in timeline
        assert timeline.count('data-new="1"') == 1
        assert BADGE not in _listed(client)
        assert replied.display_code not in _listed(client, balasan="1")
        again = client.get(f"/staf/aduan/{replied.display_code}").get_data(as_text=True)
        assert 'data-new="1"' not in again  # seen now


def test_a_connector_reply_is_not_a_local_change(app, fake):
    fake.put("R1", opd_code="DPUPR", status="diteruskan")
    _sync(app)
    with app.app_context():
        before = Complaint.get(Complaint.external_id == "R1").updated_at
        fake.reply("R1", "m1", "Masih tersumbat.")
        assert engine.run_pass("fake").conflicts == 0
        after = Complaint.get(Complaint.external_id == "R1")
        assert after.updated_at == before and after.reply_at is not None


def test_tracking_page_information_and_reopening_reach_the_queue(app, demo, client):
    with app.app_context(), clock.freeze(at("2026-03-02 09:00")):
        complaint = advance(new_complaint(), workflow.DILAPORKAN)
    operator = app.test_client()
    login(operator, "operator.dpupr", demo["operator.dpupr"])
    with clock.freeze(at("2026-03-02 10:00")):
        operator.get(f"/staf/aduan/{complaint.display_code}")
        assert BADGE not in _listed(operator)
    with clock.freeze(at("2026-03-02 11:00")):
        page = client.get(f"/lacak/{complaint.display_code}").get_data(as_text=True)
        response = client.post(f"/lacak/{complaint.display_code}/info", data={
            "teks": "Lubangnya makin lebar setelah hujan.",
            "csrf_token": hidden_fields(page)["csrf_token"]})
        assert response.status_code == 303
        assert BADGE in _listed(operator)
        assert complaint.display_code in _listed(operator, balasan="1")
        detail = operator.get(f"/staf/aduan/{complaint.display_code}").get_data(as_text=True)
        assert "Lubangnya makin lebar setelah hujan." in detail and 'data-new="1"' in detail


def test_unverified_complaints_are_cleared_by_the_admin(app, demo, client):
    with app.app_context(), clock.freeze(at("2026-03-02 09:00")):
        complaint = new_complaint()
        from portal.complaints import service as complaint_actions
        from staff_helpers import user

        complaint_actions.perform(complaint, "tunda", role="admin", actor="admin",
                                  actor_user=user("admin"), text="Di RT berapa?")
    with clock.freeze(at("2026-03-02 10:00")):
        page = client.get(f"/lacak/{complaint.display_code}").get_data(as_text=True)
        client.post(f"/lacak/{complaint.display_code}/info", data={
            "teks": "RT 03 RW 02", "csrf_token": hidden_fields(page)["csrf_token"]})
    admin = app.test_client()
    login(admin, "admin", demo["admin"])
    with clock.freeze(at("2026-03-02 10:00") + timedelta(minutes=5)):
        assert complaint.display_code in _listed(admin, balasan="1")
        admin.get(f"/staf/aduan/{complaint.display_code}")
        assert complaint.display_code not in _listed(admin, balasan="1")


@pytest.mark.browser
def test_operator_filters_replies_and_opens_one_in_the_browser(app, demo, page, live_server):
    import re

    with app.app_context():
        replied = advance(new_complaint(title="Lubang di Jalan Ciceri"), workflow.DILAPORKAN)
        advance(new_complaint(title="Lubang di Jalan Kalodran"), workflow.DILAPORKAN)
    citizen = app.test_client()
    form = citizen.get(f"/lacak/{replied.display_code}").get_data(as_text=True)
    citizen.post(f"/lacak/{replied.display_code}/info", data={
        "teks": "Sudah ada motor yang jatuh.", "csrf_token": hidden_fields(form)["csrf_token"]})
    page.goto(f"{live_server}/staf/masuk")
    page.fill("#username", "operator.dpupr")
    page.fill("#password", demo["operator.dpupr"])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/staf/antrean"))
    page.check("input[name=balasan]")
    page.wait_for_url(re.compile(r"balasan=1"))
    rows = page.locator("#antrean > table tbody tr")  # "Semua aduan", not my tasks
    rows.first.wait_for()
    assert rows.count() == 1 and "balasan baru" in rows.first.inner_text()
    rows.first.locator("a").click()
    page.locator("li[data-new] >> text=Sudah ada motor yang jatuh.").wait_for()
    page.locator(".staff-nav a", has_text="Antrean").click()
    page.locator("#antrean").wait_for()
    assert page.locator("text=balasan baru").count() == 0
