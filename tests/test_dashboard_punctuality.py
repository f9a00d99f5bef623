"""On time per step, queue-opening punctuality and the grouping on the leaders'
dashboard, over the hand-computed history (statistics_fixture) and one more
complaint, G, that runs late:

  G  received Mon 03-02, Jalan rusak, web.  Forwarded to DPUPR Fri 03-06
     10:00: routing was due Thu 03-05 (3 HK) -> late.  Reported Mon 03-16:
     due Fri 03-13 (5 HK: 9 10 11 12 13) -> late.  Still "dilaporkan": its
     disposition runs under the follow-up limit, 14 HK from 03-06 (9-13,
     16 17, then 18-24 March are Nyepi, Idul Fitri and cuti bersama, 25 26
     27 30 31, 1 2 April) -> due Thu 04-02: not yet judged on 04-01, late
     after.

DPUPR opens its queue at 08:00 and 13:00 (grace 30 minutes); its operator
opened it Tue 02-03 13:20 and Wed 02-18 08:45:
  A arrived Tue 02-03 10:00, opened 13:20: 200 working minutes; same day;
    by the 13:00 slot (+30) -> on time.
  B arrived Fri 02-13 16:00, opened Wed 02-18 08:45: Fri 8 h + Wed 8 h 45
    (weekend and the 16-17 Feb holidays skipped) = 1005 minutes; not the same
    day; the next slot is Wed 08:00 (+30) -> late.
  G arrived Fri 03-06 10:00, never opened: late on both counts.
  Median of {200, 1005} (nearest rank) = 200 minutes = 3.3 working hours.
DINKES has no opening hours: D arrived Mon 03-02 and was never opened.
"""
import csv
import io
import json
import re
from datetime import date

import pytest

import statistics_fixture as history
from deadline_helpers import act, at
from portal import clock
from portal.accounts.models import User
from portal.complaints import workflow
from portal.deadlines import opening_hours, sla
from portal.deadlines.opening_hours import QueueOpening
from portal.directory.models import Opd
from portal.statistics import dashboard, facts, stages
from portal.statistics.models import StatFact
from staff_helpers import login

RANGE = "dari=2026-01-01&sampai=2026-03-31"
DPUPR = "Dinas Pekerjaan Umum dan Penataan Ruang"


def utc(text):
    return sla.to_utc_naive(at(text))


@pytest.fixture
def city(app, demo):
    with app.app_context():
        complaints = history.build()
        g = history._new("2026-03-02 08:00", "Jalan rusak")
        g = history._forward(g, "2026-03-06 10:00", "DPUPR")
        complaints["G"] = act(g, "laporkan", "2026-03-16 09:00", workflow.OPERATOR)
        dpupr = Opd.get(Opd.code == "DPUPR")
        opening_hours.set_times(dpupr, ["08:00", "13:00"])
        operator = User.get(User.username == "operator.dpupr")
        facts.refresh_dirty()
        for moment in ("2026-02-03 13:20", "2026-02-18 08:45"):
            QueueOpening.create(opd=dpupr, user=operator, opened_at=utc(moment))
        facts.mark_queue_opened(dpupr.id)  # as opening the queue page does
        assert facts.refresh_dirty() >= 3
    return complaints


def _fact(complaint):
    return StatFact.get(StatFact.complaint == complaint.id)


def test_each_step_is_due_by_its_sla_rule_and_the_working_days(app, city):
    with app.app_context():
        a, b, c, d, g = (_fact(city[k]) for k in "ABCDG")
        assert (a.penerusan_due, a.penerusan_at) == (utc("2026-02-05 23:59:59"),
                                                     utc("2026-02-03 10:00"))
        assert a.laporan_due == utc("2026-02-10 23:59:59")  # 5 HK after Tue 02-03
        # 14 HK after Tue 02-03, the 16-17 Feb holidays skipped
        assert a.disposisi_due == a.tindak_lanjut_due == a.publikasi_due == utc(
            "2026-02-25 23:59:59")
        assert a.publikasi_at == utc("2026-02-18 09:00")
        # An aspirasi has 5 HK; a direct answer closes disposition and follow-up at once.
        assert b.disposisi_due == utc("2026-02-24 23:59:59")
        assert b.disposisi_at == b.tindak_lanjut_at == utc("2026-02-19 08:00")
        # Rabeg: 3 x 24 hours; returned as "bukan wewenang" after them; nothing follows.
        assert (c.laporan_due, c.laporan_at) == (utc("2026-02-19 09:00"), utc("2026-02-23 09:00"))
        assert c.disposisi_due is None
        # Waiting for a budget stops the follow-up clock: not judged meanwhile.
        assert d.disposisi_due == utc("2026-03-27 23:59:59") and d.tindak_lanjut_due is None
        assert (g.penerusan_due, g.laporan_due, g.disposisi_due) == (
            utc("2026-03-05 23:59:59"), utc("2026-03-13 23:59:59"), utc("2026-04-02 23:59:59"))
        assert g.disposisi_at is None
        assert (a.queue_wait_minutes, b.queue_wait_minutes, g.queue_wait_minutes) == (
            200, 1005, None)
        assert b.queue_slot_due == utc("2026-02-18 08:30") and d.queue_slot_due is None


