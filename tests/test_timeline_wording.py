"""The timeline tells what happened, in the past tense ("Diteruskan ke
DPUPR"), not which button a staff member pressed ("Teruskan ke OPD")."""
import io

from portal.complaints import service as complaints, workflow
from portal.complaints.photos import store_photo
from portal.directory.models import Opd
from staff_helpers import advance, login, new_complaint, photo_bytes


def test_every_transition_has_past_tense_wording_unlike_its_button():
    assert set(workflow.PAST_TENSE) == set(workflow.TRANSITIONS)
    for action, transition in workflow.TRANSITIONS.items():
        assert workflow.event_label(action) != str(transition.label), action


def test_citizen_timeline_says_what_happened(app, demo, client):
    with app.app_context():
        photo = store_photo(io.BytesIO(photo_bytes()), app.config["UPLOAD_FOLDER"])
        complaint = advance(new_complaint(), workflow.SELESAI, stored_photo=photo)
    page = client.get(f"/lacak/{complaint.display_code}").get_data(as_text=True)
    timeline = page[page.index('class="timeline"'):]
    for wording in ("Laporan diterima", "Diteruskan ke DPUPR", "Tanggapan dipublikasikan"):
        assert f"<b>{wording}</b>" in timeline, wording
    for button in ("Teruskan ke OPD", "Publikasikan tanggapan"):
        assert button not in timeline
    # Internal steps stay internal: the citizen sees the status, not the note.
    assert "Dilaporkan ke pimpinan" not in timeline

    english = client.get(f"/lacak/{complaint.display_code}?lang=en").get_data(as_text=True)
    assert "<b>Forwarded to DPUPR</b>" in english and "<b>Response published</b>" in english


def test_each_forwarding_names_the_opd_it_went_to(app, demo, client):
    """Returned by one OPD and forwarded to another: both are on the timeline."""
    with app.app_context():
        complaint = new_complaint()
        complaints.perform(complaint, "teruskan", role="admin", actor="Admin",
                           opd=Opd.get(Opd.code == "DISHUB"))
        complaints.perform(complaint, "kembalikan", role="operator", actor="Operator",
                           text="Jalan kota: DPUPR.")
        complaints.perform(complaint, "teruskan", role="admin", actor="Admin",
                           opd=Opd.get(Opd.code == "DPUPR"))
    page = client.get(f"/lacak/{complaint.display_code}").get_data(as_text=True)
    assert page.index("<b>Diteruskan ke DISHUB</b>") < page.index("<b>Diteruskan ke DPUPR</b>")


def test_staff_timeline_uses_the_same_wording(app, demo):
    with app.app_context():
        complaint = advance(new_complaint(), workflow.DILAPORKAN)
    client = app.test_client()
    login(client, "operator.dpupr", demo["operator.dpupr"])
    page = client.get(f"/staf/aduan/{complaint.display_code}").get_data(as_text=True)
    timeline = page[page.index('class="timeline"'):]
    assert "<b>Diteruskan ke DPUPR</b>" in timeline and "<b>Dilaporkan ke pimpinan</b>" in timeline
