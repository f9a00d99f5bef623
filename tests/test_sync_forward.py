"""Forwarding complaints from the web form into SP4N, when enabled."""
import pytest

from portal import complaints
from portal.models import Category, Complaint
from portal.sync import engine, outbox
from portal.sync.models import DONE, ExternalRef, OutboxItem

from connector_env import configure, sp4n_sim  # noqa: F401


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
