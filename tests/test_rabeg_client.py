"""Rabeg client against the Rabeg simulator over real HTTP on loopback."""

import hashlib
import hmac
import json
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from connectors.rabeg import mapping as m
from connectors.rabeg.client import RabegClient, parse_webhook, sign_webhook, verify_webhook
from portal.sync.errors import AuthError, RemoteRejected, TransientError
from sim_http import arm, http, photo, sim_state  # noqa: F401
from simulators.rabeg.server import DEFAULT_API_KEY, HEADER_REPLAYED, serve

DEMO_COUNT = 10
SECRET = "rahasia-webhook-uji"


@pytest.fixture
def sim():
    server, _ = serve(port=0)
    yield server
    server.shutdown()


@pytest.fixture
def client(sim, http):
    return RabegClient(sim.base_url, DEFAULT_API_KEY, session=http, timeout=2.0)


def unread_report(client):
    return next(r for r in client.iter_reports() if r[m.Field.STATUS] == m.STATUS_UNREAD)


# --- auth ------------------------------------------------------------------------


def test_wrong_or_missing_key_raises_auth_error(sim, http):
    with pytest.raises(AuthError):
        RabegClient(sim.base_url, "salah", session=http).list_opd()
    response = http.get(sim.base_url + m.Path.OPD)
    assert response.status_code == 401
    assert response.json()[m.Envelope.ERROR][m.Envelope.ERROR_CODE] == m.ErrorCode.UNAUTHORIZED


# --- listing ---------------------------------------------------------------------


def test_cursor_paging_yields_every_report_once_and_resumes(sim, http, client):
    pager = client.iter_reports(limit=3)
    reports = list(pager)
    ids = [r[m.Field.ID] for r in reports]
    assert len(ids) == DEMO_COUNT == len(set(ids))
    assert list(client.iter_reports(pager.cursor)) == []
    http.post(f"{sim.root_url}/_sim/reports/{ids[4]}/reply", json={"isi": "Masih rusak."})
    changed = list(client.iter_reports(pager.cursor))
    assert [r[m.Field.ID] for r in changed] == [ids[4]]


def test_repeats_and_reorder_are_deduplicated(sim, http, client):
    arm(sim, http, type="repeat_reorder", count=4, path=m.Path.REPORTS, overlap=2)
    reports = list(client.iter_reports(limit=3))
    ids = [r[m.Field.ID] for r in reports]
    assert len(ids) == DEMO_COUNT == len(set(ids))
    assert len(sim_state(sim, http)["faults"]["fired"]) == 4


def test_pager_cursor_waits_for_the_page_to_be_consumed(client):
    pager = client.iter_reports(limit=3)
    iterator = iter(pager)
    next(iterator)
    assert pager.cursor is None  # a crash now must re-read the first page
    for _ in range(3):
        next(iterator)
    assert pager.cursor is not None


def test_bad_cursor_and_limit_are_rejected(client):
    with pytest.raises(RemoteRejected) as caught:
        client.list_reports(cursor="bukan-cursor")
    assert (caught.value.status, caught.value.code) == (400, m.ErrorCode.INVALID_CURSOR)


def test_demo_reports_map_to_portal(client):
    portal = [m.report_to_portal(r) for r in client.iter_reports()]
    assert all(p["reporter"] is None for p in portal if p["anonymous"])
    assert sum(p["anonymous"] for p in portal) >= 2
    assert sum(p["secret"] for p in portal) == 1
    assert any(p["opd"] is None for p in portal)
    assert {p["opd"] for p in portal} >= {"DISHUB", "DPUPR", "DLH", "DINSOS", "DINKES",
                                          "DISDUKCAPIL"}
    replied = next(p for p in portal if any(r["from_reporter"] for r in p["responses"]))
    assert replied["status"] == "diteruskan"


# --- faults ----------------------------------------------------------------------


@pytest.mark.parametrize("fault, status, retry_after", [
    ({"type": "status_5xx", "status": 500}, 500, None),
    ({"type": "status_5xx", "status": 503, "retry_after": 4}, 503, 4.0),
    ({"type": "rate_limit", "retry_after": 2}, 429, 2.0),
    ({"type": "malformed_json"}, 200, None),
])
def test_faults_raise_transient_error(sim, http, client, fault, status, retry_after):
    arm(sim, http, **fault)
    with pytest.raises(TransientError) as caught:
        client.list_reports()
    assert caught.value.status == status
    assert caught.value.retry_after == retry_after
    assert client.list_reports()[m.Envelope.REPORTS]