def _visible_to_admin():
    from portal.workspace import queue as queues

    return queues.visible_to(User.get(User.username == "admin"))


def test_on_time_per_step_and_per_opd(app, city):
    with app.app_context():
        filters = dashboard.Filters.from_args({"dari": "2026-01-01", "sampai": "2026-03-31"},
                                              date(2026, 4, 1))
        rows = {r.name: r.timing for r in dashboard.per_opd(
            _visible_to_admin(), filters, now=utc("2026-04-01 10:00"))}
        assert rows[DPUPR].steps == {"penerusan": (2, 3), "laporan": (2, 3),
                                     "disposisi": (2, 2), "tindak_lanjut": (2, 2),
                                     "publikasi": (2, 2)}
        assert rows["Dinas Kesehatan"].steps == {
            "penerusan": (1, 1), "laporan": (1, 1), "disposisi": (1, 1),
            "tindak_lanjut": (0, 0), "publikasi": (0, 0)}
        later = {r.name: r.timing for r in dashboard.per_opd(
            _visible_to_admin(), filters, now=utc("2026-04-03 00:00"))}
        assert later[DPUPR].steps["disposisi"] == (2, 3)  # G's passed undone
        t = rows[DPUPR]
        assert (t.arrived, t.opened, t.same_day, t.by_slot, t.wait_median_hours) == (
            3, 2, (1, 3), (1, 3), 3.3)
        dinkes = rows["Dinas Kesehatan"]
        assert (dinkes.arrived, dinkes.opened, dinkes.same_day, dinkes.by_slot) == (
            1, 0, (0, 1), (0, 0))


def _table(html, css_class):
    table = html.split(f'<table class="{css_class}">')[1].split("</table>")[0]
    rows = {}
    for row in table.split("<tr>")[2:]:
        name = re.sub(r"<.*?>", "", row.split("</th>")[0]).strip()
        rows[name] = [re.sub(r"<small>.*?</small>", "", cell).strip()
                      for cell in re.findall(r"<td>(.*?)</td>", row)]
    return rows


def test_the_page_states_the_figures_and_their_definitions(client, demo, city):
    login(client, "admin", demo["admin"])
    html = client.get(f"/staf/dasbor?{RANGE}").get_data(as_text=True)
    steps = _table(html, "stages")
    # Judged today (December 2026): G's disposition is late too.
    assert steps[DPUPR] == ["66,7 %", "66,7 %", "66,7 %", "100,0 %", "100,0 %"]
    assert steps["Dinas Kesehatan"] == ["100,0 %", "100,0 %", "100,0 %", "–", "–"]
    queue = _table(html, "queue-opening")
    assert queue[DPUPR] == ["3", "2", "3,3", "33,3 %", "33,3 %"]
    assert queue["Dinas Kesehatan"] == ["1", "0", "–", "0,0 %", "–"]
    assert str(stages.DEFINITIONS["on_time"])[:40] in html
    assert "Jam kerja = jam pada hari kerja" in html


def test_opening_the_queue_page_updates_the_punctuality(client, demo, city, app):
    with clock.freeze(at("2026-03-09 08:05")):
        login(client, "operator.dpupr", demo["operator.dpupr"])
        assert client.get("/staf/antrean").status_code == 200
    with app.app_context():
        facts.refresh_dirty()
        g = _fact(city["G"])
        # Fri 10:00-24:00 (840) + Mon 00:00-08:05 (485)
        assert (g.queue_opened_at, g.queue_wait_minutes) == (utc("2026-03-09 08:05"), 1325)


@pytest.mark.parametrize("group, expected", [
    ("bulan", {"2026-02": ["3", "66,7 %", "91,7 %"], "2026-03": ["3", "0,0 %", "42,9 %"]}),
    ("kategori", {"Jalan rusak": ["4", "66,7 %", "71,4 %"], "Parkir": ["1", "0,0 %", "50,0 %"],
                  "Layanan kesehatan": ["1", "0,0 %", "100,0 %"]}),
    ("status", {"Menunggu verifikasi": ["2", "0,0 %", "33,3 %"],
                "Dilaporkan ke pimpinan": ["1", "0,0 %", "0,0 %"],
                "Menunggu anggaran": ["1", "0,0 %", "100,0 %"],
                "Selesai ditanggapi": ["2", "100,0 %", "100,0 %"]}),
])
def test_grouping(client, demo, city, group, expected):
    login(client, "admin", demo["admin"])
    html = client.get(f"/staf/dasbor?{RANGE}&kelompok={group}").get_data(as_text=True)
    assert _table(html, "groups") == expected
    assert list(_table(html, "groups")) == list(expected)  # in order


