"""The complaint detail page and staff actions over HTTP."""
from jinja2 import ChoiceLoader, DictLoader

from conftest import hidden_fields
from portal.complaints import workflow
from portal.complaints.models import Complaint, TimelineEvent
from staff_helpers import advance, csrf, login, new_complaint


def test_first_opening_by_the_opd_is_recorded_once(app, demo, client):
    with app.app_context():
        complaint = advance(new_complaint(), workflow.DITERUSKAN)
    login(client, "admin", demo["admin"])
    client.get(f"/staf/aduan/{complaint.display_code}")  # the admin is not the OPD
    login(client, "operator.dpupr", demo["operator.dpupr"])
    client.get(f"/staf/aduan/{complaint.display_code}")
    client.get(f"/staf/aduan/{complaint.display_code}")
    with app.app_context():
        reads = TimelineEvent.select().where((TimelineEvent.complaint == complaint.id)
                                             & (TimelineEvent.kind == "dibaca"))
        assert reads.count() == 1 and reads.get().actor_user.username == "operator.dpupr"
        assert Complaint.get_by_id(complaint.id).read_at is not None


def test_anonymous_reporter_is_shown_to_admins_only(app, demo, client):
    with app.app_context():
        complaint = advance(new_complaint(anonymous=True, reporter_name="Budi Rahasia"),
                            workflow.DITERUSKAN)
    url = f"/staf/aduan/{complaint.display_code}"
    for username, sees in (("operator.dpupr", False), ("auditor", False), ("admin", True)):
        login(client, username, demo[username])
        assert ("Budi Rahasia" in client.get(url).get_data(as_text=True)) is sees, username


def test_internal_note_stays_off_the_tracking_page(app, demo, client):
    with app.app_context():
        complaint = advance(new_complaint(), workflow.DILAPORKAN)
    login(client, "pimpinan.dpupr", demo["pimpinan.dpupr"])
    url = f"/staf/aduan/{complaint.display_code}"
    response = client.post(f"{url}/catatan", data={"teks": "Cek anggaran pemeliharaan dulu",
                                                   "csrf_token": csrf(client, url)})
    assert response.status_code == 303
    assert "Cek anggaran pemeliharaan dulu" in client.get(url).get_data(as_text=True)
    public = client.get(f"/lacak/{complaint.display_code}").get_data(as_text=True)
    assert "Cek anggaran" not in public and "catatan laporkan" not in public


def test_htmx_action_returns_the_detail_fragment_and_refusals_say_why(app, demo, client):
    with app.app_context():
        complaint = advance(new_complaint(), workflow.DIDISPOSISI)
    login(client, "kabid.binamarga", demo["kabid.binamarga"])
    url = f"/staf/aduan/{complaint.display_code}"
    token = csrf(client, url)
    headers = {"HX-Request": "true"}
    no_photo = client.post(f"{url}/aksi/tindak_lanjut", headers=headers,
                           data={"teks": "Sudah ditambal", "csrf_token": token})
    body = no_photo.get_data(as_text=True)
    assert no_photo.status_code == 422 and "<html" not in body
    assert "minimal satu foto" in body and "Sudah ditambal" in body  # typed text kept
    late = client.post(f"{url}/aksi/tunggu_anggaran", headers=headers,
                       data={"teks": "Masuk APBD perubahan", "tahun": "1999", "csrf_token": token})
    assert late.status_code == 422 and "Tahun anggaran antara" in late.get_data(as_text=True)
    far = client.post(f"{url}/aksi/tunggu_anggaran", headers=headers,
                      data={"teks": "Masuk APBD tahun depan", "tahun": "2099", "csrf_token": token})
    assert far.status_code == 422  # beyond five years ahead
    with app.app_context():
        from datetime import date
        year = date.today().year + 1
    ok = client.post(f"{url}/aksi/tunggu_anggaran", headers=headers,
                     data={"teks": "Masuk APBD tahun depan", "tahun": str(year), "csrf_token": token})
    assert ok.status_code == 200 and "Menunggu anggaran" in ok.get_data(as_text=True)
    assert "HX-Request" in ok.headers["Vary"]
    tracking = client.get(f"/lacak/{complaint.display_code}").get_data(as_text=True)
    assert f"rencana tahun anggaran {year}" in tracking
    unknown = client.post(f"{url}/aksi/terbang", data={"csrf_token": token})
    assert unknown.status_code == 409 and "Aksi tidak dikenal" in unknown.get_data(as_text=True)


