"""The photo rule has no side door: every path that resolves a pengaduan
(ditindaklanjuti, selesai) carries a photo of the follow-up, the pimpinan's
direct answer included, while a request for information or an aspiration
may be answered in words.  Each path that can reach those statuses is tried:
the staff forms over HTTP, `perform` itself (what the CLI, tasks and plugins
call), a connector's intake by the sync engine and by `flask sync`, and the
code itself (nothing else writes a complaint's status)."""
import ast
import io
import json
from pathlib import Path

import pytest

from connector_env import WEBHOOK_SECRET, by_external, configure, rabeg_sim  # noqa: F401
from connectors.rabeg.client import sign_webhook
from portal.accounts.models import User
from portal.complaints import service as complaints, workflow
from portal.complaints.models import Attachment, Complaint, TimelineEvent
from portal.complaints.photos import store_photo
from portal.sync import engine
from portal.sync.intake import REMOTE_STATUS_KIND
from portal.sync.models import ExternalRef
from staff_helpers import advance, csrf, login, new_complaint, photo_bytes, snapshot
from sync_fakes import install_fake

ROOT = Path(__file__).resolve().parent.parent
PHOTO_MESSAGE = "wajib disertai minimal satu foto"


def _to_dilaporkan(classification):
    complaint = new_complaint(classification=classification)
    return advance(complaint, workflow.DILAPORKAN)


def _to_didisposisi(classification):
    return advance(new_complaint(classification=classification), workflow.DIDISPOSISI)


def _post(client, token, complaint, action, text="Sudah ditangani.", photo=False):
    data = {"teks": text, "csrf_token": token}
    if photo:
        data["foto"] = (io.BytesIO(photo_bytes()), "bukti.png")
    return client.post(f"/staf/aduan/{complaint.display_code}/aksi/{action}", data=data,
                       content_type="multipart/form-data")


@pytest.fixture
def staff(app, demo):
    def logged_in(username):
        client = app.test_client()
        login(client, username, demo[username])
        return client, csrf(client)
    return logged_in


@pytest.mark.parametrize("action,start,username", [
    ("jawab", _to_dilaporkan, "pimpinan.dpupr"),
    ("tindak_lanjut", _to_didisposisi, "kabid.binamarga"),
])
def test_a_pengaduan_follow_up_without_photo_is_refused_with_the_reason(app, staff, action,
                                                                          start, username):
    client, token = staff(username)
    with app.app_context():
        complaint = start("pengaduan")
    page = client.get(f"/staf/aduan/{complaint.display_code}").get_data(as_text=True)
    with app.app_context():
        before = snapshot(complaint)
    # The form shows the photo field as required, and why.
    assert f'id="{action}-foto"' in page and "Wajib untuk pengaduan" in page
    refused = _post(client, token, complaint, action)
    assert refused.status_code == 422
    assert PHOTO_MESSAGE in refused.get_data(as_text=True)
    with app.app_context():
        assert snapshot(complaint) == before
    done = _post(client, token, complaint, action, photo=True)
    assert done.status_code == 303
    with app.app_context():
        assert Complaint.get_by_id(complaint.id).status == workflow.DITINDAKLANJUTI
        assert Attachment.select().where(Attachment.complaint == complaint.id).count() == 1


@pytest.mark.parametrize("classification", ["informasi", "aspirasi"])
@pytest.mark.parametrize("action,start,username", [
    ("jawab", _to_dilaporkan, "pimpinan.dpupr"),
    ("tindak_lanjut", _to_didisposisi, "kabid.binamarga"),
])
def test_information_and_aspirations_may_be_answered_in_words(app, staff, classification, action,
                                                              start, username):
    client, token = staff(username)
    with app.app_context():
        complaint = start(classification)
    page = client.get(f"/staf/aduan/{complaint.display_code}").get_data(as_text=True)
    assert "Tidak wajib untuk permintaan informasi dan aspirasi" in page
    assert _post(client, token, complaint, action).status_code == 303
    operator, op_token = staff("operator.dpupr")
    assert _post(operator, op_token, complaint, "publikasikan").status_code == 303
    with app.app_context():
        assert Complaint.get_by_id(complaint.id).status == workflow.SELESAI


def test_perform_itself_refuses_an_undocumented_answer_whoever_calls_it(app, demo):
    """The CLI, tasks and plugins call `perform` without any form."""
    with app.app_context():
        complaint = _to_dilaporkan("pengaduan")
        with pytest.raises(workflow.InputMissing, match=PHOTO_MESSAGE):
            complaints.perform(complaint, "jawab", role=workflow.PIMPINAN, actor="Pimpinan",
                               text="Sudah diperbaiki.")
        assert Complaint.get_by_id(complaint.id).status == workflow.DILAPORKAN
        photo = store_photo(io.BytesIO(photo_bytes()), app.config["UPLOAD_FOLDER"])
        complaints.perform(complaint, "jawab", role=workflow.PIMPINAN, actor="Pimpinan",
                           text="Sudah diperbaiki.", photos=[photo])
        assert complaint.status == workflow.DITINDAKLANJUTI


