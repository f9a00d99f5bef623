"""Every transition × every staff actor, through the real HTTP endpoints.

Allowed ones succeed; every other one answers 409, 403 or 404 and changes
nothing (status, OPD, rating, timeline, dispositions, stored photos).
"""
import io
import os
from datetime import date

import pytest

from portal.complaints import service as complaints, workflow
from portal.complaints.photos import store_photo
from portal.directory.models import Bidang, Opd
from staff_helpers import advance, csrf, login, new_complaint, photo_bytes, snapshot, user

# Who tries: the DPUPR chain, a city admin and auditor, and an operator of
# another OPD (for whom a DPUPR complaint does not exist: 404).
ACTORS = ["admin", "auditor", "operator.dpupr", "pimpinan.dpupr", "kabid.binamarga",
          "operator.dishub", "kabid.lalin"]
ALLOWED = {
    "teruskan": "admin", "tunda": "admin", "tolak": "admin", "arsipkan": "admin",
    "kembalikan": "operator.dpupr", "laporkan": "operator.dpupr",
    "disposisi": "pimpinan.dpupr", "jawab": "pimpinan.dpupr",
    "tindak_lanjut": "kabid.binamarga", "tunggu_anggaran": "kabid.binamarga",
    "publikasikan": "operator.dpupr", "tutup": {"admin", "operator.dpupr", "pimpinan.dpupr"},
    "tambah_info": set(), "belum_selesai": set(),  # the reporter's, on /lacak
    # A complaint taken in from a channel: the sync engine's only.
    "terima_kanal": set(), "tolak_kanal": set(), "arsipkan_kanal": set(),
    "selesai_kanal": set(), "tutup_kanal": set(),
}
# A state each action can start from, and one it cannot.
FROM = {
    "teruskan": workflow.BARU, "tunda": workflow.BARU, "tolak": workflow.TUNDA,
    "arsipkan": workflow.BARU, "kembalikan": workflow.DILAPORKAN,
    "laporkan": workflow.DITERUSKAN, "disposisi": workflow.DILAPORKAN,
    "jawab": workflow.DILAPORKAN, "tindak_lanjut": workflow.MENUNGGU_ANGGARAN,
    "tunggu_anggaran": workflow.DIDISPOSISI, "publikasikan": workflow.DITINDAKLANJUTI,
    "tutup": workflow.SELESAI, "tambah_info": workflow.TUNDA, "belum_selesai": workflow.SELESAI,
    "terima_kanal": workflow.BARU, "tolak_kanal": workflow.BARU, "arsipkan_kanal": workflow.BARU,
    "selesai_kanal": workflow.DITERUSKAN, "tutup_kanal": workflow.BARU,
}
WRONG_STATE = {
    "teruskan": workflow.DITERUSKAN, "tunda": workflow.TUNDA, "tolak": workflow.DILAPORKAN,
    "arsipkan": workflow.SELESAI, "kembalikan": workflow.DIDISPOSISI,
    "laporkan": workflow.DILAPORKAN, "disposisi": workflow.DITERUSKAN, "jawab": workflow.DIDISPOSISI,
    "tindak_lanjut": workflow.DILAPORKAN, "tunggu_anggaran": workflow.MENUNGGU_ANGGARAN,
    "publikasikan": workflow.DIDISPOSISI, "tutup": workflow.DITINDAKLANJUTI,
}


def test_table_covers_every_transition():
    assert set(ALLOWED) == set(workflow.TRANSITIONS) == set(FROM)
    assert set(WRONG_STATE) == {a for a, t in workflow.TRANSITIONS.items()
                                if t.roles & set(workflow.STAFF_ROLES)}


