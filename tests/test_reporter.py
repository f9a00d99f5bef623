"""The reporter on the tracking page: more information, "not resolved",
and the rating; plain forms, no JavaScript, small pages."""
import gzip
import io

from conftest import hidden_fields
from portal.complaints import service as complaints, workflow
from portal.complaints.models import Complaint
from portal.complaints.photos import store_photo
from staff_helpers import advance, new_complaint, photo_bytes, snapshot, user


def _post(client, complaint, path, **data):
    page = client.get(f"/lacak/{complaint.display_code}").get_data(as_text=True)
    return client.post(f"/lacak/{complaint.display_code}/{path}",
                       data={**data, "csrf_token": hidden_fields(page)["csrf_token"]})


def _resolved(app):
    complaint = new_complaint()
    photo = store_photo(io.BytesIO(photo_bytes()), app.config["UPLOAD_FOLDER"])
    return advance(complaint, workflow.SELESAI, stored_photo=photo)


def test_information_asked_for_sends_it_back_to_verification(app, demo, client):
    with app.app_context():
        complaint = new_complaint()
        complaints.perform(complaint, "tunda", role="admin", actor="admin",
                           actor_user=user("admin"), text="Di RT berapa?")
    assert "Di RT berapa?" in client.get(f"/lacak/{complaint.display_code}").get_data(as_text=True)
    empty = _post(client, complaint, "info", teks="  ")
    assert empty.status_code == 422 and "Keterangan wajib diisi." in empty.get_data(as_text=True)
    assert _post(client, complaint, "info", teks="RT 03 RW 02").status_code == 303
    with app.app_context():
        assert Complaint.get_by_id(complaint.id).status == workflow.BARU


def test_information_on_an_open_complaint_is_a_public_note(app, demo, client):
    with app.app_context():
        complaint = advance(new_complaint(), workflow.DILAPORKAN)
    assert _post(client, complaint, "info", teks="Lubangnya makin besar").status_code == 303
    with app.app_context():
        assert Complaint.get_by_id(complaint.id).status == workflow.DILAPORKAN
    assert "Lubangnya makin besar" in client.get(f"/lacak/{complaint.display_code}").get_data(as_text=True)


def test_rating_once_from_one_to_five(app, demo, client):
    with app.app_context():
        complaint = _resolved(app)
    page = client.get(f"/lacak/{complaint.display_code}").get_data(as_text=True)
    assert 'name="nilai"' in page and "catatan publikasikan" in page
    assert _post(client, complaint, "nilai", nilai="9").status_code == 422
    assert _post(client, complaint, "nilai", nilai="5").status_code == 303
    with app.app_context():
        before = snapshot(complaint)
    assert _post(client, complaint, "nilai", nilai="1").status_code == 409
    with app.app_context():
        assert snapshot(complaint) == before and before[2] == 5
    assert 'name="nilai"' not in client.get(f"/lacak/{complaint.display_code}").get_data(as_text=True)


def test_not_resolved_reopens_it_to_the_opd(app, demo, client):
    with app.app_context():
        complaint = _resolved(app)
    assert _post(client, complaint, "nilai", nilai="2").status_code == 303
    assert _post(client, complaint, "belum-selesai", teks="Masih berlubang").status_code == 303
    with app.app_context():
        fresh = Complaint.get_by_id(complaint.id)
        assert fresh.status == workflow.DITERUSKAN and fresh.rating is None
        assert fresh.opd.code == "DPUPR"
    again = _post(client, complaint, "belum-selesai", teks="Masih berlubang")
    assert again.status_code == 409


def test_reporter_forms_need_the_csrf_token(app, demo, client):
    with app.app_context():
        complaint = _resolved(app)
    response = client.post(f"/lacak/{complaint.display_code}/nilai", data={"nilai": "5"})
    assert response.status_code == 400


def test_tracking_page_stays_small_and_script_free(app, demo, client):
    with app.app_context():
        complaint = _resolved(app)
    html = client.get(f"/lacak/{complaint.display_code}").get_data()
    css = client.get("/static/aduan.css").get_data()
    assert b"<script" not in html and b"htmx" not in html
    assert len(gzip.compress(html)) + len(gzip.compress(css)) <= 14 * 1024


def test_unknown_code_is_404(client):
    assert client.post("/lacak/ZZZZZ-ZZZZZ/nilai", data={}).status_code in (400, 404)