def test_publishing_an_undocumented_follow_up_needs_the_photo_first(app, staff):
    """A pengaduan recorded as followed up without a photo (classified as a
    request for information then, or from before the rule) is not published
    until the operator attaches one; the photo then shows on the response."""
    with app.app_context():
        complaint = _to_dilaporkan("informasi")
        complaints.perform(complaint, "jawab", role=workflow.PIMPINAN, actor="Pimpinan",
                           text="Lampu sudah diganti.")
        Complaint.update(classification="pengaduan").where(Complaint.id == complaint.id).execute()
    client, token = staff("operator.dpupr")
    page = client.get(f"/staf/aduan/{complaint.display_code}").get_data(as_text=True)
    assert 'id="publikasikan-foto"' in page and "belum memiliki foto dokumentasi" in page
    refused = _post(client, token, complaint, "publikasikan")
    assert refused.status_code == 422
    assert "belum memiliki foto dokumentasi" in refused.get_data(as_text=True)
    with app.app_context():
        assert Complaint.get_by_id(complaint.id).status == workflow.DITINDAKLANJUTI
    assert _post(client, token, complaint, "publikasikan", photo=True).status_code == 303
    tracking = client.get(f"/lacak/{complaint.display_code}").get_data(as_text=True)
    response = tracking[tracking.index('class="response"'):tracking.index('class="timeline"')]
    assert response.count("<img ") == 1  # the photo the operator attached


def test_a_documented_follow_up_is_published_without_asking_again(app, staff):
    with app.app_context():
        photo = store_photo(io.BytesIO(photo_bytes()), app.config["UPLOAD_FOLDER"])
        complaint = advance(new_complaint(), workflow.DITINDAKLANJUTI, stored_photo=photo)
    client, token = staff("operator.dpupr")
    page = client.get(f"/staf/aduan/{complaint.display_code}").get_data(as_text=True)
    assert 'id="publikasikan-foto"' not in page
    assert _post(client, token, complaint, "publikasikan").status_code == 303


# --- connectors' intake -------------------------------------------------------

@pytest.fixture
def fake(app, demo):
    with app.app_context():
        yield install_fake(app)


def _taken_in(external_id):
    ref = ExternalRef.get(ExternalRef.channel == "fake", ExternalRef.external_id == external_id)
    complaint = Complaint.get_by_id(ref.complaint_id)
    return complaint, [e.kind for e in complaint.events.order_by(TimelineEvent.id)]


def test_intake_cannot_resolve_a_pengaduan_without_a_follow_up_photo(fake):
    fake.put("P1", status="selesai", remote_status="Selesai", opd_code="DPUPR",
             photos=[])
    fake.put("I1", status="selesai", remote_status="Selesai", opd_code="DPUPR",
             classification="informasi")
    run = engine.run_pass("fake")
    assert run.created == 2 and run.error == ""
    complaint, kinds = _taken_in("P1")
    # In the OPD's queue, where a follow-up with its photo can be recorded.
    assert complaint.status == workflow.DITERUSKAN and complaint.opd.code == "DPUPR"
    assert kinds == ["dibuat", "terima_kanal", REMOTE_STATUS_KIND]
    note = complaint.events.where(TimelineEvent.kind == REMOTE_STATUS_KIND).get().text
    assert "Selesai" in note and "belum memiliki foto dokumentasi" in note
    answered, kinds = _taken_in("I1")
    assert answered.status == workflow.SELESAI
    assert kinds == ["dibuat", "terima_kanal", "selesai_kanal"]


def test_intake_reaches_every_status_by_named_system_transitions(fake):
    fake.put("Q", status="diteruskan", opd_code="DISHUB")
    fake.put("T", status="ditolak")
    fake.put("A", status="diarsipkan")
    fake.put("C", status="ditutup")
    fake.put("D", status="didisposisi", opd_code="DPUPR")  # an OPD's internal step
    fake.put("N", status="diteruskan")  # no OPD known: the admin routes it
    engine.run_pass("fake")
    expected = {
        "Q": (workflow.DITERUSKAN, ["dibuat", "terima_kanal"]),
        "T": (workflow.DITOLAK, ["dibuat", "tolak_kanal"]),
        "A": (workflow.DIARSIPKAN, ["dibuat", "arsipkan_kanal"]),
        "C": (workflow.DITUTUP, ["dibuat", "tutup_kanal"]),
        "D": (workflow.DITERUSKAN, ["dibuat", "terima_kanal", REMOTE_STATUS_KIND]),
        "N": (workflow.BARU, ["dibuat", REMOTE_STATUS_KIND]),
    }
    for external_id, (status, kinds) in expected.items():
        complaint, seen = _taken_in(external_id)
        assert (complaint.status, seen) == (status, kinds), external_id
        # Every status change is on the timeline with the status it left behind.
        moves = [e for e in complaint.events if e.status_after]
        assert moves[-1].status_after == status, external_id
        # The local version is the remote one: a later remote change is newer.
        assert complaint.updated_at == fake.remote[external_id].updated_at
    for action in workflow.INTAKE_ACTIONS:
        assert workflow.TRANSITIONS[action].roles == {workflow.SYSTEM}


