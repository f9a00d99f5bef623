"""Load and fault suite: real HTTP on loopback against a threaded server, on
a real SQLite file (or PostgreSQL with ADUAN_TEST_DATABASE=postgres).

Bounded: a fixed number of requests per client, every request with a
timeout, every thread joined with a deadline.  Nothing here measures speed;
the figures are printed (pytest -s) for the record.
"""
import io
import logging
import os
import threading
import time
from collections import Counter
from pathlib import Path

import requests
from PIL import Image

from conftest import hidden_fields
from portal.complaints import service as complaints
from portal.complaints.models import Attachment, Complaint, TimelineEvent
from portal.directory.models import Category, Opd

CLIENTS = 20
ROUNDS = 5
TIMEOUT = 30  # seconds per request; a hung request fails the test, never hangs it
DEADLINE = 120  # seconds for a whole scenario


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(out, "JPEG", quality=70)
    return out.getvalue()


PHOTO = _photo()


class Tally:
    """Statuses of every request, from every thread."""

    def __init__(self):
        self.statuses, self.errors, self.lock = Counter(), [], threading.Lock()

    def add(self, kind: str, response):
        with self.lock:
            self.statuses[(kind, response.status_code)] += 1
            if response.status_code >= 500:
                self.errors.append(f"{kind} {response.status_code}: {response.text[:300]}")

    def failed(self, exc):
        with self.lock:
            self.errors.append(repr(exc))

    @property
    def total(self):
        return sum(self.statuses.values())

    def server_errors(self):
        return sum(n for (_kind, status), n in self.statuses.items() if status >= 500)