def test_operator_publishes_from_a_template(app, demo, client):
    from portal.directory.response_templates import ResponseTemplate

    with app.app_context():
        complaint = advance(new_complaint(), workflow.DITINDAKLANJUTI,
                            stored_photo=_stored_photo(app))
        template = ResponseTemplate.create(title="Jalan sudah diperbaiki",
                                           body="Terima kasih, jalan sudah kami perbaiki.",
                                           category=complaint.category_id)
    login(client, "operator.dpupr", demo["operator.dpupr"])
    url = f"/staf/aduan/{complaint.display_code}"
    assert "catatan tindak_lanjut" in client.get(url).get_data(as_text=True)  # the draft
    page = client.get(url, query_string={"templat": template.id}).get_data(as_text=True)
    assert "Terima kasih, jalan sudah kami perbaiki.</textarea>" in page


def test_rejecting_as_duplicate_names_the_original(app, demo, client):
    with app.app_context():
        original, duplicate = new_complaint(), new_complaint()
    login(client, "admin", demo["admin"])
    url = f"/staf/aduan/{duplicate.display_code}"
    token = csrf(client, url)
    wrong = client.post(f"{url}/aksi/tolak", data={"alasan": "duplikat", "kode_asal": "ZZZ",
                                                   "teks": "sama", "csrf_token": token})
    assert wrong.status_code == 422 and "kode pelacakan laporan asal" in wrong.get_data(as_text=True)
    right = client.post(f"{url}/aksi/tolak", data={"alasan": "duplikat", "teks": "sama",
                                                   "kode_asal": original.display_code.lower(),
                                                   "csrf_token": token})
    assert right.status_code == 303
    public = client.get(f"/lacak/{duplicate.display_code}").get_data(as_text=True)
    assert f"Duplikat laporan lain: {original.display_code}" in public


def test_deadline_partial_is_included_where_due_dates_belong(app, demo, client):
    app.jinja_loader = ChoiceLoader([
        DictLoader({"staff/_deadline.html": "{% macro deadline(complaint, compact=false) %}"
                                            "<i>tenggat {{ complaint.code }}</i>{% endmacro %}"}),
        app.jinja_loader])
    with app.app_context():
        complaint = advance(new_complaint(), workflow.DITERUSKAN)
    login(client, "operator.dpupr", demo["operator.dpupr"])
    marker = f"<i>tenggat {complaint.code}</i>"
    # Under "Tugas saya" only: the list below it never repeats a row.
    assert client.get("/staf/antrean").get_data(as_text=True).count(marker) == 1
    assert marker in client.get(f"/staf/aduan/{complaint.display_code}").get_data(as_text=True)


def test_auditor_cannot_post(app, demo, client):
    with app.app_context():
        complaint = new_complaint()
    login(client, "auditor", demo["auditor"])
    token = hidden_fields(client.get("/staf/antrean").get_data(as_text=True))["csrf_token"]
    response = client.post(f"/staf/aduan/{complaint.display_code}/catatan",
                           data={"teks": "x", "csrf_token": token})
    assert response.status_code == 403


def _stored_photo(app):
    import io

    from portal.complaints.photos import store_photo
    from staff_helpers import photo_bytes

    return store_photo(io.BytesIO(photo_bytes()), app.config["UPLOAD_FOLDER"])
