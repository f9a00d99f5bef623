"""Severity (tingkat): from Rabeg's report and from the category's default;
light matters get the 1x24-hour first OPD response, editable like every rule."""
from datetime import timedelta

import pytest

from conftest import hidden_fields
from connector_env import by_external, configure, rabeg_sim  # noqa: F401
from deadline_helpers import at, forward
from portal import clock
from portal.complaints.models import Complaint
from portal.deadlines import sla as deadlines
from portal.directory import severity
from portal.directory.models import Category
from portal.sync import engine
from staff_helpers import login

FORWARDED = "2026-03-02 09:00"  # a Monday; no holiday that week


def _rabeg_report(sim, tingkat):
    report = sim.control("POST", "/reports", json={
        "judul": f"Sampah menumpuk ({tingkat})", "isi": "Sampah di TPS Pasar Rau belum diangkut.",
        "opd_tujuan": "DLH", "kategori": "Kebersihan dan Sampah", "tingkat": tingkat})
    return report["id"]


def test_a_light_rabeg_report_is_due_within_24_hours(app, demo, rabeg_sim):  # noqa: F811
    configure(app, rabeg=rabeg_sim)
    with app.app_context():
        light, heavy = _rabeg_report(rabeg_sim, "ringan"), _rabeg_report(rabeg_sim, "berat")
        assert engine.run_pass("rabeg").error == ""
        light, heavy = by_external("rabeg", light), by_external("rabeg", heavy)
        assert (light.severity, heavy.severity) == ("ringan", "berat")
        light, heavy = forward(light, FORWARDED, "DLH"), forward(heavy, FORWARDED, "DLH")
        start = at(FORWARDED).replace(tzinfo=None) - timedelta(hours=7)  # naive UTC
        assert light.due_at == start + timedelta(hours=24)
        assert heavy.due_at == start + timedelta(hours=72)  # Rabeg's 3x24 hours
        assert "[ringan]" in deadlines.rule_of(light).describe()


def _submit_web(client, category_name):
    form = client.get("/lapor").get_data(as_text=True)
    category = Category.get(Category.name == category_name)
    response = client.post("/lapor", data={
        **hidden_fields(form), "judul": "Sampah menumpuk di depan sekolah",
        "kategori": str(category.id), "klasifikasi": "pengaduan",
        "isi": "Sampah rumah tangga menumpuk tiga hari di depan SDN Cipare."})
    assert response.status_code == 303
    return Complaint.select().order_by(Complaint.id.desc()).get()


def test_a_web_complaint_about_rubbish_is_light_and_due_within_24_hours(app, demo, client):
    with app.app_context():
        rubbish = forward(_submit_web(client, "Sampah dan kebersihan"), FORWARDED, "DLH")
        road = forward(_submit_web(client, "Jalan rusak"), FORWARDED, "DPUPR")
        start = at(FORWARDED).replace(tzinfo=None) - timedelta(hours=7)
        assert (rubbish.severity, road.severity) == ("ringan", "")
        assert rubbish.due_at == start + timedelta(hours=24)
        # The general rule: 5 working days, to the end of Monday 9 March (WIB).
        assert road.due_at == at("2026-03-09 23:59:59").replace(tzinfo=None) - timedelta(hours=7)


def test_admin_edits_the_light_rule_and_sets_a_category_default(app, demo, client):
    with app.app_context():
        rubbish = forward(_submit_web(client, "Sampah dan kebersihan"), FORWARDED, "DLH")
        light_rule = deadlines.SlaRule.get(deadlines.SlaRule.severity == severity.RINGAN)
    login(client, "admin", demo["admin"])
    policy = client.get("/staf/admin/sla").get_data(as_text=True)
    token = hidden_fields(policy)["csrf_token"]
    assert "Rabeg Kota Serang (ringan, 1×24 jam)" in policy and ">Ringan</td>" in policy
    saved = client.post(f"/staf/admin/sla/{light_rule.id}", data={
        "csrf_token": token, "amount": "12", "unit": "jam", "basis": "Perwal baru"})
    assert saved.status_code == 303
    with app.app_context():
        fresh = Complaint.get_by_id(rubbish.id)
        assert fresh.due_at == rubbish.due_at - timedelta(hours=12)
        parking = Category.get(Category.name == "Parkir")
    bad = client.post(f"/staf/admin/kategori/{parking.id}/tingkat",
                      data={"csrf_token": token, "tingkat": "sangat"})
    assert bad.status_code == 422 and "Pilih tingkat yang tersedia." in bad.get_data(as_text=True)
    client.post(f"/staf/admin/kategori/{parking.id}/tingkat",
                data={"csrf_token": token, "tingkat": "ringan"})
    with app.app_context():
        assert Category.get_by_id(parking.id).default_severity == "ringan"
    with clock.freeze(at("2026-03-03 10:00")):
        with app.app_context():
            parked = _submit_web(app.test_client(), "Parkir")
            assert parked.severity == "ringan"


@pytest.mark.parametrize("value,expected", [("Ringan", "ringan"), (" berat ", "berat"),
                                            ("sangat", ""), (None, ""), (3, "")])
def test_normalize(value, expected):
    assert severity.normalize(value) == expected
