"""The leaders' dashboard over the hand-computed history (statistics_fixture)."""
import re

import pytest

import statistics_fixture as history
from portal.complaints.models import Complaint
from portal.statistics import facts
from staff_helpers import login

RANGE = "dari=2026-01-01&sampai=2026-03-31"


@pytest.fixture
def city(app, demo):
    with app.app_context():
        complaints = history.build()
        Complaint.update(location="Jl. Ahmad Yani", lat=-6.115, lon=106.152).where(
            Complaint.id == complaints["D"].id).execute()
        facts.refresh_dirty()
    return complaints


def _rows(html):
    table = html.split('<table class="dashboard">')[1].split("</table>")[0]
    return {re.sub(r"<.*?>", "", row.split("</th>")[0]).strip(): re.findall(r"<td>(.*?)</td>", row)
            for row in table.split("<tr>")[2:]}


def test_per_opd_figures_ranking_and_budget_list(client, demo, city):
    login(client, "admin", demo["admin"])
    html = client.get(f"/staf/dasbor?{RANGE}&min=1").get_data(as_text=True)
    rows = _rows(html)
    # received, opened (median HK), first response median / p90, open, then the age buckets
    assert rows["Dinas Pekerjaan Umum dan Penataan Ruang"][:4] == ["2", "1", "1 / 3", "0"]
    dinkes = rows["Dinas Kesehatan"]
    assert dinkes[:4] == ["1", "–", "1 / 1", "1"] and sum(map(int, dinkes[4:])) == 1
    ranking = html.split('<ol class="ranking">')[1].split("</ol>")[0]
    assert ranking.index("Dinas Kesehatan") < ranking.index("Dinas Pekerjaan Umum")
    only_busy = client.get(f"/staf/dasbor?{RANGE}&min=2").get_data(as_text=True)
    assert "Dinas Kesehatan" not in only_busy.split('<ol class="ranking">')[1].split("</ol>")[0]
    assert "Belum ada OPD yang memenuhi syarat" in client.get(
        f"/staf/dasbor?{RANGE}").get_data(as_text=True)  # the default minimum is 5
    budget = html.split('<table class="budget">')[1]
    assert city["D"].display_code in budget and "Jl. Ahmad Yani" in budget
    assert "(-6.11500, 106.15200)" in budget and "<td>2027</td>" in budget


def test_filters(client, demo, city):
    login(client, "admin", demo["admin"])
    rabeg = _rows(client.get(f"/staf/dasbor?{RANGE}&kanal=rabeg").get_data(as_text=True))
    assert rabeg == {"Tidak ada aduan yang cocok.": []} or not any(
        "Dinas" in name for name in rabeg)
    march = _rows(client.get("/staf/dasbor?dari=2026-03-01&sampai=2026-03-31")
                  .get_data(as_text=True))
    assert set(march) == {"Dinas Kesehatan"}
    bad = client.get("/staf/dasbor?dari=kemarin")
    assert bad.status_code == 400 and "TTTT-BB-HH" in bad.get_data(as_text=True)


def test_a_pimpinan_sees_their_own_opd_and_others_nothing(client, demo, city):
    login(client, "pimpinan.dpupr", demo["pimpinan.dpupr"])
    html = client.get(f"/staf/dasbor?{RANGE}&opd=999").get_data(as_text=True)
    assert set(_rows(html)) == {"Dinas Pekerjaan Umum dan Penataan Ruang"}
    assert city["D"].display_code not in html
    login(client, "operator.dpupr", demo["operator.dpupr"])
    assert client.get("/staf/dasbor").status_code == 403
    assert 'href="/staf/dasbor"' not in client.get("/staf/antrean").get_data(as_text=True)
