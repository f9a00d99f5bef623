from datetime import date

import pytest
from flask import render_template_string

from deadline_helpers import act, at, forward, make_city, new_complaint, user
from portal import clock
from portal.complaints.models import Complaint
from portal.deadlines import sla as deadlines, workdays
from portal.deadlines.opening_hours import QueueOpening, times_of
from tests.conftest import hidden_fields


@pytest.fixture
def city(app):
    with app.app_context():
        make_city()
        complaint = new_complaint("2026-03-17 09:00")
    return complaint


def login(client, app, username):
    with app.app_context():
        user_id = user(username).id
    with client.session_transaction() as session:
        session["user_id"] = user_id
        session["gen"] = 0  # a new account is at session generation 0


def token(client, path):
    return hidden_fields(client.get(path).get_data(as_text=True))["csrf_token"]


def test_only_the_admin_edits_the_policy(client, app, city):
    login(client, app, "operator.dishub")
    assert client.get("/staf/admin/sla").status_code == 403
    login(client, app, "admin")
    page = client.get("/staf/admin/sla").get_data(as_text=True)
    assert "PermenPAN-RB 62/2018" in page and "Rabeg Kota Serang" in page


def test_changing_a_rule_recomputes_open_complaints(client, app, city):
    login(client, app, "admin")
    with app.app_context():
        rule = deadlines.SlaRule.get(deadlines.SlaRule.stage == deadlines.VERIFICATION)
    csrf = token(client, "/staf/admin/sla")
    bad = client.post(f"/staf/admin/sla/{rule.id}", data={"csrf_token": csrf, "amount": "nol",
                                                        "unit": "hk"})
    assert bad.status_code == 422 and "bilangan bulat" in bad.get_data(as_text=True)
    with clock.freeze(at("2026-03-17 10:00")):
        ok = client.post(f"/staf/admin/sla/{rule.id}",
                         data={"csrf_token": csrf, "amount": "5", "unit": "hk", "basis": "Perwal"})
    assert ok.status_code == 303
    with app.app_context():
        assert Complaint.get_by_id(city.id).due_at.date() == date(2026, 3, 31)
        assert deadlines.rule_of(Complaint.get_by_id(city.id)).basis == "Perwal"


def test_adding_a_channel_rule_and_refusing_a_duplicate(client, app, city):
    login(client, app, "admin")
    csrf = token(client, "/staf/admin/sla")
    data = {"csrf_token": csrf, "stage": "verifikasi", "classification": "", "channel": "SP4N",
            "amount": "2", "unit": "hk"}
    assert client.post("/staf/admin/sla", data=data).status_code == 303
    again = client.post("/staf/admin/sla", data=data)
    assert again.status_code == 422 and "sudah ada" in again.get_data(as_text=True)
    assert client.post("/staf/admin/sla", data={**data, "stage": "x", "channel": "y"}).status_code == 422
    with app.app_context():
        assert ("verifikasi", "", "sp4n") in deadlines.rules()


def test_days_off_are_added_and_removed(client, app, city):
    login(client, app, "admin")
    page = client.get("/staf/admin/hari-libur?tahun=2026").get_data(as_text=True)
    assert "2026-03-20" in page  # cuti bersama Idul Fitri is listed
    assert client.get("/staf/admin/hari-libur?tahun=abc").status_code == 400
    csrf = token(client, "/staf/admin/hari-libur")
    with clock.freeze(at("2026-03-17 10:00")):
        client.post("/staf/admin/hari-libur", data={"csrf_token": csrf, "tanggal": "2026-03-26",
                                                    "jenis": "libur", "keterangan": "HUT Kota"})
    with app.app_context():
        assert Complaint.get_by_id(city.id).due_at.date() == date(2026, 3, 30)
        day_off = workdays.DayOff.get()
    wrong = client.post("/staf/admin/hari-libur", data={"csrf_token": csrf, "tanggal": "26/03"},
                        follow_redirects=True)
    assert "Tanggal tidak sah" in wrong.get_data(as_text=True)
    client.post(f"/staf/admin/hari-libur/{day_off.id}/hapus", data={"csrf_token": csrf})
    with app.app_context():
        assert Complaint.get_by_id(city.id).due_at.date() == date(2026, 3, 27)


def test_opening_hours_page_and_the_queue_opening_is_recorded(client, app, city):
    login(client, app, "admin")
    csrf = token(client, "/staf/admin/jam-buka")
    with app.app_context():
        dishub = user("operator.dishub").opd
    bad = client.post(f"/staf/admin/jam-buka/{dishub.id}", data={"csrf_token": csrf, "jam": "pagi"},
                      follow_redirects=True)
    assert "tidak dikenal" in bad.get_data(as_text=True)
    client.post(f"/staf/admin/jam-buka/{dishub.id}", data={"csrf_token": csrf, "jam": "13:00, 08:00"})
    with app.app_context():
        assert times_of(dishub) == ["08:00", "13:00"]
    login(client, app, "operator.dishub")
    client.get("/staf/antrean")  # the queue belongs to the staff blueprint
    with app.app_context():
        assert QueueOpening.select().count() == 1
    login(client, app, "admin")
    assert "operator.dishub" in client.get("/staf/admin/jam-buka").get_data(as_text=True)


def test_field_inspection_moves_the_follow_up_to_60_working_days(client, app, city):
    with app.test_request_context():
        complaint = act(forward(city, "2026-03-18 09:00"), "laporkan", "2026-03-18 10:00", "operator")
    login(client, app, "admin")
    csrf = token(client, "/staf/admin/sla")
    response = client.post(f"/staf/admin/aduan/{complaint.display_code}/pengawasan",
                           data={"csrf_token": csrf, "perlu": "1"})
    assert response.status_code == 303
    with app.app_context():
        assert Complaint.get_by_id(city.id).due_at.date() == workdays.add_working_days(
            date(2026, 3, 18), 60)
    assert client.post("/staf/admin/aduan/ZZZZZ-ZZZZZ/pengawasan",
                       data={"csrf_token": csrf}).status_code == 404


def deadline_cell(**context):
    return render_template_string(
        '{% from "staff/_deadline.html" import deadline %}{{ deadline(complaint) }}', **context)


def test_the_deadline_partial(app, city):
    with app.test_request_context():
        complaint = Complaint.get_by_id(city.id)
        with clock.freeze(at("2026-03-20 09:00")):
            html = deadline_cell(complaint=complaint)
        assert "27 Mar 2026 23:59" in html and "Terlambat" not in html
        assert "Verifikasi: 3 hari kerja — SP4N-LAPOR!" in html
        with clock.freeze(at("2026-03-30 09:00")):
            assert "Terlambat" in deadline_cell(complaint=complaint)
        waiting = act(act(act(forward(complaint, "2026-03-18 09:00"), "laporkan",
                              "2026-03-18 10:00", "operator"), "disposisi", "2026-03-18 11:00",
                          "pimpinan"), "tunggu_anggaran", "2026-03-18 12:00", "kabid",
                      budget_year=2028)
        html = deadline_cell(complaint=waiting)
        assert "Menunggu anggaran tahun 2028" in html and "Terlambat" not in html
        closed = act(new_complaint("2026-03-17 09:00"), "tolak", "2026-03-17 10:00", "admin")
        assert deadline_cell(complaint=closed).strip() == ""
