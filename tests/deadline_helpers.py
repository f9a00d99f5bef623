"""Helpers for the deadline tests: fixed moments and complaints moved through the workflow."""
from datetime import datetime

from portal import clock
from portal.accounts.models import User
from portal.complaints import service as complaints, workflow
from portal.complaints.models import Complaint
from portal.directory.models import Bidang, Opd

WIB = "+07:00"


def at(text: str) -> datetime:
    """A moment written in Jakarta time, e.g. at("2026-03-17 09:00")."""
    return datetime.fromisoformat(text.replace(" ", "T") + WIB)


def new_complaint(when: str, *, classification="pengaduan", channel="web", contact="",
                  title="Lampu jalan mati di Jalan Veteran") -> Complaint:
    with clock.freeze(at(when)):
        complaint, _ = complaints.submit({
            "title": title, "body": "Lampu PJU mati sejak seminggu, jalan gelap sekali.",
            "classification": classification, "channel": channel,
            "reporter_contact": contact})
    return Complaint.get_by_id(complaint.id)


def act(complaint: Complaint, action: str, when: str, role: str, **changes) -> Complaint:
    """Perform `action`, supplying whatever the workflow requires that the test left out."""
    needs = workflow.requirements(action, complaint.classification)
    if "text" in needs:
        changes.setdefault("text", f"{action} pada {when}")
    if "bidang" in needs:
        changes.setdefault("bidang", list(Bidang.select().where(Bidang.opd == complaint.opd_id)))
    if "photo" in needs:
        changes.setdefault("photos", [_photo()])
    if "budget_year" in needs:
        changes.setdefault("budget_year", at(when).year + 1)
    with clock.freeze(at(when)):
        complaints.perform(complaint, action, role=role, actor=role.title(), **changes)
    return Complaint.get_by_id(complaint.id)


def _photo():
    import io
    import tempfile

    from PIL import Image

    from portal.complaints.photos import store_photo

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "gray").save(buffer, "PNG")
    return store_photo(io.BytesIO(buffer.getvalue()), tempfile.mkdtemp())


def forward(complaint: Complaint, when: str, opd_code="DISHUB") -> Complaint:
    return act(complaint, "teruskan", when, workflow.ADMIN, opd=Opd.get(Opd.code == opd_code))


def user(username: str) -> User:
    return User.get(User.username == username)


# (username, role, OPD, email).  No password hashing: these tests never log in
# through the form, and argon2 would make every test seconds slower.
STAFF = [
    ("admin", workflow.ADMIN, None, "admin@serangkota.go.id"),
    ("operator.dishub", workflow.OPERATOR, "DISHUB", "operator.dishub@serangkota.go.id"),
    ("pimpinan.dishub", workflow.PIMPINAN, "DISHUB", "kadis.dishub@serangkota.go.id"),
    ("kabid.lalin", workflow.KABID, "DISHUB", None),
    ("operator.dpupr", workflow.OPERATOR, "DPUPR", None),
    ("pimpinan.dpupr", workflow.PIMPINAN, "DPUPR", None),
]


def make_city() -> None:
    """Two OPDs and their staff, quickly."""
    from portal.directory.models import Bidang

    opds = {code: Opd.create(code=code, name=name) for code, name in
            (("DISHUB", "Dinas Perhubungan"), ("DPUPR", "Dinas Pekerjaan Umum"))}
    Bidang.create(opd=opds["DISHUB"], name="Bidang Lalu Lintas")
    for username, role, opd, email in STAFF:
        User.create(username=username, password_hash="-", role=role, full_name=username,
                    opd=opds.get(opd), email=email)


class Inbox:
    """An aiosmtpd handler that keeps every accepted message.

    With `hold_at=k`, the k-th message (1-based) is held before it is
    accepted until `release` is set; then it is refused (451), as a server
    does when the client vanished mid-transaction.
    """

    def __init__(self, hold_at: int | None = None):
        import threading
        from email import message_from_bytes, policy

        self._parse = lambda data: message_from_bytes(data, policy=policy.default)
        self.messages = []
        self.hold_at = hold_at
        self.seen = 0
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        self.seen += 1
        if self.hold_at is not None and self.seen == self.hold_at:
            self.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 30)
            return "451 Requested action aborted"
        self.messages.append(self._parse(envelope.content))
        return "250 OK"

    def by_header(self, name: str) -> list[str]:
        return [m[name] for m in self.messages]


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_smtp(inbox: Inbox):
    from aiosmtpd.controller import Controller

    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller
