"""Exports: the public open data per year and the admin's queue download."""
import csv
import io
import json

import pytest

import statistics_fixture as history
from portal.complaints.models import Complaint
from portal.statistics import facts
from staff_helpers import login


@pytest.fixture
def city(app, demo):
    with app.app_context():
        complaints = history.build()
        facts.refresh_dirty()
        Complaint.update(title="=HYPERLINK(\"http://jahat.example\")", reporter_name="Siti Rahayu",
                         reporter_contact="0812-3456-7890", location="Jl. Veteran No. 1").where(
            Complaint.id == complaints["C"].id).execute()
    return complaints


def _csv(response):
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_open_data_has_no_personal_data_and_no_confidential_complaint(client, city):
    response = client.get("/statistik/2026/aduan.csv")
    assert response.status_code == 200 and response.is_streamed
    assert response.mimetype == "text/csv"
    assert 'filename="aduan-2026.csv"' in response.headers["Content-Disposition"]
    rows = _csv(response)
    assert [int(r["id"]) for r in rows] == [city[k].id for k in "ABCE"]
    a = rows[0]
    assert (a["tanggal_diterima"], a["kategori"], a["opd"], a["kanal"]) == (
        "2026-02-02", "Jalan rusak", "Dinas Pekerjaan Umum dan Penataan Ruang", "web")
    assert (a["hari_kerja_tanggapan_awal"], a["hari_kerja_penyelesaian"],
            a["selesai_dengan_foto"], a["penilaian"]) == ("3", "10", "ya", "4")
    body = response.get_data(as_text=True)
    for secret in (history.CONFIDENTIAL_TITLE, "Dinas Kesehatan", "Siti Rahayu", "0812",
                   "Jl. Veteran", "HYPERLINK", city["A"].code, city["A"].display_code,
                   "Keterangan laporan"):
        assert secret not in body
    assert [r["id"] for r in _csv(client.get("/statistik/2025/aduan.csv"))] == [
        str(city["F"].id)]
    assert client.get("/statistik/tahun/aduan.csv").status_code == 404


def test_admin_downloads_exactly_what_the_filters_show(client, demo, city):
    login(client, "admin", demo["admin"])
    page = client.get("/staf/antrean?kanal=rabeg").get_data(as_text=True)
    assert "/ekspor/antrean.csv?kanal=rabeg" in page
    response = client.get("/ekspor/antrean.csv?kanal=rabeg")
    assert response.status_code == 200 and response.is_streamed
    rows = _csv(response)
    assert [r["kode"] for r in rows] == [city["C"].display_code]
    # A title that Excel would run as a formula is written as text.
    assert rows[0]["judul"] == "'=HYPERLINK(\"http://jahat.example\")"
    assert "Siti Rahayu" not in response.get_data(as_text=True)
    everything = _csv(client.get("/ekspor/antrean.csv"))
    assert len(everything) == 6  # the admin's queue shows every complaint, over every page
    late = _csv(client.get("/ekspor/antrean.csv?terlambat=1"))
    assert {r["kode"] for r in late} <= {city[k].display_code for k in "CE"}
    as_json = json.loads(client.get("/ekspor/antrean.json?kanal=rabeg").get_data(as_text=True))
    assert [r["kode"] for r in as_json] == [city["C"].display_code]
    assert as_json[0]["status"] == "Menunggu verifikasi"


def test_only_admins_export(client, demo, city):
    assert client.get("/ekspor/antrean.csv").status_code == 302  # to the login page
    login(client, "operator.dpupr", demo["operator.dpupr"])
    assert client.get("/ekspor/antrean.csv").status_code == 403
    assert client.get("/ekspor/antrean.json").status_code == 403
    assert "/ekspor/antrean.csv" not in client.get("/staf/antrean").get_data(as_text=True)
