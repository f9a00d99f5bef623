"""SP4N client against the SP4N simulator over real HTTP on loopback."""

import hashlib
import time

import pytest

from connectors.sp4n import mapping as m
from connectors.sp4n.client import Sp4nClient
from portal.sync.errors import AuthError, RemoteRejected, TransientError
from sim_http import arm, http, photo, sim_state  # noqa: F401
from simulators.sp4n.data import INSTITUTION_ID
from simulators.sp4n.server import DEFAULT_ACCESS_TOKEN, DEFAULT_INSTITUTION_TOKEN, serve

SINCE = "2000-01-01T00:00:00+07:00"
DEMO_COUNT = 10
OPEN_COMPLAINT = 48201      # Jl. Ahmad Yani, status 1
REPLIED_COMPLAINT = 48203   # Ciracas: our follow-up and a reporter reply
CLOSED_COMPLAINT = 48210    # Jl. Veteran, closed by SP4N


@pytest.fixture
def sim():
    server, _ = serve(port=0)
    yield server
    server.shutdown()


@pytest.fixture
def client(sim, http):
    return Sp4nClient(sim.base_url, DEFAULT_ACCESS_TOKEN, DEFAULT_INSTITUTION_TOKEN,
                      INSTITUTION_ID, session=http, timeout=2.0)


# --- auth ------------------------------------------------------------------------


@pytest.mark.parametrize("access, institution", [
    ("wrong", DEFAULT_INSTITUTION_TOKEN),
    (DEFAULT_ACCESS_TOKEN, "wrong"),
])
def test_wrong_token_raises_auth_error(sim, http, access, institution):
    client = Sp4nClient(sim.base_url, access, institution, INSTITUTION_ID, session=http)
    with pytest.raises(AuthError) as caught:
        client.list_disposition(SINCE)
    assert caught.value.status == 401


def test_missing_headers_get_401_envelope(sim, http):
    response = http.get(sim.base_url + m.Path.TEMPLATES)
    assert response.status_code == 401
    assert response.json()[m.Envelope.SUCCESS] is False


# --- reading and paging ------------------------------------------------------------


def test_paging_yields_every_complaint_once(client):
    complaints = list(client.iter_disposition(SINCE, limit=3))
    ids = [c[m.Field.COMPLAINT_ID] for c in complaints]
    assert len(ids) == DEMO_COUNT == len(set(ids))


def test_repeats_and_reorder_are_deduplicated(sim, http, client):
    arm(sim, http, type="repeat_reorder", count=4, path=m.Path.DISPOSITION, overlap=2)
    page_two = client.list_disposition(SINCE, page=2, limit=3)
    assert len(page_two[m.Envelope.DATA]) == 5  # two repeated from page one
    complaints = list(client.iter_disposition(SINCE, limit=3))
    ids = [c[m.Field.COMPLAINT_ID] for c in complaints]
    assert len(ids) == DEMO_COUNT == len(set(ids))
    assert len(sim_state(sim, http)["faults"]["fired"]) == 4


def test_updated_since_filters_and_new_reports_appear(sim, http, client):
    before = {c[m.Field.COMPLAINT_ID] for c in client.iter_disposition(SINCE)}
    since = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() - 2))
    created = http.post(f"{sim.root_url}/_sim/reports", json={
        "title": "Lampu PJU mati di Jl. Kitapa", "content": "Tiga tiang padam.",
        "category_id": 321, "photos": 1}).json()
    recent = list(client.iter_disposition(since))
    assert [c[m.Field.COMPLAINT_ID] for c in recent] == [created["complaint_id"]]
    assert created["complaint_id"] not in before


def test_complaint_detail_has_log_and_maps_to_portal(client):
    detail = client.get_complaint(REPLIED_COMPLAINT)
    codes = [log[m.Field.STATUS_CODE] for log in detail[m.Field.DATA_LOGS]]
    assert codes == [m.STATUS_UNVERIFIED, m.STATUS_VERIFIED, m.STATUS_IN_PROCESS]
    portal = m.complaint_to_portal(detail)
    assert portal["status"] == "diteruskan"
    assert portal["classification"] == "pengaduan"
    assert len(portal["photos"]) == 2


def test_anonymous_and_secret_complaints(client):
    portal = [m.complaint_to_portal(c) for c in client.iter_disposition(SINCE)]
    anonymous = [p for p in portal if p["anonymous"]]
    assert anonymous and all(p["reporter"] is None for p in anonymous)
    assert sum(p["secret"] for p in portal) == 1
    assert {p["classification"] for p in portal} == {"aspirasi", "pengaduan", "informasi"}


