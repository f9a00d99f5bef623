"""Open311 GeoReport v2: documents compared with golden files, the filters,
the errors, and what must never leave (confidential complaints, reporters).

ADUAN_UPDATE_GOLDEN=1 rewrites the golden files; review the diff by eye
against the spec (http://wiki.open311.org/GeoReport_v2) before committing.
"""
import json
import os
import re
from pathlib import Path

import pytest

import statistics_fixture as history
from deadline_helpers import at
from portal import clock
from portal.complaints.models import Complaint

GOLDEN = Path(__file__).parent / "golden" / "open311"
PHOTO = re.compile(r"[0-9a-f]{32}\.jpg")
WINDOW = "start_date=2025-12-01T00:00:00%2B07:00&end_date=2026-04-01T00:00:00%2B07:00"


@pytest.fixture
def city(app, demo):
    with app.app_context():
        complaints = history.build()
        Complaint.update(reporter_name="Siti Rahayu", reporter_contact="0812-3456-7890",
                         lat=-6.12, lon=106.15, location="Jl. Veteran No. 1").where(
            Complaint.id == complaints["B"].id).execute()
    return complaints


def _check(name: str, body: str):
    body = PHOTO.sub("PHOTO.jpg", body)
    path = GOLDEN / name
    if os.environ.get("ADUAN_UPDATE_GOLDEN"):
        path.write_text(body, encoding="utf-8")
    assert body == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


GOLDEN_CASES = [
    ("discovery.json", "/open311/v2/discovery.json", 200),
    ("discovery.xml", "/open311/v2/discovery.xml", 200),
    ("services.json", "/open311/v2/services.json", 200),
    ("services.xml", "/open311/v2/services.xml", 200),
    ("service_definition.xml", "/open311/v2/services/2.xml", 200),
    ("service_definition.json", "/open311/v2/services/2.json", 200),
    ("requests.json", f"/open311/v2/requests.json?{WINDOW}", 200),
    ("requests.xml", f"/open311/v2/requests.xml?{WINDOW}", 200),
    ("updates.json", f"/open311/v2/servicerequestupdates.json?{WINDOW}", 200),
    ("updates.xml", f"/open311/v2/servicerequestupdates.xml?{WINDOW}", 200),
    ("error_404.xml", "/open311/v2/requests/999999.xml", 404),
    ("error_404.json", "/open311/v2/services/999.json", 404),
    ("error_400.xml", "/open311/v2/requests.xml?status=pending", 400),
    ("error_400.json", "/open311/v2/requests.json?start_date=kemarin", 400),
]


@pytest.mark.parametrize("name,path,status", GOLDEN_CASES)
def test_documents_match_their_golden_files(client, city, name, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.mimetype == ("text/xml" if name.endswith(".xml") else "application/json")
    _check(name, response.get_data(as_text=True))


def test_post_errors_match_their_golden_files(client, city):
    forbidden = client.post("/open311/v2/requests.xml", data={"api_key": "o311_salah"})
    assert forbidden.status_code == 403
    _check("error_403.xml", forbidden.get_data(as_text=True))
    missing = client.post("/open311/v2/requests.json", data={"service_code": "2"})
    assert missing.status_code == 400
    _check("error_400_api_key.json", missing.get_data(as_text=True))


def test_no_confidential_complaint_and_no_reporter_leaves(client, city):
    bodies = "".join(client.get(path).get_data(as_text=True) for path in (
        f"/open311/v2/requests.json?{WINDOW}", f"/open311/v2/requests.xml?{WINDOW}",
        f"/open311/v2/servicerequestupdates.json?{WINDOW}",
        f"/open311/v2/requests/{city['D'].id}.json"))
    for secret in (history.CONFIDENTIAL_TITLE, "Dinas Kesehatan", "Siti Rahayu",
                   "0812-3456-7890", city["B"].code, city["B"].display_code):
        assert secret not in bodies
    ids = {r["service_request_id"] for r in json.loads(client.get(
        f"/open311/v2/requests.json?{WINDOW}").get_data())}
    # D is confidential, F was rejected by the admin.
    assert ids == {str(city[k].id) for k in "ABCE"}
    assert client.get(f"/open311/v2/requests/{city['D'].id}.json").status_code == 404
    assert client.get(f"/open311/v2/requests/{city['F'].id}.json").status_code == 404


def test_request_fields(client, city):
    (b,) = client.get(f"/open311/v2/requests/{city['B'].id}.json").get_json()
    assert b["status"] == "closed" and b["status_notes"] == "publikasikan pada 2026-02-20 08:00"
    assert b["agency_responsible"] == "Dinas Pekerjaan Umum dan Penataan Ruang"
    assert b["requested_datetime"] == "2026-02-13T15:00:00+07:00"
    assert b["expected_datetime"] is None
    (e,) = client.get(f"/open311/v2/requests/{city['E'].id}.json").get_json()
    # Verification: 3 working days from Mon 2 March, end of day.
    assert e["status"] == "open" and e["expected_datetime"] == "2026-03-05T23:59:59+07:00"
    assert e["agency_responsible"] is None


def test_filters_and_defaults(client, city):
    def ids(query):
        response = client.get(f"/open311/v2/requests.json?{query}")
        assert response.status_code == 200, response.get_data(as_text=True)
        return [int(r["service_request_id"]) for r in response.get_json()]

    a, b, c, e = (city[k].id for k in "ABCE")
    assert ids(WINDOW) == [e, c, b, a]  # newest first
    assert ids(WINDOW + "&status=open") == [e, c]
    assert ids(WINDOW + "&status=closed") == [b, a]
    assert ids(WINDOW + "&status=open,closed") == [e, c, b, a]
    parkir = city["C"].category_id
    assert ids(WINDOW + f"&service_code={parkir}") == [c]
    assert ids(WINDOW + "&page_size=2") == [e, c]
    assert ids(WINDOW + "&page_size=2&page=2") == [b, a]
    assert ids(f"service_request_id={a},{c}") == [c, a]
    # Without dates: the 90 days before now, from 14 February on 15 May.
    with clock.freeze(at("2026-05-15 10:00")):
        assert ids("") == [e, c]
        assert ids("end_date=2026-02-14T00:00:00%2B07:00") == [b, a]
    for bad in ("page_size=1001", "page=0", "page_size=-1", "service_code=x",
                "service_request_id=1;2", "end_date=2025-01-01&start_date=2026-01-01"):
        response = client.get(f"/open311/v2/requests.json?{bad}")
        assert response.status_code == 400, bad
        assert response.get_json()[0]["code"] == 400


def test_unknown_format_or_endpoint_is_a_404_document(client, city):
    for path in ("/open311/v2/requests.html", "/open311/v2/nothing.json",
                 "/open311/v2/requests/abc.json", "/open311/v2/tokens/nope.xml"):
        response = client.get(path)
        assert response.status_code == 404, path
    assert b"<errors>" in client.get("/open311/v2/tokens/nope.xml").data


def test_updates_show_status_changes_but_not_the_reporters_words(client, city):
    updates = client.get(f"/open311/v2/servicerequestupdates.json?{WINDOW}").get_json()
    a = [u for u in updates if u["service_request_id"] == str(city["A"].id)]
    assert [u["status"] for u in a] == ["open", "open", "open", "closed"]
    assert [u["description"] for u in a][:3] == [
        "Menunggu verifikasi", "Diteruskan ke OPD", "Dibuka oleh OPD"]
    assert a[-1]["description"] == "publikasikan pada 2026-02-18 09:00"
    assert not any(u["service_request_id"] == str(city["D"].id) for u in updates)
