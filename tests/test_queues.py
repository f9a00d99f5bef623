"""The staff queue: visibility per OPD, my tasks, filters, keyset
pagination, counts, and the refresh that transfers nothing when nothing changed."""
import html as html_module
import re
from datetime import timedelta

from deadline_helpers import at
from portal import clock
from portal.clock import utcnow
from portal.complaints import service as complaints, workflow
from portal.complaints.models import Complaint
from portal.directory.models import Opd
from portal.workspace import queue as queues
from staff_helpers import advance, login, new_complaint, user

NEXT_LINK = re.compile(r'href="(/staf/antrean\?[^"]*setelah=[^"&]+[^"]*)"[^>]*>Berikutnya')


def _codes(html):
    return {c.display_code for c in Complaint.select() if c.display_code in html}


def test_opd_staff_see_only_their_opd(app, demo, client):
    with app.app_context():
        road = advance(new_complaint(), workflow.DITERUSKAN)
        lamp = new_complaint(category="Penerangan Jalan Umum (PJU)", title="Lampu PJU mati")
        complaints.perform(lamp, "teruskan", role="admin", actor="admin",
                           opd=Opd.get(Opd.code == "DISHUB"))
    login(client, "operator.dpupr", demo["operator.dpupr"])
    html = client.get("/staf/antrean").get_data(as_text=True)
    with app.app_context():
        assert _codes(html) == {road.display_code}
    assert client.get(f"/staf/aduan/{lamp.display_code}").status_code == 404
    assert client.get(f"/staf/aduan/{road.display_code}").status_code == 200


def test_auditor_sees_every_opd_and_has_no_actions(app, demo, client):
    with app.app_context():
        road = advance(new_complaint(), workflow.DITERUSKAN)
        fresh = new_complaint(title="Belum diverifikasi")
    login(client, "auditor", demo["auditor"])
    html = client.get("/staf/antrean").get_data(as_text=True)
    with app.app_context():
        assert _codes(html) == {road.display_code, fresh.display_code}
    detail = client.get(f"/staf/aduan/{road.display_code}").get_data(as_text=True)
    assert "aksi-" not in detail and "/catatan" not in detail


def test_my_tasks_come_first_for_each_role(app, demo):
    with app.app_context():
        waiting = advance(new_complaint(title="Menunggu disposisi"), workflow.DILAPORKAN)
        routed = advance(new_complaint(title="Baru diteruskan"), workflow.DITERUSKAN)
        assert {c.id for c in queues.tasks(user("pimpinan.dpupr"))[0]} == {waiting.id}
        assert {c.id for c in queues.tasks(user("operator.dpupr"))[0]} == {routed.id}
        assert queues.tasks(user("kabid.binamarga"))[1] == 0
        disposed = advance(new_complaint(), workflow.DIDISPOSISI)
        assert [c.id for c in queues.tasks(user("kabid.binamarga"))[0]] == [disposed.id]
        assert queues.tasks(user("auditor"))[1] == 0


def test_filters_search_and_counts(app, demo, client):
    with app.app_context():
        a = advance(new_complaint(title="Jalan amblas Kaligandu"), workflow.DILAPORKAN)
        b = advance(new_complaint(title="Drainase mampet", category="Drainase dan banjir",
                                  channel="lapor"), workflow.DITERUSKAN)
    login(client, "operator.dpupr", demo["operator.dpupr"])

    def shown(**args):
        with app.app_context():
            html = client.get("/staf/antrean", query_string=args).get_data(as_text=True)
            return _codes(html.split("Semua aduan", 1)[1])  # below "my tasks"

    with app.app_context():
        drainage = Complaint.get_by_id(b.id).category_id
    assert shown(status="dilaporkan") == {a.display_code}
    assert shown(kanal="lapor") == {b.display_code}
    assert shown(kategori=str(drainage)) == {b.display_code}
    assert shown(q="amblas") == {a.display_code}
    assert shown(q=a.display_code.lower()) == {a.display_code}
    assert shown(status="bukan-status", urutan="acak") == {a.display_code, b.display_code}
    html = client.get("/staf/antrean", query_string={"status": "dilaporkan"}).get_data(as_text=True)
    assert "Dilaporkan ke pimpinan: <b>1</b>" in html and "Diteruskan ke OPD: <b>1</b>" in html