def test_grouping_respects_every_filter(client, demo, city):
    login(client, "admin", demo["admin"])
    html = client.get(f"/staf/dasbor?{RANGE}&kelompok=kategori&status=baru").get_data(
        as_text=True)
    assert _table(html, "groups") == {"Jalan rusak": ["1", "–", "0,0 %"],
                                      "Parkir": ["1", "0,0 %", "50,0 %"]}
    march = client.get("/staf/dasbor?dari=2026-03-01&sampai=2026-03-31&kelompok=bulan"
                       "&kanal=web").get_data(as_text=True)
    assert list(_table(march, "groups")) == ["2026-03"]


def test_bad_filters_are_refused_in_indonesian_and_never_fail(client, demo, city):
    login(client, "admin", demo["admin"])
    bad = client.get(f"/staf/dasbor?{RANGE}&kelompok=tahun")
    assert bad.status_code == 400 and "Kelompokkan menurut" in bad.get_data(as_text=True)
    # The download refuses what the page refuses, rather than other rows.
    refused = client.get(f"/ekspor/dasbor.csv?{RANGE}&kelompok=tahun")
    assert refused.status_code == 400 and "Kelompokkan menurut" in refused.get_data(as_text=True)
    assert client.get("/ekspor/dasbor.json?dari=kemarin").status_code == 400
    for query in ("kelompok=%00", "dari=2026-13-45&kelompok=status", "opd=abc&min=-1",
                  "status=<script>&kanal=" + "x" * 500, "sampai=1900-01-01"):
        assert client.get(f"/staf/dasbor?{query}").status_code in (200, 400)
        assert client.get(f"/ekspor/dasbor.csv?{query}").status_code in (200, 400)


def _form_query(html):
    """What a browser submits from the dashboard's filter form."""
    form = html.split('<form class="filters dash-filters"')[1].split("</form>")[0]
    fields = re.findall(r'<input id="[^"]*" name="(\w+)" type="\w+"[^>]*value="([^"]*)"', form)
    for name, select in re.findall(r'<select id="[^"]*" name="(\w+)">(.*?)</select>', form):
        chosen = re.search(r'<option(?: value="([^"]*)")? selected>([^<]*)', select)
        fields.append((name, (chosen[1] if chosen[1] is not None else chosen[2])
                       if chosen else ""))
    return "&".join(f"{k}={v}" for k, v in fields)


def test_the_form_downloads_exactly_the_rows_shown(client, demo, city):
    login(client, "admin", demo["admin"])
    html = client.get(f"/staf/dasbor?{RANGE}&kelompok=kategori").get_data(as_text=True)
    assert 'formaction="/ekspor/dasbor.csv"' in html
    assert 'formaction="/ekspor/dasbor.json"' in html
    query = _form_query(html)
    assert "kelompok=kategori" in query and "dari=2026-01-01" in query
    response = client.get(f"/ekspor/dasbor.csv?{query}")
    assert response.status_code == 200 and response.is_streamed
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body[1:])))

    def shown(value):
        return value.replace(" %", "").replace(",", ".").replace("–", "")

    opd_rows = {r["nama"]: r for r in rows if r["tabel"] == "opd"}
    page_opds = _table(html, "dashboard")
    assert list(opd_rows) == list(page_opds)
    for name, cells in _table(html, "stages").items():
        assert [opd_rows[name][f"tepat_waktu_{s}_persen"] for s in stages.STAGES] == [
            shown(c) for c in cells]
        assert opd_rows[name]["diterima"] == page_opds[name][0]
    for name, cells in _table(html, "queue-opening").items():
        r = opd_rows[name]
        assert [r["antrean_tiba"], r["antrean_dibuka"], r["antrean_median_jam_kerja"],
                r["antrean_hari_sama_persen"], r["antrean_sesuai_jam_buka_persen"]] == [
            shown(c) for c in cells]
    groups = [r for r in rows if r["tabel"] == "menurut_kategori"]
    assert {g["nama"]: [g["diterima"], g["ditindaklanjuti_persen"], g["tepat_waktu_persen"]]
            for g in groups} == {name: [shown(c) for c in cells]
                                 for name, cells in _table(html, "groups").items()}
    # The confidential complaint waiting for a budget: counted, no content.
    budget = [r for r in rows if r["tabel"] == "menunggu_anggaran"]
    assert [(r["nama"], r["tahun_anggaran"], r["kode"], r["judul"]) for r in budget] == [
        ("Laporan rahasia", "2027", "", "")]
    for secret in (history.CONFIDENTIAL_TITLE, city["D"].display_code, "Keterangan laporan"):
        assert secret not in body
    as_json = json.loads(client.get(f"/ekspor/dasbor.json?{query}").get_data(as_text=True))
    assert [(r["tabel"], r["nama"]) for r in as_json] == [(r["tabel"], r["nama"]) for r in rows]
    assert as_json[0]["tepat_waktu_penerusan_persen"] == 66.7


def test_only_the_admin_downloads_the_dashboard(client, demo, city):
    assert client.get("/ekspor/dasbor.csv").status_code == 302
    login(client, "pimpinan.dpupr", demo["pimpinan.dpupr"])
    assert "Unduh CSV" not in client.get("/staf/dasbor").get_data(as_text=True)
    assert client.get("/ekspor/dasbor.csv").status_code == 403
    assert client.get("/ekspor/dasbor.json").status_code == 403

