"""/statistik, /statistik.json and the annual report over the hand-computed history."""
import pytest

import statistics_fixture as history
from deadline_helpers import at
from portal import clock
from portal.statistics import facts


@pytest.fixture
def city(app, demo):
    with app.app_context():
        complaints = history.build()
        assert facts.refresh_dirty() == 6  # what the worker does every minute
        with clock.freeze(at(history.NOW)):
            facts.refresh_overdue()
    return complaints


def test_json_carries_the_figures(client, city):
    data = client.get("/statistik.json?tahun=2026").get_json()
    assert data["year"] == 2026 and data["received"] == 5 and data["confidential"] == 1
    assert data["received_per_month"][1] == {"month": 2, "count": 3}
    assert data["followed_up"] == {"count": 2, "percent": 50.0}
    assert data["resolved_with_photo"] == {"count": 1, "percent": 25.0}
    assert data["working_days_to_first_response"] == {"n": 4, "median": 1, "p90": 4}
    assert data["working_days_to_resolution"] == {"n": 2, "median": 3, "p90": 10}
    assert data["overdue_now"] == 2
    assert data["waiting_for_budget"] == [{"fiscal_year": 2027, "count": 1}]
    assert data["rating"] == {"count": 2, "average": 3.0}
    assert {"label": "Laporan rahasia", "count": 1} in data["received_per_opd"]
    assert "first_response" in data["definitions"]
    every = client.get("/statistik.json").get_json()
    assert every["year"] is None and every["received"] == 6


def test_page_shows_the_same_figures_and_definitions(client, city):
    response = client.get("/statistik?tahun=2026")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "50,0 %" in html and "25,0 %" in html
    assert html.count("<svg") == 6 and html.count('<div class="sr-only"><table>') == 6
    assert "<script" not in html
    assert "persentil ke-90 memakai peringkat terdekat" in html
    assert "Sabtu, Minggu, libur nasional" in html


@pytest.mark.parametrize("path", ["/statistik?tahun=2026", "/statistik", "/statistik.json",
                                  "/statistik.json?tahun=2026", "/statistik/2026"])
def test_nothing_of_a_confidential_complaint_is_shown(client, city, path):
    body = client.get(path).get_data(as_text=True)
    for secret in (history.CONFIDENTIAL_TITLE, "Dinas Kesehatan", "Layanan kesehatan",
                   city["D"].code):
        assert secret not in body


@pytest.mark.parametrize("bad", ["abc", "-1", "1999", "20266", "2026.0", "²"])
def test_a_bad_year_gets_an_indonesian_400(client, city, bad):
    page = client.get(f"/statistik?tahun={bad}")
    assert page.status_code == 400 and "Tahun harus berupa angka" in page.get_data(as_text=True)
    data = client.get(f"/statistik.json?tahun={bad}")
    assert data.status_code == 400 and "Tahun harus" in data.get_json()["error"]


def test_annual_report_compares_with_the_year_before(client, city):
    response = client.get("/statistik/2026")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<th scope=\"col\">2025</th>" in html
    # 5 received in 2026 against 1 in 2025.
    assert "+400,0 %" in html
    assert "Waktu tanggapan awal: hari kerja" in html
    assert client.get("/statistik/abc").status_code == 404
    assert client.get("/statistik/1999").status_code == 404


def test_empty_portal_has_a_page_without_error(client):
    assert client.get("/statistik").status_code == 200
    assert client.get("/statistik/2026").status_code == 200
    assert client.get("/statistik.json").get_json()["received"] == 0


def test_english_page(client, city):
    html = client.get("/statistik?tahun=2026&lang=en").get_data(as_text=True)
    assert "Complaints received per OPD" in html and "Confidential reports" in html
    assert "50.0%" in html
