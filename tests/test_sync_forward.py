"""Forwarding complaints from the web form into SP4N, when enabled."""
import pytest

from connector_env import configure, sp4n_sim  # noqa: F401
from portal.complaints import service as complaints
from portal.complaints.models import Complaint
from portal.directory.models import Category
from portal.sync import engine, outbox
from portal.sync.models import DONE, ExternalRef, OutboxItem


@pytest.fixture
def forwarding(app, demo, sp4n_sim):  # noqa: F811
    configure(app, sp4n=sp4n_sim)
    app.config["CONNECTORS"]["sp4n"].update(
        forward_local=True, category_ids={"Jalan rusak": 311}, default_category_id=31)
    sp4n_sim.control("POST", "/reset", json={"demo": False})
    with app.app_context():
        yield sp4n_sim


def _submit(title="Jalan amblas di Jl. Sudirman"):
    complaint, _ = complaints.submit({
        "title": title, "body": "Jalan amblas sedalam 30 cm di depan Pasar Lama.",
        "category": Category.get(Category.name == "Jalan rusak"),
        "reporter_name": "Dedi", "reporter_contact": "dedi@example.id, 081377778888"})
    return complaint


def test_web_complaint_is_forwarded_once_and_linked(forwarding):
    complaint = _submit()
    item = OutboxItem.get()
    assert (item.kind, item.connector) == ("forward", "sp4n")
    assert outbox.deliver_due()["done"] == 1
    remote = forwarding.state()["complaints"]
    assert len(remote) == 1 and remote[0]["title"] == complaint.title
    assert remote[0]["category"]["id"] == 311
    assert remote[0]["reporter"]["email"] == "dedi@example.id"
    ref = ExternalRef.get(ExternalRef.channel == "sp4n")
    assert ref.complaint_id == complaint.id and ref.external_id == str(remote[0]["complaint_id"])
    # SP4N lists it back to us: it is the same complaint, not a new one.
    assert engine.run_pass("sp4n").created == 0
    assert Complaint.select().count() == 1


def test_a_lost_answer_does_not_create_it_twice(forwarding):
    _submit()
    forwarding.fault("lost_answer", method="POST", path="/api/v3/complaints/complaint")
    assert outbox.deliver_due()["retry"] == 1
    OutboxItem.update(next_attempt_at=OutboxItem.created_at).execute()
    assert outbox.deliver_due()["done"] == 1
    assert len(forwarding.state()["complaints"]) == 1
    assert OutboxItem.get().state == DONE and ExternalRef.select().count() == 1


def test_nothing_is_forwarded_unless_enabled(app, demo, sp4n_sim):  # noqa: F811
    configure(app, sp4n=sp4n_sim)
    with app.app_context():
        _submit()
        assert OutboxItem.select().count() == 0


def _sim_complaints(sim):
    return sim.state()["complaints"]


def test_a_poll_after_a_lost_answer_links_instead_of_creating(forwarding):
    complaint = _submit()
    forwarding.fault("lost_answer", method="POST", path="/api/v3/complaints/complaint")
    assert outbox.deliver_due()["retry"] == 1
    remote_id = str(_sim_complaints(forwarding)[0]["complaint_id"])
    # The poll comes first and lists our complaint back before the retry.
    run = engine.run_pass("sp4n", push=False)
    assert run.error == "" and run.created == 0
    assert Complaint.select().count() == 1
    ref = ExternalRef.get(ExternalRef.channel == "sp4n")
    assert (ref.complaint_id, ref.external_id) == (complaint.id, remote_id)
    row = OutboxItem.get()
    assert (row.state, row.remote_id) == (DONE, remote_id)
    # Nothing is sent again, whatever comes next.
    OutboxItem.update(next_attempt_at=OutboxItem.created_at).execute()
    engine.run_pass("sp4n")
    state = forwarding.state()
    assert len(state["complaints"]) == 1 and state["applied"].get("complaint_create") == 1
    assert Complaint.select().count() == 1 and ExternalRef.select().count() == 1


def test_poll_and_retry_in_one_pass_keep_one_complaint_each_side(forwarding):
    complaint = _submit()
    forwarding.fault("lost_answer", method="POST", path="/api/v3/complaints/complaint")
    assert outbox.deliver_due()["retry"] == 1
    engine.run_pass("sp4n")
    assert len(_sim_complaints(forwarding)) == 1
    assert Complaint.select().count() == 1
    assert ExternalRef.get(ExternalRef.channel == "sp4n").complaint_id == complaint.id


def test_the_retry_records_the_id_it_finds_on_the_local_complaint(forwarding):
    complaint = _submit()
    forwarding.fault("lost_answer", method="POST", path="/api/v3/complaints/complaint")
    assert outbox.deliver_due()["retry"] == 1
    OutboxItem.update(next_attempt_at=OutboxItem.created_at).execute()
    assert outbox.deliver_due()["done"] == 1
    remote = _sim_complaints(forwarding)
    assert len(remote) == 1
    ref = ExternalRef.get(ExternalRef.channel == "sp4n")
    assert (ref.complaint_id, ref.external_id) == (complaint.id, str(remote[0]["complaint_id"]))
    assert engine.run_pass("sp4n").created == 0 and Complaint.select().count() == 1


def test_a_dead_forward_sent_again_still_looks_first(forwarding, app):
    app.config["SYNC_MAX_ATTEMPTS"] = 1
    _submit()
    forwarding.fault("lost_answer", method="POST", path="/api/v3/complaints/complaint")
    assert outbox.deliver_due()["dead"] == 1
    assert outbox.retry_dead(OutboxItem.get().id)
    assert outbox.deliver_due()["done"] == 1
    assert len(_sim_complaints(forwarding)) == 1


def test_an_identical_remote_complaint_before_any_attempt_is_not_ours(forwarding):
    # A citizen also typed the same text into SP4N; our forward has not run yet.
    _submit()
    forwarding.control("POST", "/reports", json={
        "title": "Jalan amblas di Jl. Sudirman",
        "content": "Jalan amblas sedalam 30 cm di depan Pasar Lama."})
    assert engine.run_pass("sp4n", push=False).created == 1
    assert Complaint.select().count() == 2
    assert OutboxItem.get().attempted_at is None
