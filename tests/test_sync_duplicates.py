"""Cross-channel duplicates: flagged on arrival, merged by the admin, and the
merged complaint's changes pushed to every channel it came from."""
import pytest

from connector_env import by_external, configure, rabeg_sim, sp4n_sim  # noqa: F401
from connector_flow import forward
from portal.complaints import service as complaints
from portal.complaints.models import Complaint
from portal.sync import duplicates, engine, outbox
from portal.sync.models import MERGED, OPEN, DuplicateFlag, DuplicateMember, ExternalRef, OutboxItem

PHONE = "0857 1234 9876"
TEXT = ("Lampu lalu lintas di simpang Ciceri mati total sejak kemarin sore, "
        "kendaraan saling serobot dan hampir terjadi tabrakan.")


@pytest.fixture
def both(app, demo, sp4n_sim, rabeg_sim):  # noqa: F811
    configure(app, sp4n=sp4n_sim, rabeg=rabeg_sim)
    sp4n_sim.control("POST", "/reset", json={"demo": False})
    rabeg_sim.control("POST", "/reset", json={"demo": False})
    with app.app_context():
        yield sp4n_sim, rabeg_sim


def test_contacts_are_normalised():
    assert duplicates.contacts("+62 857-1234-9876, Budi@Example.id") == {
        "085712349876", "budi@example.id"}
    assert duplicates.contacts("") == set()


def test_same_matter_through_three_channels_is_flagged_merged_and_answered_everywhere(both):
    sp4n, rabeg = both
    s = sp4n.control("POST", "/reports", json={
        "title": "Lampu lalu lintas Ciceri mati", "content": TEXT, "category_id": 322,
        "reporter": {"name": "Rina", "phone": PHONE.replace(" ", ""), "email": None}})
    r = rabeg.control("POST", "/reports", json={
        "judul": "Traffic light Ciceri mati", "isi": "Lampu merah simpang Ciceri mati, rawan.",
        "opd_tujuan": "DISHUB", "pelapor": {"nama": "Rina", "email": None, "telepon": "+62" + PHONE[1:]}})
    web, _ = complaints.submit({"title": "Lampu lalu lintas Ciceri mati", "body": TEXT,
                                "reporter_contact": "rina@example.id"})
    assert engine.run_pass("sp4n").created == 1 and engine.run_pass("rabeg").created == 1
    from_sp4n, from_rabeg = by_external("sp4n", s["complaint_id"]), by_external("rabeg", r["id"])

    # One group: SP4N's report joined the web one by its text, Rabeg's joined
    # that group by the reporter's phone number (written two ways).
    flag = DuplicateFlag.get()
    assert (flag.complaint_id, flag.other_id, flag.reason) == (
        from_sp4n.id, web.id, "Isi laporan sangat mirip")
    assert {(m.complaint_id, m.reason) for m in DuplicateMember.select()} == {
        (web.id, ""), (from_sp4n.id, "Isi laporan sangat mirip"),
        (from_rabeg.id, "Kontak pelapor sama")}

    admin = _admin()
    keep = duplicates.merge(flag, from_sp4n.id, admin)
    assert Complaint.get_by_id(from_rabeg.id).status == "diarsipkan"
    assert Complaint.get_by_id(web.id).status == "diarsipkan"
    assert {(r.channel) for r in ExternalRef.select().where(ExternalRef.complaint == keep.id)} == {
        "sp4n", "rabeg"}
    assert DuplicateFlag.get_by_id(flag.id).state == MERGED
    # A re-fetch of the Rabeg report finds the kept complaint, never a new one.
    assert engine.run_pass("rabeg").created == 0

    forward(keep, "DISHUB")
    outbox.deliver_due()
    assert OutboxItem.select().where(OutboxItem.state != "done").count() == 0
    assert any("sedang ditangani" in f["content"] for f in sp4n.state()["posted_followups"])
    assert any(t["report_id"] == r["id"] for t in rabeg.state()["tanggapan"])


def test_a_complaint_already_in_an_opd_queue_cannot_be_absorbed(both):
    first, _ = complaints.submit({"title": "Sampah menumpuk di Pasar Rau", "body": TEXT,
                                  "reporter_contact": PHONE})
    second, _ = complaints.submit({"title": "Pasar Rau kotor", "body": "Sampah.",
                                   "reporter_contact": PHONE})
    flag = DuplicateFlag.get(complaint=second.id, other=first.id)
    forward(first)
    with pytest.raises(duplicates.MergeRefused):
        duplicates.merge(flag, second.id, _admin())
    assert DuplicateFlag.get_by_id(flag.id).state == OPEN
    duplicates.merge(flag, first.id, _admin())
    assert Complaint.get_by_id(second.id).status == "diarsipkan"


def test_unrelated_complaints_are_not_flagged(both):
    complaints.submit({"title": "Jalan rusak di Kalodran", "body": "Aspal mengelupas.",
                       "reporter_contact": "0811111111"})
    complaints.submit({"title": "KTP belum jadi", "body": "Sudah tiga bulan menunggu e-KTP.",
                       "reporter_contact": "0822222222"})
    assert DuplicateFlag.select().count() == 0


def _admin():
    from portal.accounts.models import User

    return User.get(User.username == "admin")
