"""The photo's own location fills the coordinates only with the citizen's
consent, and the stored photo still carries no EXIF."""
import io
import re

import pytest
from PIL import Image

from conftest import hidden_fields
from portal.complaints.models import Attachment, Complaint
from portal.directory.models import Category


def gps_jpeg(lat=(6.0, 7.0, 12.0), lat_ref="S", lon=(106.0, 9.0, 1.5), lon_ref="E"):
    exif = Image.Exif()
    exif[0x8825] = {1: lat_ref, 2: lat, 3: lon_ref, 4: lon}
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "blue").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def submit(client, photo, **extra):
    tokens = hidden_fields(client.get("/lapor").text)
    data = {**tokens, "judul": "Genangan air di Jalan Ahmad Yani",
            "isi": "Air menggenang setinggi lutut setiap hujan turun sore hari.",
            "kategori": str(Category.get(Category.name == "Drainase dan banjir").id),
            "klasifikasi": "pengaduan", "foto": (io.BytesIO(photo), "genangan.jpg"), **extra}
    return client.post("/lapor", data=data, content_type="multipart/form-data")


# Compared to 4 decimals (about 10 m): PostgreSQL keeps FloatField as REAL.
@pytest.mark.parametrize("consent,expected", [("y", (-6.12, 106.1504)), (None, (None, None))])
def test_the_photo_location_is_used_only_with_consent(app, client, demo, consent, expected):
    extra = {"lokasi_foto": consent} if consent else {}
    assert submit(client, gps_jpeg(), **extra).status_code == 303
    with app.app_context():
        complaint = Complaint.get()
        assert tuple(None if v is None else round(v, 4) for v in (complaint.lat, complaint.lon)) \
            == expected
        stored = Attachment.get(Attachment.complaint == complaint)
        kept = Image.open(f"{app.config['UPLOAD_FOLDER']}/{stored.filename}")
        assert not kept.getexif(), "the stored photo must carry no EXIF"


def test_typed_coordinates_win_over_the_photo(app, client, demo):
    submit(client, gps_jpeg(), lokasi_foto="y", lat="-6.1", lon="106.2")
    with app.app_context():
        assert (Complaint.get().lat, Complaint.get().lon) == (-6.1, 106.2)


def test_the_tracking_page_shows_the_spot_as_text(app, client, demo):
    submit(client, gps_jpeg(), lokasi_foto="y")
    with app.app_context():
        code = Complaint.get().display_code
    assert re.search(r"-6\.1200\d, 106\.1504\d", client.get(f"/lacak/{code}").text)


def test_a_photo_without_gps_leaves_the_coordinates_empty(app, client, demo):
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "red").save(buffer, "JPEG")
    submit(client, buffer.getvalue(), lokasi_foto="y")
    with app.app_context():
        assert Complaint.get().lat is None