def test_flask_sync_takes_in_through_the_same_rule(app, fake):
    fake.put("P1", status="selesai", opd_code="DPUPR")
    result = app.test_cli_runner().invoke(args=["sync", "fake"])
    assert result.exit_code == 0, result.output
    complaint, kinds = _taken_in("P1")
    assert complaint.status == workflow.DITERUSKAN and REMOTE_STATUS_KIND in kinds


def test_a_webhook_takes_a_resolved_report_in_through_the_same_rule(app, demo, client,
                                                                     rabeg_sim):
    """Rabeg pushes a report it marked 'selesai' without any follow-up of ours."""
    configure(app, rabeg=rabeg_sim)
    new = rabeg_sim.control("POST", "/reports", json={
        "judul": "Sampah menumpuk di pasar", "isi": "Sampah tidak diangkut tiga hari.",
        "opd_tujuan": "DLH", "status": "selesai"})
    body = json.dumps({"event": "report.created", "id": new["id"]}).encode()
    response = client.post("/hooks/rabeg", data=body, headers={
        "Content-Type": "application/json",
        "X-Rabeg-Signature": sign_webhook(WEBHOOK_SECRET, body)})
    assert response.status_code == 204
    with app.app_context():
        complaint = by_external("rabeg", new["id"])
        assert complaint.status == workflow.DITERUSKAN and complaint.opd.code == "DLH"
        kinds = [e.kind for e in complaint.events.order_by(TimelineEvent.id)]
        assert kinds == ["dibuat", "terima_kanal", REMOTE_STATUS_KIND]


def test_a_complaint_cannot_be_created_further_along(app, demo):
    with app.app_context():
        with pytest.raises(ValueError):
            new_complaint(status=workflow.SELESAI)
        assert Complaint.select().count() == 0


# --- nothing else writes a status ---------------------------------------------

STATE_MACHINE = ROOT / "portal" / "complaints" / "service.py"


def _status_writes(path: Path):
    """`Complaint.update/create/insert(status=...)` and `<x>.status = ...` on a
    complaint, outside the one function that is allowed to."""
    tree = ast.parse(path.read_text(), str(path))
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"update", "create", "insert", "insert_many", "replace",
                                       "get_or_create"}
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "Complaint"
                and any(k.arg == "status" for k in node.keywords)):
            yield node.lineno
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (isinstance(target, ast.Attribute) and target.attr == "status"
                        and isinstance(target.value, ast.Name)
                        and "complaint" in target.value.id.lower()):
                    yield node.lineno


def test_no_code_but_perform_writes_a_complaint_status():
    """Admin edits, the CLI, tasks, connectors and plugins have no side door."""
    sources = [p for d in ("portal", "connectors", "simulators", "examples")
               for p in (ROOT / d).rglob("*.py") if "migrations" not in p.parts]
    assert STATE_MACHINE in sources
    found = {f"{p.relative_to(ROOT)}:{line}" for p in sources for line in _status_writes(p)}
    service_lines = {f for f in found if f.startswith("portal/complaints/service.py")}
    assert found == service_lines, sorted(found - service_lines)
    # And in service.py only `perform` does, the one state machine.
    tree = ast.parse(STATE_MACHINE.read_text())
    perform = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "perform")
    inside = set(range(perform.lineno, perform.end_lineno + 1))
    assert {int(f.rsplit(":", 1)[1]) for f in service_lines} <= inside


def test_the_guard_sees_a_direct_write(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("Complaint.update(status='selesai').execute()\n"
                      "complaint.status = 'selesai'\n")
    assert sorted(_status_writes(sneaky)) == [1, 2]



def test_no_admin_form_moves_a_complaint(app, demo, staff):
    """Every admin POST route, sent a status and the complaint's code, leaves
    an unanswered pengaduan where it was."""
    with app.app_context():
        complaint = _to_dilaporkan("pengaduan")
        rules = [r for r in app.url_map.iter_rules()
                 if "POST" in r.methods and r.rule.startswith("/staf/admin/")]
    client, token = staff("admin")
    with app.app_context():  # someone else's account: the admin stays logged in
        other = User.get(User.username == "kabid.lalin").id
    samples = {"kode": complaint.display_code, "what": "opd", "name": "sp4n", "user_id": other}
    tried = 0
    for rule in rules:
        values = {a: samples.get(a, 1) for a in rule.arguments}
        with app.test_request_context():
            from flask import url_for

            path = url_for(rule.endpoint, **values)
        response = client.post(path, data={"csrf_token": token, "status": workflow.SELESAI,
                                           "kode": complaint.display_code,
                                           "teks": "Sudah selesai."})
        assert response.status_code < 500, f"POST {path}: {response.status_code}"
        assert "/staf/masuk" not in response.headers.get("Location", ""), path
        tried += 1
        with app.app_context():
            assert Complaint.get_by_id(complaint.id).status == workflow.DILAPORKAN, path
    assert tried >= 20
