"""Changing one complaint's severity: an internal event, a new due date, the same status."""
from datetime import timedelta

import pytest

from deadline_helpers import at, forward, new_complaint, user
from portal import clock
from portal.complaints import severity_changes, workflow
from portal.complaints.models import Complaint, TimelineEvent
from staff_helpers import csrf, login

FORWARDED = "2026-03-02 10:00"  # a Monday
UTC = timedelta(hours=7)


def _forwarded(app):
    with app.test_request_context():
        complaint = forward(new_complaint("2026-03-02 09:00"), FORWARDED, "DISHUB")
        # The general first-response rule: 5 working days, end of Monday 9 March WIB.
        assert complaint.due_at == at("2026-03-09 23:59:59").replace(tzinfo=None) - UTC
        return complaint


def test_light_severity_moves_the_due_date_to_24_hours_and_keeps_the_status(app, demo):
    complaint = _forwarded(app)
    with app.test_request_context():
        with clock.freeze(at("2026-03-02 15:00")):
            event = severity_changes.change(complaint, user("operator.dishub"), "ringan")
        fresh = Complaint.get_by_id(complaint.id)
        assert (fresh.severity, fresh.status) == ("ringan", workflow.DITERUSKAN)
        # The clock still runs from forwarding, under the 24-hour rule for ringan.
        assert fresh.due_at == at(FORWARDED).replace(tzinfo=None) - UTC + timedelta(hours=24)
        assert (event.kind, event.public, event.status_after) == ("tingkat", False, None)
        assert "Ringan" in event.text
        with clock.freeze(at("2026-03-02 16:00")):
            severity_changes.change(fresh, user("admin"), "berat")
        assert Complaint.get_by_id(complaint.id).due_at == at("2026-03-09 23:59:59").replace(
            tzinfo=None) - UTC
        assert severity_changes.change(fresh, user("admin"), "berat") is None


def test_who_may_change_it(app, demo):
    complaint = _forwarded(app)
    with app.test_request_context():
        for username in ("operator.dpupr", "pimpinan.dishub", "kabid.lalin", "auditor"):
            with pytest.raises(workflow.TransitionRefused):
                severity_changes.change(complaint, user(username), "berat")
        with pytest.raises(workflow.InputMissing):
            severity_changes.change(complaint, user("admin"), "parah")
        assert Complaint.get_by_id(complaint.id).severity == ""
        assert not TimelineEvent.select().where(TimelineEvent.kind == "tingkat").exists()


def test_the_detail_page_form(app, demo, client):
    complaint = _forwarded(app)
    path = f"/staf/aduan/{complaint.display_code}"
    login(client, "pimpinan.dishub", demo["pimpinan.dishub"])
    assert 'name="tingkat"' not in client.get(path).get_data(as_text=True)
    login(client, "operator.dishub", demo["operator.dishub"])
    token = csrf(client, path)
    bad = client.post(f"{path}/tingkat", data={"tingkat": "parah", "csrf_token": token})
    assert bad.status_code == 422 and "Pilih tingkat" in bad.get_data(as_text=True)
    done = client.post(f"{path}/tingkat", data={"tingkat": "ringan", "csrf_token": token},
                       headers={"HX-Request": "true"})
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "Tingkat diubah menjadi Ringan" in html
    assert '<option value="ringan" selected>' in html and "Tingkat diubah</b>" in html
    login(client, "pimpinan.dishub", demo["pimpinan.dishub"])
    token = csrf(client, path)
    assert client.post(f"{path}/tingkat", data={"tingkat": "berat", "csrf_token": token}
                       ).status_code == 403
    with app.app_context():
        assert Complaint.get_by_id(complaint.id).severity == "ringan"