def _prepare(status, app):
    """A DPUPR complaint brought to `status` through the real workflow."""
    complaint = new_complaint()
    photo = store_photo(io.BytesIO(photo_bytes()), app.config["UPLOAD_FOLDER"])
    admin = user("admin")
    if status == workflow.TUNDA:
        complaints.perform(complaint, "tunda", role="admin", actor="admin", actor_user=admin,
                           text="Mohon lokasi persisnya.")
        return complaint
    if status == workflow.MENUNGGU_ANGGARAN:
        advance(complaint, workflow.DIDISPOSISI)
        kabid = user("kabid.binamarga")
        complaints.perform(complaint, "tunggu_anggaran", role="kabid", actor="kabid",
                           actor_user=kabid, text="Perlu anggaran.",
                           budget_year=date.today().year + 1)
        return complaint
    return advance(complaint, status, stored_photo=photo)


def _payload(action):
    data = {"teks": f"keterangan untuk {action}"}
    if action == "teruskan":
        data["opd"] = str(Opd.get(Opd.code == "DPUPR").id)
    if action == "tolak":
        data["alasan"] = "spam"
    if action == "disposisi":
        data["bidang"] = str(Bidang.get(Bidang.name == "Bidang Bina Marga").id)
    if action == "tunggu_anggaran":
        data["tahun"] = str(date.today().year + 1)
    if workflow.resolves(action) and action != "publikasikan":
        # Resolving a pengaduan, the pimpinan's direct answer included, needs
        # a photo (tests/test_photo_rule.py refuses the same without one).
        data["foto"] = (io.BytesIO(photo_bytes()), "bukti.png")
    return data


def _uploads(app):
    folder = app.config["UPLOAD_FOLDER"]
    return len(os.listdir(folder)) if os.path.isdir(folder) else 0


@pytest.fixture
def clients(app, demo):
    logged_in = {}
    for username in ACTORS:
        client = app.test_client()
        login(client, username, demo[username])
        logged_in[username] = (client, csrf(client))
    return logged_in


def test_every_transition_for_every_actor(app, clients):
    for action in workflow.TRANSITIONS:
        allowed = ALLOWED[action] if isinstance(ALLOWED[action], set) else {ALLOWED[action]}
        for username in ACTORS:
            with app.app_context():
                complaint = _prepare(FROM[action], app)
                before, files = snapshot(complaint), _uploads(app)
            client, token = clients[username]
            response = client.post(f"/staf/aduan/{complaint.display_code}/aksi/{action}",
                                   data={**_payload(action), "csrf_token": token},
                                   content_type="multipart/form-data")
            case = f"{action} by {username}: {response.status_code}"
            with app.app_context():
                if username in allowed:
                    assert response.status_code == 303, case
                    assert snapshot(complaint)[0] == workflow.TRANSITIONS[action].target, case
                else:
                    # Outside the actor's OPD the complaint does not exist for them.
                    visible = workflow.may_see(user(username), complaint.opd_id)
                    expected = {403, 409} if visible else {404}
                    assert response.status_code in expected, case
                    assert snapshot(complaint) == before, case
                    assert _uploads(app) == files, case


def test_allowed_role_in_wrong_state_is_refused(app, clients):
    for action, status in WRONG_STATE.items():
        username = sorted(ALLOWED[action])[0] if isinstance(ALLOWED[action], set) else ALLOWED[action]
        with app.app_context():
            complaint = _prepare(status, app)
            before = snapshot(complaint)
        client, token = clients[username]
        response = client.post(f"/staf/aduan/{complaint.display_code}/aksi/{action}",
                               data={**_payload(action), "csrf_token": token},
                               content_type="multipart/form-data")
        assert response.status_code == 409, f"{action} from {status}"
        assert "tidak dapat dilakukan pada status sekarang" in response.get_data(as_text=True)
        with app.app_context():
            assert snapshot(complaint) == before, action


def test_every_task_status_is_one_the_role_can_move_on():
    for role, statuses in workflow.TASK_STATUSES.items():
        for status in statuses:
            assert workflow.allowed_actions(status, role), (role, status)
