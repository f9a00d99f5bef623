"""The admin connector page: last sync, backlog, errors, dead letters with a
retry button, duplicates with a merge action; plain forms with CSRF."""
import pytest

from conftest import hidden_fields
from connector_env import by_external, configure, sp4n_sim  # noqa: F401
from connector_flow import answer, forward
from portal.accounts.models import User
from portal.complaints import service as complaints, workflow
from portal.complaints.models import Complaint
from portal.sync import engine, outbox
from portal.sync.models import DEAD, DONE, ConnectorChoice, DuplicateFlag, OutboxItem

PAGE = "/staf/admin/konektor/"


@pytest.fixture
def csrf_app(tmp_path):
    from conftest import make_test_app
    from portal.db import database

    app = make_test_app(tmp_path, WTF_CSRF_ENABLED=True)
    yield app
    database.close()


def _login(client, username):
    with client.application.app_context():
        user_id = User.get(User.username == username).id
    with client.session_transaction() as session:
        session["user_id"] = user_id
        session["gen"] = 0  # a new account is at session generation 0


@pytest.fixture
def admin_client(csrf_app, sp4n_sim):  # noqa: F811
    from portal import seed

    with csrf_app.app_context():
        seed.seed_demo()
    configure(csrf_app, sp4n=sp4n_sim)
    client = csrf_app.test_client()
    _login(client, "admin")
    return client


def test_only_admins_see_the_page(admin_client):
    _login(admin_client, "operator.dishub")
    assert admin_client.get(PAGE).status_code == 403


def test_page_shows_last_sync_backlog_and_errors(admin_client, sp4n_sim):  # noqa: F811
    app = admin_client.application
    page = admin_client.get(PAGE).text
    assert "SP4N-LAPOR!" in page and "belum pernah" in page and "Rabeg" in page
    with app.app_context():
        engine.run_pass("sp4n")
        forward(by_external("sp4n", 48201))
    sp4n_sim.fault("status_5xx", status=503, path="/api/v3/complaints/disposition")
    with app.app_context():
        engine.run_pass("sp4n")
    page = admin_client.get(PAGE).text
    section = page[page.index('id="konektor-sp4n"'):page.index('id="surat-mati"')]
    assert "belum pernah" not in section
    assert '<dd class="backlog">0</dd>' in section  # delivered by the pass
    assert "Simulated server error" in section


def test_dead_letter_retry_button_sends_it_again(admin_client, sp4n_sim):  # noqa: F811
    app = admin_client.application
    with app.app_context():
        app.config["SYNC_MAX_ATTEMPTS"] = 1
        engine.run_pass("sp4n")
        answer(by_external("sp4n", 48202), app.config["UPLOAD_FOLDER"], "Sudah diperbaiki.")
        sp4n_sim.fault("status_5xx", status=500, count=4, path="/api/v3/complaints/followup")
        outbox.deliver_due()
        outbox.deliver_due()
        dead = OutboxItem.get(OutboxItem.state == DEAD)
    page = admin_client.get(PAGE).text
    assert 'class="dead-letter"' in page and "Kirim ulang" in page
    token = hidden_fields(page)["csrf_token"]
    url = f"{PAGE}surat-mati/{dead.id}/ulang"
    assert admin_client.post(url).status_code == 400  # no CSRF token, no retry
    with app.app_context():
        app.config["SYNC_MAX_ATTEMPTS"] = 5
        OutboxItem.update(state=DONE).where(OutboxItem.id != dead.id).execute()
    response = admin_client.post(url, data={"csrf_token": token})
    assert response.status_code == 303
    with app.app_context():
        outbox.deliver_due()  # a fault may still be armed: delivered by a later attempt
        OutboxItem.update(next_attempt_at=OutboxItem.created_at).where(
            OutboxItem.state == "pending").execute()
        outbox.deliver_due()
        OutboxItem.update(next_attempt_at=OutboxItem.created_at).where(
            OutboxItem.state == "pending").execute()
        outbox.deliver_due()
        assert OutboxItem.get_by_id(dead.id).state == DONE
    assert 'class="dead-letter"' not in admin_client.get(PAGE).text


