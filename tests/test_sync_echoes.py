"""No echoes (issue 10.3): what the remote lists because we sent it is not a
remote change; remote status changes apply only forward in the workflow or
as the reporter's real reopening; anything else is a conflict for staff."""

import pytest

from connector_env import by_external, configure, rabeg_sim  # noqa: F401
from connector_flow import answer
from portal.clock import utcnow
from portal.complaints.models import Complaint, TimelineEvent
from portal.notifications.service import Notification
from portal.sync import engine, outbox
from portal.sync.intake import CONFLICT_KIND, REMOTE_STATUS_KIND
from portal.sync.models import DONE, PENDING, OutboxItem


@pytest.fixture
def rabeg(app, demo, rabeg_sim):  # noqa: F811
    configure(app, rabeg=rabeg_sim)
    with app.app_context():
        yield rabeg_sim


def _new_report(sim):
    return sim.control("POST", "/reports", json={
        "judul": "Lampu PJU mati di Jl. Veteran", "isi": "Sudah seminggu lampu jalan mati.",
        "opd_tujuan": "DISHUB", "pelapor": {"nama": "Budi", "telepon": "081300000001"}})


def _remote_status(sim, report_id):
    return next(r for r in sim.state()["reports"] if r["id"] == report_id)["status"]


def _kinds(complaint):
    return [e.kind for e in TimelineEvent.select().where(TimelineEvent.complaint == complaint.id)]


def _deliver(row_id):
    assert outbox.claim(row_id, utcnow())
    return outbox.deliver(OutboxItem.get_by_id(row_id))


def test_a_late_in_process_push_does_not_reopen_the_published_complaint(rabeg, app):
    report = _new_report(rabeg)
    assert engine.run_pass("rabeg").error == ""
    complaint = by_external("rabeg", report["id"])
    # Rabeg is down while the complaint is walked to "publikasikan".
    rabeg.fault("status_5xx", status=503, count=50, path="/api/v1/reports/")
    complaint = answer(complaint, app.config["UPLOAD_FOLDER"], "Lampu sudah diganti.")
    assert complaint.status == "selesai"
    outbox.deliver_due()
    rows = list(OutboxItem.select().where(OutboxItem.complaint == complaint.id)
                .order_by(OutboxItem.id))
    assert rows and all(r.state == PENDING for r in rows)
    rabeg.control("DELETE", "/faults")
    # Only the old "dalam_proses" push lands before the next pull.
    first = rows[0]
    assert first.data["status"] == "diteruskan"
    assert _deliver(first.id) == "done"
    assert _remote_status(rabeg, report["id"]) == "dalam_proses"
    notices = Notification.select().where(Notification.complaint == complaint.id).count()

    run = engine.run_pass("rabeg", push=False)

    assert run.error == ""
    complaint = Complaint.get_by_id(complaint.id)
    assert complaint.status == "selesai"
    kinds = _kinds(complaint)
    assert "belum_selesai" not in kinds and CONFLICT_KIND not in kinds
    assert Notification.select().where(Notification.complaint == complaint.id).count() == notices
    # The rest is delivered; Rabeg and the portal agree for good.
    for _ in range(len(rows)):
        outbox.deliver_due()
    assert OutboxItem.select().where(OutboxItem.state != DONE).count() == 0
    assert _remote_status(rabeg, report["id"]) == "selesai"
    engine.run_pass("rabeg")
    assert Complaint.get_by_id(complaint.id).status == "selesai"
    assert CONFLICT_KIND not in _kinds(complaint)


def test_a_remote_step_back_nobody_here_caused_is_a_conflict_not_a_reopening(rabeg, app):
    report = _new_report(rabeg)
    engine.run_pass("rabeg")
    complaint = answer(by_external("rabeg", report["id"]), app.config["UPLOAD_FOLDER"],
                       "Lampu sudah diganti.")
    for _ in range(5):
        outbox.deliver_due()
    assert _remote_status(rabeg, report["id"]) == "selesai"
    # An operator on Rabeg's side puts it back to "menunggu", without the reporter.
    rabeg.control("POST", f"/reports/{report['id']}/status", json={"status": "menunggu"})
    notices = Notification.select().where(Notification.complaint == complaint.id).count()
    engine.run_pass("rabeg")
    complaint = Complaint.get_by_id(complaint.id)
    assert complaint.status == "selesai"
    assert _kinds(complaint).count(CONFLICT_KIND) == 1
    assert Notification.select().where(Notification.complaint == complaint.id).count() == notices
    engine.run_pass("rabeg")  # the same remote state is not a second conflict
    assert _kinds(complaint).count(CONFLICT_KIND) == 1


def test_the_reporter_reopening_on_the_channel_is_applied(rabeg, app):
    report = _new_report(rabeg)
    engine.run_pass("rabeg")
    complaint = answer(by_external("rabeg", report["id"]), app.config["UPLOAD_FOLDER"],
                       "Lampu sudah diganti.")
    for _ in range(5):
        outbox.deliver_due()
    rabeg.control("POST", f"/reports/{report['id']}/reply", json={"isi": "Masih mati, belum selesai."})
    rabeg.control("POST", f"/reports/{report['id']}/status", json={"status": "dalam_proses"})
    engine.run_pass("rabeg")
    complaint = Complaint.get_by_id(complaint.id)
    assert complaint.status == "diteruskan"
    assert "belum_selesai" in _kinds(complaint) and CONFLICT_KIND not in _kinds(complaint)


def test_a_forward_move_on_the_channel_is_shown_not_a_conflict(rabeg, app):
    report = _new_report(rabeg)
    engine.run_pass("rabeg")
    complaint = by_external("rabeg", report["id"])
    assert complaint.status == "baru"
    rabeg.control("POST", f"/reports/{report['id']}/status", json={"status": "dalam_proses"})
    engine.run_pass("rabeg")
    complaint = Complaint.get_by_id(complaint.id)
    # Routing to an OPD is the admin's step: the channel's move is shown to them.
    assert complaint.status == "baru"
    assert REMOTE_STATUS_KIND in _kinds(complaint) and CONFLICT_KIND not in _kinds(complaint)