def test_overdue_filter_badge_and_rule_follow_the_injected_clock(app, demo, client):
    with app.app_context(), clock.freeze(at("2026-03-02 09:00")):
        late = advance(new_complaint(title="Aduan yang terlambat"), workflow.DITERUSKAN)
    with app.app_context(), clock.freeze(at("2026-03-09 09:00")):
        fresh = advance(new_complaint(title="Aduan yang masih baru"), workflow.DITERUSKAN)
    login(client, "operator.dpupr", demo["operator.dpupr"])
    rule = "Tanggapan awal OPD: 5 hari kerja — SP4N-LAPOR!"
    with clock.freeze(at("2026-03-09 22:00")):  # the last day of the first: not late yet
        assert "Terlambat</span>" not in client.get("/staf/antrean").get_data(as_text=True)
        assert "Tidak ada aduan yang cocok" in client.get(
            "/staf/antrean?terlambat=1").get_data(as_text=True).split("Semua aduan", 1)[1]
    with clock.freeze(at("2026-03-10 08:00")):
        html = client.get("/staf/antrean?terlambat=1").get_data(as_text=True)
        listed = html.split("Semua aduan", 1)[1]
        assert late.display_code in listed and fresh.display_code not in listed
        assert 'class="badge late">Terlambat</span>' in html and rule in html
        assert "Tenggat belum tersedia" not in html
        detail = client.get(f"/staf/aduan/{late.display_code}").get_data(as_text=True)
        assert 'class="badge late">Terlambat</span>' in detail and rule in detail
        assert 'datetime="2026-03-09T16:59:59Z"' in detail  # 23:59:59 WIB on the 5th working day


def test_due_date_sort_pages_by_due_date_with_the_undated_last(app, demo, client, monkeypatch):
    monkeypatch.setattr(queues, "PAGE_SIZE", 4)
    base = utcnow() + timedelta(days=3)
    expected_dated, undated = [], []
    with app.app_context():
        for i in range(11):
            c = new_complaint(title=f"Aduan tenggat {i:02d}")
            # Ties on due_at (i // 2) and several without one (every third).
            due = None if i % 3 == 0 else base + timedelta(hours=10 - i // 2)
            Complaint.update(due_at=due).where(Complaint.id == c.id).execute()
            (undated if due is None else expected_dated).append((due, c.id, c.display_code))
    expected = [code for _d, _i, code in sorted(expected_dated)] + [code for *_k, code in undated]
    login(client, "admin", demo["admin"])
    seen, url, pages = [], "/staf/antrean?urutan=tenggat", 0
    while url:
        html = client.get(url).get_data(as_text=True)
        section = html.split("Semua aduan", 1)[1]
        seen += sorted((c for c in expected if c in section), key=section.index)
        following = NEXT_LINK.search(section)
        url = html_module.unescape(following.group(1)) if following else None
        if url:
            cursor = url.split("setelah=", 1)[1]
            assert "~" in cursor  # the due date (or "-" for none) and the id
        pages += 1
        assert pages < 10, "pagination does not end"
    assert seen == expected and pages == 3


def test_keyset_pagination_walks_every_row_once(app, demo, client):
    with app.app_context():
        base = utcnow() - timedelta(days=10)
        created = []
        for i in range(queues.PAGE_SIZE * 2 + 3):
            c = new_complaint(title=f"Aduan nomor {i:03d}")
            # Ties on created_at must not lose or repeat rows.
            Complaint.update(created_at=base + timedelta(hours=i // 3)).where(
                Complaint.id == c.id).execute()
            created.append(c.display_code)
    login(client, "admin", demo["admin"])
    for sort in ("terlama", "terbaru"):
        seen, url, pages = [], f"/staf/antrean?urutan={sort}", 0
        while url:
            html = client.get(url).get_data(as_text=True)
            section = html.split("Semua aduan", 1)[1]
            seen += sorted((c for c in created if c in section), key=section.index)
            following = NEXT_LINK.search(section)
            url = html_module.unescape(following.group(1)) if following else None
            pages += 1
            assert pages < 10, "pagination does not end"
        assert pages == 3
        assert sorted(seen) == sorted(created) and len(seen) == len(set(seen)), sort
        assert seen[0] == (created[0] if sort == "terlama" else created[-1])


def test_refresh_transfers_nothing_when_nothing_changed(app, demo, client):
    with app.app_context():
        complaint = advance(new_complaint(), workflow.DITERUSKAN)
    login(client, "operator.dpupr", demo["operator.dpupr"])
    headers = {"HX-Request": "true"}
    first = client.get("/staf/antrean", headers=headers)
    assert first.status_code == 200 and "HX-Request" in first.headers["Vary"]
    assert "<html" not in first.get_data(as_text=True)  # the fragment only
    etag = first.headers["ETag"]
    again = client.get("/staf/antrean", headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    full = client.get("/staf/antrean", headers={"If-None-Match": etag})
    assert full.status_code == 200 and "<html" in full.get_data(as_text=True)
    with app.app_context():
        complaints.perform(complaint, "laporkan", role="operator", actor="op",
                           actor_user=user("operator.dpupr"), text="mohon arahan")
    changed = client.get("/staf/antrean", headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_queue_requires_login(client):
    response = client.get("/staf/antrean")
    assert response.status_code == 302 and "/staf/masuk" in response.headers["Location"]