def test_reporter_reply_reaches_followups(sim, http, client):
    http.post(f"{sim.root_url}/_sim/reports/{OPEN_COMPLAINT}/reply",
              json={"content": "Sudah dicek, lubangnya masih ada.", "photos": 1})
    last = m.followup_to_portal(client.list_followups(OPEN_COMPLAINT)[-1])
    assert last["from_reporter"] is True
    assert len(last["photos"]) == 1


def test_unknown_complaint_is_rejected_404(client):
    with pytest.raises(RemoteRejected) as caught:
        client.get_complaint(1)
    assert caught.value.status == 404


# --- faults ----------------------------------------------------------------------


@pytest.mark.parametrize("fault, status, retry_after", [
    ({"type": "status_5xx", "status": 500}, 500, None),
    ({"type": "status_5xx", "status": 502}, 502, None),
    ({"type": "status_5xx", "status": 503, "retry_after": 7}, 503, 7.0),
    ({"type": "rate_limit", "retry_after": 3}, 429, 3.0),
    ({"type": "malformed_json"}, 200, None),
])
def test_faults_raise_transient_error(sim, http, client, fault, status, retry_after):
    arm(sim, http, **fault)
    with pytest.raises(TransientError) as caught:
        client.list_disposition(SINCE)
    assert caught.value.status == status
    assert caught.value.retry_after == retry_after
    assert client.list_disposition(SINCE)[m.Envelope.META][m.Envelope.META_TOTAL] == DEMO_COUNT


def test_timeout_fault_raises_transient_error_quickly(sim, http):
    client = Sp4nClient(sim.base_url, DEFAULT_ACCESS_TOKEN, DEFAULT_INSTITUTION_TOKEN,
                        INSTITUTION_ID, session=http, timeout=0.5)
    arm(sim, http, type="timeout", seconds=5)
    started = time.monotonic()
    with pytest.raises(TransientError):
        client.templates()
    assert time.monotonic() - started < 2


def test_slow_fault_still_answers(sim, http, client):
    arm(sim, http, type="slow", seconds=0.2)
    started = time.monotonic()
    assert client.templates()
    assert time.monotonic() - started >= 0.2


def test_fault_filters_match_method_and_path(sim, http, client):
    arm(sim, http, type="status_5xx", status=500, method="POST", path=m.Path.FOLLOWUP_ADD)
    assert client.templates()
    client.list_disposition(SINCE)
    with pytest.raises(TransientError):
        client.add_followup(OPEN_COMPLAINT, "Sedang kami cek.")
    assert "followup_add" not in sim_state(sim, http)["applied"]


def test_connection_refused_is_transient(http):
    server, base_url = serve(port=0)
    server.shutdown()
    client = Sp4nClient(base_url, "a", "b", INSTITUTION_ID, session=http, timeout=0.5)
    with pytest.raises(TransientError):
        client.templates()


# --- follow-ups ------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["drop", "502"])
def test_lost_answer_then_find_followup_prevents_double_post(sim, http, client, mode):
    content = "Lubang sudah ditambal oleh DPUPR pada hari ini."
    arm(sim, http, type="lost_answer", path=m.Path.FOLLOWUP_ADD, mode=mode)
    with pytest.raises(TransientError):
        client.add_followup(OPEN_COMPLAINT, content, attachments=[photo("Tambal")])
    found = client.find_followup(OPEN_COMPLAINT, content)
    assert found is not None and found[m.Field.AUTHOR] == m.AUTHOR_INSTITUTION
    assert sim_state(sim, http)["applied"]["followup_add"] == 1


def test_find_followup_ignores_reporter_text_and_absent_posts(sim, http, client):
    text = "Mohon ditindaklanjuti."
    http.post(f"{sim.root_url}/_sim/reports/{OPEN_COMPLAINT}/reply", json={"content": text})
    assert client.find_followup(OPEN_COMPLAINT, text) is None
    client.add_followup(OPEN_COMPLAINT, "Mohon  ditindaklanjuti.\n", template_code="TL01")
    assert client.find_followup(OPEN_COMPLAINT, text) is not None