def test_merge_and_dismiss_from_the_page(admin_client):
    app = admin_client.application
    with app.app_context():
        a, _ = complaints.submit({"title": "Jalan berlubang Jl. Veteran", "body": "Lubang besar.",
                                  "reporter_contact": "081299990000"})
        b, _ = complaints.submit({"title": "Lubang di Veteran", "body": "Bahaya.",
                                  "reporter_contact": "+6281299990000"})
        c, _ = complaints.submit({"title": "Lubang lagi", "body": "Veteran.",
                                  "reporter_contact": "081299990000"})
        d, _ = complaints.submit({"title": "Sampah di Pasar Rau", "body": "Menumpuk.",
                                  "reporter_contact": "dodi@example.id"})
        e, _ = complaints.submit({"title": "Pasar Rau kotor", "body": "Sampah.",
                                  "reporter_contact": "Dodi@Example.id"})
        # One flag per group: c joined the group of a and b.
        group_abc = DuplicateFlag.get(complaint=b.id, other=a.id)
        group_de = DuplicateFlag.get(complaint=e.id, other=d.id)
        assert DuplicateFlag.select().count() == 2
    page = admin_client.get(PAGE).text
    assert "Kontak pelapor sama" in page and "Gabungkan" in page
    token = hidden_fields(page)["csrf_token"]
    response = admin_client.post(f"{PAGE}duplikat/{group_abc.id}/gabung",
                                 data={"csrf_token": token, "keep": a.id})
    assert response.status_code == 303
    response = admin_client.post(f"{PAGE}duplikat/{group_de.id}/abaikan",
                                 data={"csrf_token": token})
    assert response.status_code == 303
    with app.app_context():
        assert Complaint.get_by_id(a.id).status == "baru"
        assert Complaint.get_by_id(b.id).status == Complaint.get_by_id(c.id).status == "diarsipkan"
        assert Complaint.get_by_id(e.id).status == "baru"
        assert DuplicateFlag.get_by_id(group_de.id).state == "dismissed"
    bad = admin_client.post(f"{PAGE}duplikat/{group_abc.id}/gabung",
                            data={"csrf_token": token, "keep": a.id})
    assert bad.status_code == 404  # already merged: a clear page, not a 500


def _health_url(name="sp4n"):
    return f"{PAGE}{name}/kesehatan"


def _closed_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_check_connection_shows_ok_in_the_page_without_js(admin_client):
    page = admin_client.get(PAGE).text
    assert "Periksa koneksi" in page and "belum diperiksa" in page
    assert admin_client.post(_health_url()).status_code == 400  # no CSRF token
    token = hidden_fields(page)["csrf_token"]
    response = admin_client.post(_health_url(), data={"csrf_token": token})
    assert response.status_code == 200
    cell = response.text[response.text.index('id="kesehatan-sp4n"'):]
    cell = cell[:cell.index("</dd>")]
    assert "OK: terhubung" in cell
    assert "Konektor kanal" in response.text  # the whole page, for a browser without JS


