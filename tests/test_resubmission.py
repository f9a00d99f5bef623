"""Back, then submit again: the same content from the same sender within an
hour leads to the first complaint instead of making a second one, even with
the fresh form token the page got after Back."""
import threading
from datetime import timedelta

import requests

from conftest import hidden_fields
from portal.complaints import resubmission
from portal.complaints.models import Complaint
from portal.db import database, is_sqlite
from test_citizen import VALID, category_id, form_data


def test_back_and_submit_again_leads_to_the_first_complaint(client, demo):
    first = client.post("/lapor", data=form_data(client))
    assert first.status_code == 303
    # Back: the page (and its token) is fresh; the text differs only in spacing and case.
    again = client.post("/lapor", data=form_data(
        client, judul="  " + VALID["judul"].upper(), isi=VALID["isi"].replace(" ", "   ")))
    assert again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert Complaint.select().count() == 1
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    code = Complaint.get().display_code
    assert f"Aduan ini sudah kami terima: {code}" in page


def test_the_same_browser_session_counts_without_a_contact(app, client, demo):
    assert client.post("/lapor", data=form_data(client, kontak="")).status_code == 303
    assert client.post("/lapor", data=form_data(client, kontak="")).status_code == 303
    assert Complaint.select().count() == 1
    # Another person (another session, no contact) may report the same thing.
    other = app.test_client()
    assert other.post("/lapor", data=form_data(other, kontak="")).status_code == 303
    assert Complaint.select().count() == 2


def test_the_same_contact_counts_from_another_session(app, client, demo):
    assert client.post("/lapor", data=form_data(client, kontak="0812 3456 789")).status_code == 303
    other = app.test_client()
    again = other.post("/lapor", data=form_data(other, kontak="+62 812-3456-789"))
    assert again.status_code == 303
    assert Complaint.select().count() == 1
    # Knowing someone's number and words must not hand out their tracking code.
    code = Complaint.get().display_code
    assert code not in again.headers["Location"]
    page = other.get(again.headers["Location"]).get_data(as_text=True)
    assert "sudah kami terima" in page and code not in page


def test_other_content_or_an_hour_later_is_a_new_complaint(client, demo):
    client.post("/lapor", data=form_data(client))
    client.post("/lapor", data=form_data(client, judul="Lampu PJU mati di Jl. Veteran"))
    assert Complaint.select().count() == 2
    for c in Complaint.select():
        earlier = c.created_at - timedelta(minutes=61)
        Complaint.update(created_at=earlier).where(Complaint.id == c.id).execute()
    client.post("/lapor", data=form_data(client))
    assert Complaint.select().count() == 3


def test_the_lookup_uses_the_index(app, demo):
    if not is_sqlite():
        return
    digest = resubmission.content_hash({"title": "a", "body": "b", "category": 1})
    sql, params = (Complaint.select().where(
        (Complaint.content_hash == digest)
        & (Complaint.created_at >= Complaint.created_at)).sql())
    plan = " ".join(str(row) for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params))
    assert "complaint_content_hash_created_at" in plan, plan


def test_twenty_identical_submissions_at_once_make_one_complaint(app, demo, live_server):
    """Each with its own session and fresh token, the same contact; on a real
    SQLite file, and on PostgreSQL with ADUAN_TEST_DATABASE=postgres."""
    with app.app_context():
        category = category_id()
    sessions, forms = [], []
    for _ in range(20):
        s = requests.Session()
        tokens = hidden_fields(s.get(f"{live_server}/lapor", timeout=30).text)
        sessions.append(s)
        forms.append({**tokens, **VALID, "kategori": category, "kontak": "0812-3456-7890"})
    start = threading.Barrier(20)
    answers = []

    def send(s, data):
        start.wait()
        answers.append(s.post(f"{live_server}/lapor", data=data, allow_redirects=False,
                              timeout=60))

    threads = [threading.Thread(target=send, args=pair) for pair in zip(sessions, forms, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert [a.status_code for a in answers] == [303] * 20
    with app.app_context():
        assert Complaint.select().count() == 1
        code = Complaint.get().display_code
    # Only the session that made it is sent to its tracking page; the other
    # nineteen (other sessions, same contact) are told without the code.
    revealed = [a for a in answers if code in a.headers["Location"]]
    assert len(revealed) == 1
    assert all(a.headers["Location"].endswith("/lacak") for a in answers if a not in revealed)