def test_followup_photos_round_trip(sim, http, client):
    uploads = [photo("Sebelum"), photo("Sesudah")]
    result = client.add_followup(OPEN_COMPLAINT, "Selesai ditambal.", attachments=uploads,
                                 template_code="TL02")
    posted = next(f for f in client.list_followups(OPEN_COMPLAINT)
                  if f[m.Field.ID] == result[m.Result.FOLLOWUP_ID])
    served = [http.get(a[m.Field.ATTACHMENT_URL]).content for a in posted[m.Field.ATTACHMENTS]]
    assert served == [content for _, content, _ in uploads]
    state = sim_state(sim, http)
    received = [u for u in state["uploads"] if u["origin"] == "followup"]
    assert [u["filename"] for u in received] == ["Sebelum.jpg", "Sesudah.jpg"]
    assert [u["sha256"] for u in received] == [hashlib.sha256(c).hexdigest()
                                               for _, c, _ in uploads]
    assert state["posted_followups"][0]["_template_code"] == "TL02"
    assert client.get_complaint(OPEN_COMPLAINT)[m.Field.STATUS_CODE] == m.STATUS_IN_PROCESS


def test_followup_validation_errors(client):
    with pytest.raises(RemoteRejected) as caught:
        client.add_followup(CLOSED_COMPLAINT, "Terlambat.")
    assert caught.value.status == 422
    assert m.Form.COMPLAINT_ID in caught.value.errors
    with pytest.raises(RemoteRejected) as caught:
        client.add_followup(OPEN_COMPLAINT, "  ", template_code="NOPE")
    assert set(caught.value.errors) == {m.Form.CONTENT, m.Form.TEMPLATE_CODE}


# --- forwarding and new complaints -------------------------------------------------


def test_reject_not_authority_forwards_away(client):
    institutions = {i[m.Field.ID]: i[m.Field.NAME] for i in client.institutions()}
    target = next(i for i, name in institutions.items() if name == "Kementerian Sosial")
    assert client.reject_not_authority(48206, target, "Kewenangan Kemensos.") == {
        m.Result.COMPLAINT_ID: 48206}
    ids = {c[m.Field.COMPLAINT_ID] for c in client.iter_disposition(SINCE)}
    assert 48206 not in ids
    with pytest.raises(RemoteRejected) as caught:
        client.reject_not_authority(48206, target, "Lagi.")
    assert caught.value.status == 404


def test_create_complaint_with_uploaded_files(sim, http, client):
    doc_ids = client.upload_complaint_files([photo("Trotoar rusak")])
    created = client.create_complaint(
        title="Trotoar rusak di Jl. Diponegoro", content="Paving lepas, membahayakan pejalan.",
        classification_id=m.classification_from_portal("pengaduan"), category_id=311,
        location_id=3673, date_of_incident="2026-03-10",
        reporter={"name": "Siti", "email": "siti@example.id", "phone": "0812"},
        attachment_ids=doc_ids)
    detail = client.get_complaint(created[m.Result.COMPLAINT_ID])
    assert detail[m.Field.TRACKING_ID] == created[m.Result.TRACKING_ID]
    assert detail[m.Field.STATUS_CODE] == m.STATUS_UNVERIFIED
    assert [a[m.Field.ID] for a in detail[m.Field.ATTACHMENTS]] == doc_ids
    assert sim_state(sim, http)["applied"] == {"complaint_file": 1, "complaint_create": 1}


def test_create_complaint_validation(client):
    with pytest.raises(RemoteRejected) as caught:
        client.create_complaint(title="", content="x", classification_id=9, category_id=311,
                                location_id=3673, date_of_incident="kemarin")
    assert {m.Form.TITLE, m.Form.CLASSIFICATION_ID, m.Form.DATE_OF_INCIDENT,
            m.Form.REPORTER} <= set(caught.value.errors)


def test_masters(client):
    assert {t[m.Field.CODE] for t in client.templates()} >= {"TL01", "TL02"}
    categories = client.categories()
    assert any(c[m.Field.PARENT_ID] is None for c in categories)


# --- mapping tables ----------------------------------------------------------------

PORTAL_STATUSES = ["baru", "tunda", "ditolak", "diarsipkan", "diteruskan", "dilaporkan",
                   "didisposisi", "menunggu_anggaran", "ditindaklanjuti", "selesai", "ditutup"]


def test_status_tables_cover_both_directions():
    assert set(m.STATUS_FROM_PORTAL) == set(PORTAL_STATUSES)
    assert set(m.STATUS_TO_PORTAL) == set(m.STATUS_NAMES)
    assert set(m.STATUS_TO_PORTAL.values()) <= set(PORTAL_STATUSES)
    for code in m.STATUS_NAMES:
        assert m.status_to_portal(code) in PORTAL_STATUSES
    assert m.status_from_portal("ditutup") == m.STATUS_DONE
    for name in ("aspirasi", "pengaduan", "informasi"):
        assert m.classification_to_portal(m.classification_from_portal(name)) == name