def run_threads(targets, deadline=DEADLINE):
    threads = [threading.Thread(target=t, daemon=True) for t in targets]
    for thread in threads:
        thread.start()
    end = time.monotonic() + deadline
    for thread in threads:
        thread.join(max(0.1, end - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "a client did not finish in time"


def citizen(base: str, category: int, tally: Tally, tokens: list, index: int, rounds: int,
            photo: bool = True):
    """GET the form, then POST it twice at the same moment (a double tap)."""
    def run():
        try:
            for round_ in range(rounds):
                first = requests.Session()
                form = first.get(f"{base}/lapor", timeout=TIMEOUT)
                tally.add("GET /lapor", form)
                fields = {**hidden_fields(form.text), "kategori": str(category),
                          "judul": f"Jalan rusak di RT {index:02d}",
                          "isi": f"Warga {index} melapor ({round_}): lubang di jalan lingkungan "
                                 f"RT {index:02d} makin lebar dan membahayakan anak sekolah.",
                          "klasifikasi": "pengaduan", "kontak": f"warga{index}@example.id"}
                second = requests.Session()
                second.cookies.update(first.cookies)
                answers = [None, None]

                def tap(slot, session):
                    files = {"foto": ("foto.jpg", PHOTO, "image/jpeg")} if photo else None
                    answers[slot] = session.post(f"{base}/lapor", data=fields, files=files,
                                                 allow_redirects=False, timeout=TIMEOUT)

                taps = [threading.Thread(target=tap, args=(i, s))
                        for i, s in enumerate((first, second))]
                for t in taps:
                    t.start()
                for t in taps:
                    t.join(TIMEOUT + 5)
                for answer in answers:
                    tally.add("POST /lapor", answer)
                with tally.lock:
                    tokens.append((fields["token"], [a.headers.get("Location") for a in answers]))
        except Exception as exc:  # noqa: BLE001 - reported through the tally
            tally.failed(exc)
    return run


def _category():
    return Category.get(Category.name == "Jalan rusak").id


def uploaded_files(app) -> set[str]:
    folder = Path(app.config["UPLOAD_FOLDER"])
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_twenty_clients_with_double_taps_lose_nothing(app, demo, live_server, caplog):
    with app.app_context():
        category = _category()
    tally, tokens = Tally(), []
    started = time.monotonic()
    run_threads([citizen(live_server, category, tally, tokens, i, ROUNDS) for i in range(CLIENTS)])
    duration = time.monotonic() - started
    print(f"\n[load] {CLIENTS} clients x {ROUNDS} double-tapped submissions on "
          f"{os.environ.get('ADUAN_TEST_DATABASE') or 'sqlite'}: {tally.total} requests in "
          f"{duration:.1f} s; statuses {dict(tally.statuses)}")
    assert tally.errors == []
    assert tally.server_errors() == 0
    # Background work (immediate here: duplicate check, notifications) failed nowhere either.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert tally.statuses[("POST /lapor", 303)] == 2 * CLIENTS * ROUNDS
    with app.app_context():
        stored = Counter(c.submission_token for c in Complaint.select(Complaint.submission_token))
        assert len(tokens) == CLIENTS * ROUNDS
        for token, locations in tokens:
            assert stored[token] == 1, token  # every complaint stored exactly once
            assert locations[0] == locations[1]  # both taps land on the same tracking page
        assert Complaint.select().count() == CLIENTS * ROUNDS
        assert TimelineEvent.select().where(TimelineEvent.kind == "dibuat").count() == \
            CLIENTS * ROUNDS
        attached = {a.filename for a in Attachment.select(Attachment.filename)}
    assert len(attached) == CLIENTS * ROUNDS
    assert uploaded_files(app) == attached  # no orphan photo files


def staff(base: str, username: str, password: str, codes: list[str], tally: Tally, steps):
    """Log in, then apply `steps` (path suffix, form) to each complaint in turn."""
    def run():
        try:
            session = requests.Session()
            page = session.get(f"{base}/staf/masuk", timeout=TIMEOUT)
            login = session.post(f"{base}/staf/masuk", timeout=TIMEOUT, allow_redirects=False,
                                 data={**hidden_fields(page.text), "username": username,
                                       "password": password})
            assert login.status_code == 303, login.status_code
            for code in codes:
                detail = session.get(f"{base}/staf/aduan/{code}", timeout=TIMEOUT)
                tally.add("GET detail", detail)
                token = hidden_fields(detail.text)["csrf_token"]
                for suffix, form in steps:
                    response = session.post(f"{base}/staf/aduan/{code}/{suffix}",
                                            data={**form, "csrf_token": token},
                                            allow_redirects=False, timeout=TIMEOUT)
                    tally.add(f"POST {suffix.split('/')[-1]}", response)
        except Exception as exc:  # noqa: BLE001 - reported through the tally
            tally.failed(exc)
    return run


SEVERITY_STEPS = [("tingkat", {"tingkat": level}) for level in ("ringan", "sedang", "berat")]


def test_staff_writes_while_citizens_post(app, demo, live_server, caplog):
    """4 citizens posting while the admin and an operator change severities,
    write notes and move complaints on: no write is refused for a lock."""
    with app.test_request_context():
        category = _category()
        dpupr = Opd.get(Opd.code == "DPUPR")
        fields = {"title": "Saluran air tersumbat", "body": "Air meluap ke jalan setiap hujan.",
                  "category": category}
        for_admin = [complaints.submit(fields)[0] for _ in range(8)]
        for_operator = []
        for _ in range(8):
            complaint = complaints.submit(fields)[0]
            complaints.perform(complaint, "teruskan", role="admin", actor="Admin", opd=dpupr)
            for_operator.append(complaint)
        admin_codes = [c.display_code for c in for_admin]
        operator_codes = [c.display_code for c in for_operator]
    tally, tokens = Tally(), []
    admin_steps = SEVERITY_STEPS + [("catatan", {"teks": "Dicek admin."}),
                                    ("aksi/teruskan", {"opd": str(dpupr.id)})]
    operator_steps = SEVERITY_STEPS + [("catatan", {"teks": "Dicek operator."}),
                                       ("aksi/laporkan", {"teks": "Mohon arahan."})]
    started = time.monotonic()
    run_threads([citizen(live_server, category, tally, tokens, i, ROUNDS, photo=False)
                 for i in range(4)]
                + [staff(live_server, "admin", demo["admin"], admin_codes, tally, admin_steps),
                   staff(live_server, "operator.dpupr", demo["operator.dpupr"], operator_codes,
                         tally, operator_steps)])
    duration = time.monotonic() - started
    print(f"\n[load] 4 citizens + 2 staff on "
          f"{os.environ.get('ADUAN_TEST_DATABASE') or 'sqlite'}: {tally.total} requests in "
          f"{duration:.1f} s; statuses {dict(tally.statuses)}")
    assert tally.errors == []
    assert tally.server_errors() == 0
    # Background work (immediate here: duplicate check, notifications) failed nowhere either.
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    staff_writes = {kind: n for (kind, status), n in tally.statuses.items()
                    if kind.startswith("POST ") and kind != "POST /lapor"}
    assert sum(staff_writes.values()) == 16 * len(admin_steps)
    assert all(status == 303 for (kind, status) in tally.statuses if kind in staff_writes)
    with app.app_context():
        assert Complaint.select().count() == 16 + 4 * ROUNDS
        moved = Complaint.select().where(Complaint.id.in_([c.id for c in for_admin + for_operator]))
        assert {c.status for c in moved} == {"diteruskan", "dilaporkan"}
        assert {c.severity for c in moved} == {"berat"}
        assert TimelineEvent.select().where(TimelineEvent.kind == "tingkat").count() == 16 * 3
        assert TimelineEvent.select().where(TimelineEvent.kind == "catatan").count() == 16