def test_check_connection_with_htmx_answers_only_that_cell(admin_client):
    token = hidden_fields(admin_client.get(PAGE).text)["csrf_token"]
    response = admin_client.post(_health_url(), data={"csrf_token": token},
                                 headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    body = response.text.strip()
    assert body.startswith('<dd class="health" id="kesehatan-sp4n">') and body.endswith("</dd>")
    assert "OK: terhubung" in body and "<html" not in body and "Konektor kanal" not in body


def test_check_connection_to_a_dead_remote_shows_the_error(admin_client):
    app = admin_client.application
    app.config["CONNECTORS"]["sp4n"]["base_url"] = f"http://127.0.0.1:{_closed_port()}/api/v3"
    token = hidden_fields(admin_client.get(PAGE).text)["csrf_token"]
    response = admin_client.post(_health_url(), data={"csrf_token": token},
                                 headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "GAGAL: Layanan tidak dapat dihubungi" in response.text


def test_a_hanging_remote_does_not_hang_the_page(admin_client, sp4n_sim):  # noqa: F811
    import time

    app = admin_client.application
    app.config["CONNECTORS"]["sp4n"]["timeout"] = 10
    app.config["SYNC_HEALTH_TIMEOUT"] = 0.5
    sp4n_sim.fault("timeout", seconds=5, path="/api/v3/masters/templates")
    token = hidden_fields(admin_client.get(PAGE).text)["csrf_token"]
    started = time.monotonic()
    response = admin_client.post(_health_url(), data={"csrf_token": token},
                                 headers={"HX-Request": "true"})
    assert time.monotonic() - started < 3
    assert "GAGAL: Layanan tidak dapat dihubungi" in response.text


def test_check_connection_of_an_unknown_connector_is_404(admin_client):
    token = hidden_fields(admin_client.get(PAGE).text)["csrf_token"]
    assert admin_client.post(_health_url("tidak-ada"), data={"csrf_token": token}).status_code == 404


# --- SP4N template codes chosen by the admin ------------------------------------


def _no_templates(app):
    """The files choose nothing: the admin's choice is the only source."""
    for key in ("template_in_process", "template_information", "template_resolved"):
        app.config["CONNECTORS"]["sp4n"].pop(key, None)


def test_admin_picks_template_codes_from_sp4n_and_the_push_uses_them(admin_client, sp4n_sim):  # noqa: F811
    app = admin_client.application
    _no_templates(app)
    assert "belum dipilih" in admin_client.get(PAGE).text
    page = admin_client.get(PAGE + "sp4n/pilihan")
    assert page.status_code == 200
    # The options are SP4N's own /masters/templates.
    assert "TL02 — Laporan telah selesai ditindaklanjuti" in page.text
    fields = hidden_fields(page.text)
    with app.app_context():
        engine.run_pass("sp4n")
        complaint = by_external("sp4n", 48202)
        # Nothing chosen: publishing is refused with the reason, nothing is queued.
        with pytest.raises(workflow.InputMissing, match='template tindak lanjut "selesai"'):
            answer(complaint, app.config["UPLOAD_FOLDER"], "Lampu sudah diganti.")
        assert not OutboxItem.select().where(OutboxItem.kind == "response").exists()

    saved = admin_client.post(PAGE + "sp4n/pilihan", data={
        **fields, "template_in_process": "TL01", "template_information": "TL03",
        "template_resolved": "TL02"})
    assert saved.status_code == 303
    page = admin_client.get(PAGE).text
    assert "TL02" in page
    with app.app_context():
        assert ConnectorChoice.select().count() == 3
        complaints.perform(by_external("sp4n", 48202), "publikasikan", role="operator",
                           actor="Operator", text="Lampu sudah diganti.")
        outcome = outbox.deliver_due()
        assert outcome["dead"] == 0
    posted = {f["content"]: f["_template_code"] for f in sp4n_sim.state()["posted_followups"]
              if f["complaint_id"] == 48202}
    assert posted["Lampu sudah diganti."] == "TL02"


def test_a_code_sp4n_does_not_offer_is_refused(admin_client):
    app = admin_client.application
    _no_templates(app)
    fields = hidden_fields(admin_client.get(PAGE + "sp4n/pilihan").text)
    refused = admin_client.post(PAGE + "sp4n/pilihan", data={**fields,
                                                            "template_resolved": "TL99"})
    assert refused.status_code == 422 and "TL99" in refused.text
    with app.app_context():
        assert ConnectorChoice.select().count() == 0


def test_choices_page_survives_a_dead_sp4n(admin_client, sp4n_sim):  # noqa: F811
    sp4n_sim.fault("status_5xx", status=503, path="/api/v3/masters/templates", count=5)
    page = admin_client.get(PAGE + "sp4n/pilihan")
    assert page.status_code == 200 and "tidak dapat dimuat" in page.text
    assert admin_client.get(PAGE + "rabeg/pilihan").status_code == 404  # nothing to choose


def test_a_connector_without_a_complete_pass_for_n_intervals_shows_stalled(admin_client):
    from datetime import timedelta

    from portal.sync.models import SyncState

    app = admin_client.application
    with app.app_context():
        assert engine.run_pass("sp4n").error == ""
    section = admin_client.get(PAGE).text.split('id="konektor-sp4n"')[1]
    assert "macet sejak" not in section.split("</dd>")[0]
    interval = app.config["CONNECTORS"]["sp4n"]["interval"]
    with app.app_context():
        # A crashed worker's lock, a listing that never reads whole: every
        # tick "runs", none completes.  After three intervals that shows.
        last = SyncState.get(SyncState.connector == "sp4n").last_success_at
        SyncState.update(last_success_at=last - timedelta(seconds=3 * interval + 5)).execute()
    section = admin_client.get(PAGE).text.split('id="konektor-sp4n"')[1]
    state = section.split("</dd>")[0]
    assert "macet sejak" in state and "aktif" not in state