def test_timeout_fault_raises_transient_error_quickly(sim, http):
    client = RabegClient(sim.base_url, DEFAULT_API_KEY, session=http, timeout=0.5)
    arm(sim, http, type="timeout", seconds=5, method="GET")
    started = time.monotonic()
    with pytest.raises(TransientError):
        client.list_opd()
    assert time.monotonic() - started < 2


# --- idempotency -----------------------------------------------------------------


def test_same_idempotency_key_returns_first_answer_and_applies_once(sim, http, client):
    report_id = unread_report(client)[m.Field.ID]
    first = client.add_tanggapan(report_id, "Sedang ditangani.", status=m.STATUS_IN_PROCESS,
                                 idempotency_key="tgp-1")
    again = client.add_tanggapan(report_id, "Sedang ditangani.", status=m.STATUS_IN_PROCESS,
                                 idempotency_key="tgp-1")
    assert first == again
    state = sim_state(sim, http)
    assert state["applied"] == {"tanggapan": 1}
    assert state["replayed"] == 1
    assert len(client.get_report(report_id)[m.Field.TANGGAPAN]) == 1


def test_replay_header_and_key_reuse_on_another_path(sim, http, client):
    report_id = unread_report(client)[m.Field.ID]
    url = sim.base_url + m.Path.MARK_READ.format(id=report_id)
    headers = {m.HEADER_API_KEY: DEFAULT_API_KEY, m.HEADER_IDEMPOTENCY_KEY: "baca-1"}
    assert HEADER_REPLAYED not in http.post(url, headers=headers).headers
    assert http.post(url, headers=headers).headers[HEADER_REPLAYED] == "true"
    with pytest.raises(RemoteRejected) as caught:
        client.add_tanggapan(report_id, "x", idempotency_key="baca-1")
    assert (caught.value.status, caught.value.code) == (409, m.ErrorCode.IDEMPOTENCY_CONFLICT)


@pytest.mark.parametrize("mode", ["drop", "502"])
def test_lost_answer_then_retry_with_same_key_applies_once(sim, http, client, mode):
    report_id = unread_report(client)[m.Field.ID]
    arm(sim, http, type="lost_answer", mode=mode, path="/api/v1/reports/")
    send = lambda: client.add_tanggapan(  # noqa: E731
        report_id, "Lampu sudah diganti.", status=m.STATUS_DONE,
        photos=[photo("PJU menyala")], idempotency_key="tgp-lost")
    with pytest.raises(TransientError):
        send()
    answer = send()
    tanggapan = client.get_report(report_id)[m.Field.TANGGAPAN]
    assert [t[m.Field.ID] for t in tanggapan] == [answer[m.Envelope.ID]]
    assert sim_state(sim, http)["applied"] == {"tanggapan": 1}


def test_idempotency_keys_expire(http):
    server, base_url = serve(port=0, idempotency_ttl=0.2)
    try:
        client = RabegClient(base_url, DEFAULT_API_KEY, session=http)
        report_id = unread_report(client)[m.Field.ID]
        first = client.add_tanggapan(report_id, "Dicek.", idempotency_key="k")
        time.sleep(0.3)
        assert client.add_tanggapan(report_id, "Dicek.", idempotency_key="k") != first
        assert server.state.applied["tanggapan"] == 2
    finally:
        server.shutdown()


# --- tanggapan rules and photos ----------------------------------------------------


def test_selesai_without_photo_is_rejected_422(sim, http, client):
    report_id = unread_report(client)[m.Field.ID]
    with pytest.raises(RemoteRejected) as caught:
        client.add_tanggapan(report_id, "Sudah beres.", status=m.STATUS_DONE,
                             idempotency_key="no-photo")
    assert (caught.value.status, caught.value.code) == (422, m.ErrorCode.FOTO_REQUIRED)
    assert client.get_report(report_id)[m.Field.TANGGAPAN] == []
    assert sim_state(sim, http)["applied"] == {}


def test_non_image_foto_is_rejected(client):
    report_id = unread_report(client)[m.Field.ID]
    with pytest.raises(RemoteRejected) as caught:
        client.add_tanggapan(report_id, "Bukti terlampir.", idempotency_key="pdf",
                             photos=[("bukti.jpg", b"%PDF-1.4 not a photo", "image/jpeg")])
    assert caught.value.code == m.ErrorCode.INVALID_FOTO


