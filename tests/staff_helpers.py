"""Helpers shared by the workspace tests: logging staff in over the test
client and creating complaints in a given state through the real workflow."""
import io

from PIL import Image

from conftest import hidden_fields
from portal.accounts.models import User
from portal.complaints import service as complaints
from portal.complaints.dispositions import Disposition
from portal.complaints.models import Complaint
from portal.directory.models import Bidang, Category, Opd


def login(client, username, password):
    """Log `username` in on `client` (logging out whoever was in); return the CSRF token."""
    leave = client.get("/staf/keluar")
    client.post("/staf/keluar", data=hidden_fields(leave.get_data(as_text=True)))
    page = client.get("/staf/masuk")
    token = hidden_fields(page.get_data(as_text=True))["csrf_token"]
    response = client.post("/staf/masuk", data={"username": username, "password": password,
                                                "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)
    return token


def csrf(client, path="/staf/antrean"):
    return hidden_fields(client.get(path).get_data(as_text=True))["csrf_token"]


def photo_bytes(color="red"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, "PNG")
    return buffer.getvalue()


def new_complaint(category="Jalan rusak", **fields):
    values = {"title": "Jalan berlubang di Ciceri", "body": "Lubang besar di depan pasar "
              "membahayakan pengendara motor.", "category": Category.get(Category.name == category),
              "reporter_name": "Siti", "reporter_contact": "siti@example.org", **fields}
    complaint, _created = complaints.submit(values)
    return complaint


def user(username):
    return User.get(User.username == username)


# The chain as the DPUPR demo staff play it; a complaint in status S got
# there through every step before it.
CHAIN = [
    ("teruskan", "admin", {"opd": "DPUPR"}),
    ("laporkan", "operator.dpupr", {}),
    ("disposisi", "pimpinan.dpupr", {"bidang": "Bidang Bina Marga"}),
    ("tindak_lanjut", "kabid.binamarga", {"photo": True}),
    ("publikasikan", "operator.dpupr", {}),
]


def advance(complaint, upto_status, stored_photo=None):
    """Move `complaint` along the chain until it reaches `upto_status`."""
    for action, username, extra in CHAIN:
        if complaint.status == upto_status:
            return complaint
        actor = user(username)
        kwargs = {}
        if "opd" in extra:
            kwargs["opd"] = Opd.get(Opd.code == extra["opd"])
        if "bidang" in extra:
            kwargs["bidang"] = [Bidang.get(Bidang.name == extra["bidang"])]
        if "photo" in extra:
            kwargs["photos"] = [stored_photo]
        complaints.perform(complaint, action, role=actor.role, actor=actor.username,
                           actor_user=actor, text=f"catatan {action}", **kwargs)
    assert complaint.status == upto_status, complaint.status
    return complaint


def snapshot(complaint):
    fresh = Complaint.get_by_id(complaint.id)
    return (fresh.status, fresh.opd_id, fresh.rating, fresh.budget_year, fresh.events.count(),
            Disposition.select().where(Disposition.complaint == fresh).count())
