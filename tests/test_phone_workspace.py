"""The workspace as a phone user meets it: the next step on every row, no
row twice, channel names, destructive actions apart and with a reason, and
the admin's routing note kept internal unless marked public."""
import re

from portal.complaints import workflow
from portal.complaints.models import Complaint, TimelineEvent
from portal.directory.models import Opd
from staff_helpers import advance, csrf, login, new_complaint, user

CODE = re.compile(r"[0-9A-Z]{5}-[0-9A-Z]{5}")
ROW_CODE = re.compile(r'<td class="code"[^>]*><a [^>]*>([0-9A-Z]{5}-[0-9A-Z]{5})</a>')


def codes(html):
    return CODE.findall(html)


def test_tasks_and_the_list_never_repeat_a_row(app, demo, client):
    with app.app_context():
        made = [new_complaint(title=f"Aduan nomor {i}") for i in range(3)]
        routed = advance(new_complaint(title="Sudah diteruskan"), workflow.DITERUSKAN)
    login(client, "admin", demo["admin"])
    html = client.get("/staf/antrean").get_data(as_text=True)
    tasks, rest = html.split("Semua aduan lainnya", 1)
    assert {c.display_code for c in made} <= set(codes(tasks))
    assert routed.display_code in codes(rest)
    listed = ROW_CODE.findall(html)
    assert len(listed) == 4
    assert len(listed) == len(set(listed))


def test_rows_say_my_next_step_or_whom_it_waits_for_and_name_the_channel(app, demo, client):
    with app.app_context():
        mine = advance(new_complaint(title="Menunggu operator", channel="sp4n"),
                       workflow.DITERUSKAN)
        theirs = advance(new_complaint(title="Menunggu pimpinan"), workflow.DILAPORKAN)
    login(client, "operator.dpupr", demo["operator.dpupr"])
    html = client.get("/staf/antrean?urutan=terlama").get_data(as_text=True)
    row_of = {code: row for row in html.split("<tr")[1:] for code in codes(row)[:1]}
    assert "<b>Laporkan ke pimpinan</b>" in row_of[mine.display_code]
    assert 'class="mine unread"' in "<tr" + row_of[mine.display_code]
    assert "Menunggu pimpinan" in row_of[theirs.display_code]
    assert "unread" not in row_of[theirs.display_code].split(">", 1)[0]  # not mine to open
    assert ">SP4N-LAPOR!<" in row_of[mine.display_code]
    assert ">sp4n<" not in html


def test_the_detail_puts_my_next_action_first_and_destructive_ones_apart(app, demo, client):
    with app.app_context():
        complaint = new_complaint()
    login(client, "admin", demo["admin"])
    html = client.get(f"/staf/aduan/{complaint.display_code}").get_data(as_text=True)
    assert 'href="#aksi-teruskan">Langkah Anda: Teruskan ke OPD</a>' in html
    forms = re.findall(r'<form id="aksi-(\w+)" class="([^"]*)"', html)
    assert forms[0] == ("teruskan", "primary")
    assert {name: kind for name, kind in forms}["tolak"] == "secondary destructive"
    assert {name: kind for name, kind in forms}["arsipkan"] == "secondary destructive"
    section = html.split("Tolak, arsipkan, atau kembalikan", 1)[1]
    assert 'id="aksi-tolak"' in section and 'id="aksi-teruskan"' not in section


def test_archiving_needs_a_reason(app, demo, client):
    with app.app_context():
        complaint = new_complaint()
    login(client, "admin", demo["admin"])
    token = csrf(client)
    url = f"/staf/aduan/{complaint.display_code}/aksi/arsipkan"
    refused = client.post(url, data={"csrf_token": token, "teks": "  "})
    assert refused.status_code == 422
    assert "Keterangan wajib diisi." in refused.get_data(as_text=True)
    assert client.post(url, data={"csrf_token": token, "teks": "Laporan uji coba"}).status_code == 303
    with app.app_context():
        assert Complaint.get_by_id(complaint.id).status == workflow.DIARSIPKAN


def route(client, app, token, complaint, note, public=False):
    with app.app_context():
        opd = Opd.get(Opd.code == "DPUPR").id
    data = {"csrf_token": token, "opd": str(opd), "teks": note}
    if public:
        data["catatan_publik"] = "1"
    response = client.post(f"/staf/aduan/{complaint.display_code}/aksi/teruskan", data=data)
    assert response.status_code == 303


def test_the_routing_note_stays_internal_unless_marked_public(app, demo, client):
    with app.app_context():
        quiet = new_complaint(title="Catatan internal")
        told = new_complaint(title="Catatan publik")
    login(client, "admin", demo["admin"])
    token = csrf(client)
    route(client, app, token, quiet, "Mohon cek ulang, pelapor sering lapor palsu.")
    route(client, app, token, told, "Diteruskan ke Dinas PUPR untuk perbaikan jalan.",
          public=True)
    hidden = client.get(f"/lacak/{quiet.display_code}").get_data(as_text=True)
    assert "Diteruskan ke OPD" in hidden and "lapor palsu" not in hidden
    shown = client.get(f"/lacak/{told.display_code}").get_data(as_text=True)
    assert "untuk perbaikan jalan" in shown
    # The OPD still reads the note, as an internal one.
    login(client, "operator.dpupr", demo["operator.dpupr"])
    detail = client.get(f"/staf/aduan/{quiet.display_code}").get_data(as_text=True)
    assert "lapor palsu" in detail
    with app.app_context():
        fresh = Complaint.get_by_id(quiet.id)
        assert fresh.status == workflow.DITERUSKAN
        note = fresh.events.where(TimelineEvent.kind == "catatan").get()
        assert note.public is False and note.actor_user_id == user("admin").id


def test_a_kabid_is_only_asked_for_what_was_disposed_to_their_bidang(app, demo):
    from portal.complaints import service as complaints
    from portal.directory.models import Bidang
    from portal.workspace import steps

    with app.app_context():
        complaint = advance(new_complaint(), workflow.DILAPORKAN)
        other = Bidang.get((Bidang.opd == complaint.opd_id) & (Bidang.name != "Bidang Bina Marga"))
        pimpinan = user("pimpinan.dpupr")
        complaints.perform(complaint, "disposisi", role="pimpinan", actor="p",
                           actor_user=pimpinan, text="tangani", bidang=[other])
        assert steps.next_step(user("kabid.binamarga"), complaint) == (False, "Menunggu Kabid")