def test_photo_upload_round_trip_and_status(sim, http, client):
    report_id = unread_report(client)[m.Field.ID]
    uploads = [photo("Sebelum"), photo("Sesudah")]
    client.add_tanggapan(report_id, "Sudah diperbaiki.", status=m.STATUS_DONE,
                         photos=uploads, idempotency_key="foto-1")
    report = client.get_report(report_id)
    assert report[m.Field.STATUS] == m.STATUS_DONE
    urls = report[m.Field.TANGGAPAN][-1][m.Field.FOTO]
    assert [http.get(url).content for url in urls] == [c for _, c, _ in uploads]
    received = sim_state(sim, http)["uploads"]
    assert [u["filename"] for u in received] == ["Sebelum.jpg", "Sesudah.jpg"]
    assert [u["sha256"] for u in received] == [hashlib.sha256(c).hexdigest()
                                               for _, c, _ in uploads]
    assert m.report_to_portal(report)["status"] == "selesai"


def test_mark_read_moves_unread_to_waiting(client):
    report_id = unread_report(client)[m.Field.ID]
    report = client.mark_read(report_id, idempotency_key="baca-2")
    assert report[m.Field.STATUS] == m.STATUS_WAITING
    with pytest.raises(RemoteRejected) as caught:
        client.mark_read("tidak-ada", idempotency_key="baca-3")
    assert caught.value.status == 404


# --- webhooks --------------------------------------------------------------------


@pytest.fixture
def receiver():
    """A tiny local portal stand-in that records webhook posts."""
    received = queue.Queue()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.put((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}{m.WEBHOOK_PATH}", received
    server.shutdown()
    server.server_close()


def test_webhooks_are_signed_with_hmac_sha256(http, receiver):
    url, received = receiver
    server, _ = serve(port=0, webhook_url=url, webhook_secret=SECRET)
    try:
        created = http.post(f"{server.root_url}/_sim/reports", json={
            "judul": "Pohon tumbang", "isi": "Pohon tumbang menutup jalan.",
            "opd_tujuan": "DLH"}).json()
        http.post(f"{server.root_url}/_sim/reports/{created['id']}/reply",
                  json={"isi": "Belum ada petugas."})
        events = [received.get(timeout=5) for _ in range(2)]
    finally:
        server.shutdown()
    for headers, body in events:
        expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
        assert headers[m.HEADER_SIGNATURE] == expected == sign_webhook(SECRET, body)
        assert verify_webhook(SECRET, body, headers[m.HEADER_SIGNATURE])
        assert not verify_webhook(SECRET, body + b" ", headers[m.HEADER_SIGNATURE])
    assert [parse_webhook(body) for _, body in events] == [
        (m.Webhook.REPORT_CREATED, created["id"]), (m.Webhook.REPORT_UPDATED, created["id"])]
    assert json.loads(events[0][1]) == {"event": "report.created", "id": created["id"]}


def test_unreachable_webhook_target_does_not_break_simulator(http):
    dead = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    url = f"http://127.0.0.1:{dead.server_port}/hooks/rabeg"
    dead.server_close()  # nothing listens there any more
    server, base_url = serve(port=0, webhook_url=url, webhook_secret=SECRET)
    try:
        http.post(f"{server.root_url}/_sim/reports", json={"judul": "Uji", "isi": "Uji."})
        deadline = time.monotonic() + 5
        while not sim_state(server, http)["webhooks"] and time.monotonic() < deadline:
            time.sleep(0.02)
        assert "error" in sim_state(server, http)["webhooks"][0]
        assert RabegClient(base_url, DEFAULT_API_KEY, session=http).list_opd()
    finally:
        server.shutdown()


# --- mapping tables ----------------------------------------------------------------

PORTAL_STATUSES = {"baru", "tunda", "ditolak", "diarsipkan", "diteruskan", "dilaporkan",
                   "didisposisi", "menunggu_anggaran", "ditindaklanjuti", "selesai", "ditutup"}


def test_status_tables_cover_both_directions():
    assert set(m.STATUS_FROM_PORTAL) == PORTAL_STATUSES
    assert set(m.STATUS_FROM_PORTAL.values()) <= set(m.STATUS_VALUES) | {None}
    assert set(m.STATUS_TO_PORTAL) == set(m.STATUS_VALUES)
    assert set(m.STATUS_TO_PORTAL.values()) <= PORTAL_STATUSES
    assert m.status_from_portal("selesai") == m.STATUS_DONE
