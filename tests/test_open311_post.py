"""POST /open311/v2/requests over real HTTP: a key from the CLI, the same
validation, photo handling and idempotency as the web form, and the round
trip POST -> token -> request."""
import io

import pytest
import requests
from PIL import Image

from images import jpeg_with_gps
from portal.complaints.models import Attachment, Complaint
from portal.directory.models import Category
from portal.open311 import keys

GOOD = {"description": "Lampu PJU di depan masjid agung mati sejak tiga hari, jalan gelap.",
        "address_string": "Jl. Veteran", "lat": "-6.12", "long": "106.15",
        "first_name": "Siti", "last_name": "Rahayu", "email": "siti@example.org"}


@pytest.fixture
def api_key(app, demo):
    output = app.test_cli_runner().invoke(args=["open311-key", "create", "aplikasi-warga"]).output
    key = output.strip().splitlines()[-1]
    assert key.startswith(keys.PREFIX)
    return key


@pytest.fixture
def pju(app, demo):
    with app.app_context():
        return str(Category.get(Category.name == "Penerangan Jalan Umum (PJU)").id)


def test_the_key_is_printed_once_and_stored_hashed(app, api_key):
    with app.app_context():
        row = keys.ApiKey.get(keys.ApiKey.name == "aplikasi-warga")
        assert row.key_hash != api_key and api_key not in row.key_hash
        assert keys.verify(api_key).id == row.id
    db_file = app.config["DATABASE_URL"].removeprefix("sqlite:///")
    if db_file.endswith(".db"):
        from portal.db import database

        database.close()
        assert api_key.encode() not in open(db_file, "rb").read()
    listed = app.test_cli_runner().invoke(args=["open311-key", "list"]).output
    assert "aplikasi-warga" in listed and api_key not in listed
    again = app.test_cli_runner().invoke(args=["open311-key", "create", "aplikasi-warga"])
    assert again.exit_code != 0 and "sudah ada" in again.output


def test_round_trip_post_token_request(app, live_server, api_key, pju):
    photo = jpeg_with_gps()
    posted = requests.post(f"{live_server}/open311/v2/requests.json",
                           data={**GOOD, "api_key": api_key, "service_code": pju},
                           files=[("media", ("lampu.jpg", photo, "image/jpeg"))], timeout=10)
    assert posted.status_code == 201, posted.text
    (answer,) = posted.json()
    assert "Kode pelacakan untuk pelapor" in answer["service_notice"]
    (by_token,) = requests.get(f"{live_server}/open311/v2/tokens/{answer['token']}.json",
                               timeout=10).json()
    assert by_token == {"service_request_id": answer["service_request_id"],
                        "token": answer["token"]}
    (req,) = requests.get(
        f"{live_server}/open311/v2/requests/{by_token['service_request_id']}.json",
        timeout=10).json()
    assert req["status"] == "open" and req["service_code"] == pju
    assert req["description"] == GOOD["description"] and req["address"] == "Jl. Veteran"
    assert (req["lat"], req["long"]) == (-6.12, 106.15)
    assert req["service_name"] == "Penerangan Jalan Umum (PJU)"
    assert "Siti" not in str(req) and "siti@example.org" not in str(req)
    # The photo went through the web form's intake: re-encoded, no EXIF.
    stored = requests.get(req["media_url"], timeout=10)
    assert stored.status_code == 200
    image = Image.open(io.BytesIO(stored.content))
    assert not image.getexif() and stored.content != photo
    xml = requests.get(f"{live_server}/open311/v2/tokens/{answer['token']}.xml", timeout=10)
    assert f"<service_request_id>{answer['service_request_id']}</service_request_id>" in xml.text
    with app.app_context():
        complaint = Complaint.get_by_id(int(answer["service_request_id"]))
        assert (complaint.channel, complaint.reporter_name, complaint.reporter_contact) == (
            "open311", "Siti Rahayu", "siti@example.org")
        assert complaint.title.startswith("Lampu PJU di depan masjid agung")
        assert complaint.display_code in answer["service_notice"]


def test_a_resent_request_makes_one_complaint(app, live_server, api_key, pju):
    def post():
        return requests.post(f"{live_server}/open311/v2/requests.xml",
                             data={**GOOD, "api_key": api_key, "service_code": pju},
                             headers={"Idempotency-Key": "kirim-42"}, timeout=10)

    first, second = post(), post()
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.text == second.text and "<token>" in first.text
    with app.app_context():
        assert Complaint.select().where(Complaint.channel == "open311").count() == 1


@pytest.mark.parametrize("change,parameter,message", [
    ({"description": "Terlalu pendek"}, "description", "Isi laporan 20 sampai 5.000 karakter."),
    ({"service_code": "99999"}, "service_code", "Pilih salah satu kategori."),
    ({"lat": "-95"}, "lat", "Lintang harus antara -90 dan 90."),
    ({"long": ""}, "long", "Isi lintang dan bujur bersama-sama"),
    ({"email": "bukan email"}, "email", "Tulis alamat email atau nomor HP yang benar"),
])
def test_the_web_forms_validation_in_the_spec_error_document(client, api_key, pju, change,
                                                               parameter, message):
    response = client.post("/open311/v2/requests.json",
                           data={**GOOD, "api_key": api_key, "service_code": pju, **change})
    assert response.status_code == 400
    descriptions = [e["description"] for e in response.get_json()]
    assert any(d.startswith(f"{parameter}: ") and message in d for d in descriptions), descriptions


def test_photo_limits_and_bad_photos(app, client, api_key, pju):
    base = {**GOOD, "api_key": api_key, "service_code": pju}
    too_many = client.post("/open311/v2/requests.json", content_type="multipart/form-data",
                           data={**base, "media": [(io.BytesIO(jpeg_with_gps()), f"{i}.jpg")
                                                   for i in range(4)]})
    assert too_many.status_code == 400 and "Paling banyak 3 foto" in too_many.get_data(
        as_text=True)
    not_photo = client.post("/open311/v2/requests.json", content_type="multipart/form-data",
                            data={**base, "media": [(io.BytesIO(b"%PDF-1.4"), "a.jpg")]})
    assert not_photo.status_code == 400 and "media: " in not_photo.get_data(as_text=True)
    remote = client.post("/open311/v2/requests.json", data={**base, "media_url": "http://x/y"})
    assert remote.status_code == 400
    with app.app_context():
        assert Complaint.select().count() == 0 and Attachment.select().count() == 0


def test_keys_and_content_types(app, client, api_key, pju):
    as_json = client.post("/open311/v2/requests.json", json={**GOOD, "api_key": api_key})
    assert as_json.status_code == 400
    app.test_cli_runner().invoke(args=["open311-key", "revoke", "aplikasi-warga"])
    revoked = client.post("/open311/v2/requests.json",
                          data={**GOOD, "api_key": api_key, "service_code": pju})
    assert revoked.status_code == 403 and revoked.get_json()[0]["code"] == 403


def test_a_body_over_the_limit_is_a_413_document(app, client, api_key, pju):
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    response = client.post("/open311/v2/requests.xml", content_type="multipart/form-data",
                           data={**GOOD, "api_key": api_key, "service_code": pju,
                                 "media": [(io.BytesIO(b"x" * 80_000), "big.jpg")]})
    assert response.status_code == 413 and b"<errors>" in response.data
