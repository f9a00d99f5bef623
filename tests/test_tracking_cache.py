"""A tracking page is rendered once per version of its complaint: any write
to the complaint, its events or its photos (triggers of migration 130) makes
the next view render it afresh; each visitor still gets their own CSRF token."""
import io

from flask import template_rendered

from conftest import hidden_fields
from portal.complaints import service as complaints, workflow
from portal.complaints.models import Attachment, Complaint
from portal.complaints.photos import store_photo
from staff_helpers import advance, new_complaint, photo_bytes


def view(app, client, url):
    """(the page, how many times the tracking template was rendered for it)."""
    seen = []

    def count(sender, template, context, **extra):
        seen.append(template.name)

    with template_rendered.connected_to(count, app):
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response, seen.count("citizen/lacak.html")


def test_an_unchanged_page_is_not_rendered_again_and_each_write_renders_it(app, demo, client):
    with app.app_context():
        complaint = advance(new_complaint(), workflow.DITERUSKAN)
        url = f"/lacak/{complaint.display_code}"
    first, n1 = view(app, client, url)
    again, n2 = view(app, client, url)
    assert (n1, n2) == (1, 0)
    assert again.get_data() == first.get_data()
    with app.app_context():
        complaints.record(Complaint.get_by_id(complaint.id), "catatan", "Operator",
                          text="Petugas sudah meninjau lokasi", public=True)
    noted, n3 = view(app, client, url)
    assert n3 == 1 and "Petugas sudah meninjau lokasi" in noted.get_data(as_text=True)
    with app.app_context():  # a write straight to the row, as a bulk script would
        Complaint.update(title="Jalan berlubang besar di Ciceri").where(
            Complaint.id == complaint.id).execute()
    retitled, n4 = view(app, client, url)
    assert n4 == 1 and "Jalan berlubang besar di Ciceri" in retitled.get_data(as_text=True)
    english, n5 = view(app, client, url + "?lang=en")
    assert n5 == 1 and english.get_data() != retitled.get_data()


def test_a_photo_made_public_renders_the_page_again(app, demo, client):
    with app.app_context():
        photo = store_photo(io.BytesIO(photo_bytes()), app.config["UPLOAD_FOLDER"])
        complaint = advance(new_complaint(), workflow.SELESAI, stored_photo=photo)
        url = f"/lacak/{complaint.display_code}"
        Attachment.update(public=False).where(Attachment.filename == photo.filename).execute()
    hidden, _n = view(app, client, url)
    assert photo.filename not in hidden.get_data(as_text=True)
    with app.app_context():
        Attachment.update(public=True).where(Attachment.filename == photo.filename).execute()
    shown, n = view(app, client, url)
    assert n == 1 and photo.filename in shown.get_data(as_text=True)


def test_every_visitor_gets_their_own_csrf_token(app, demo, client):
    with app.app_context():
        complaint = advance(new_complaint(), workflow.DITERUSKAN)  # "Tambah informasi" shown
        url = f"/lacak/{complaint.display_code}"
    other = app.test_client()
    mine, _ = view(app, client, url)
    theirs, rendered = view(app, other, url)
    assert rendered == 0
    a = hidden_fields(mine.get_data(as_text=True))["csrf_token"]
    b = hidden_fields(theirs.get_data(as_text=True))["csrf_token"]
    assert a and b and a != b and "csrfMark" not in theirs.get_data(as_text=True)


def test_a_confidential_page_is_never_stored_by_browsers_even_when_kept(app, demo, client):
    with app.app_context():
        complaint = new_complaint(confidential=True)
        url = f"/lacak/{complaint.display_code}"
    first, _ = view(app, client, url)
    again, rendered = view(app, client, url)
    assert rendered == 0
    assert first.headers["Cache-Control"] == again.headers["Cache-Control"] == "no-store"


def test_a_waiting_flash_is_shown_once_and_not_kept(app, demo, client):
    with app.app_context():
        complaint = new_complaint()
        url = f"/lacak/{complaint.display_code}"
    view(app, client, url)
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Pesan uji untuk pelacakan")]
    assert "Pesan uji untuk pelacakan" in client.get(url).get_data(as_text=True)
    assert "Pesan uji untuk pelacakan" not in client.get(url).get_data(as_text=True)


def test_twenty_readers_during_writes_never_see_a_page_older_than_the_last_commit(
        app, demo, live_server):
    """Readers hammer the page while notes are added; once a note's write has
    committed, every view that starts afterwards shows it."""
    import threading

    import requests

    with app.app_context():
        complaint = advance(new_complaint(), workflow.DITERUSKAN)
    url = f"{live_server}/lacak/{complaint.display_code}"
    committed = []  # notes whose write has returned
    stale, stop = [], threading.Event()

    def reader():
        with requests.Session() as s:
            while not stop.is_set():
                expected = list(committed)  # known before the request starts
                page = s.get(url, timeout=30).text
                stale.extend(note for note in expected if note not in page)

    threads = [threading.Thread(target=reader) for _ in range(20)]
    for t in threads:
        t.start()
    try:
        for i in range(8):
            note = f"Catatan petugas nomor {i} untuk pelapor"
            with app.app_context():
                complaints.record(Complaint.get_by_id(complaint.id), "catatan", "Operator",
                                  text=note, public=True)
            committed.append(note)
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    assert not stale, stale[:3]
    assert all(n in requests.get(url, timeout=30).text for n in committed)
