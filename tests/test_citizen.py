import gzip
import io
import re

import pytest
from PIL import Image

from conftest import hidden_fields
from images import image_bytes, jpeg_with_gps
from portal.complaints.models import Attachment, Complaint, TimelineEvent

VALID = {
    "judul": "Lampu PJU mati di Jl. Ahmad Yani",
    "isi": "Lampu jalan di depan masjid mati sejak seminggu, gelap sekali malam hari.",
    "klasifikasi": "pengaduan",
    "lokasi": "Jl. Ahmad Yani depan Masjid Agung",
    "nama": "Siti",
    "kontak": "siti@example.id",
}


def category_id(name="Penerangan Jalan Umum (PJU)"):
    from portal.directory.models import Category

    return str(Category.get(Category.name == name).id)


def form_data(client, **overrides):
    tokens = hidden_fields(client.get("/lapor").text)
    return {**tokens, **VALID, "kategori": category_id(), **overrides}


def test_submit_creates_complaint_and_redirects_to_tracking_page(client, demo):
    response = client.post("/lapor", data=form_data(client))
    assert response.status_code == 303
    complaint = Complaint.get()
    assert response.headers["Location"] == f"/lacak/{complaint.display_code}"
    assert (complaint.title, complaint.channel, complaint.status) == (VALID["judul"], "web", "baru")
    assert complaint.reporter_contact == "siti@example.id"
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert complaint.display_code in page.text and "Menunggu verifikasi" in page.text
    assert "Laporan diterima" in page.text


def test_anonymous_and_confidential_flags_are_kept(client, demo):
    client.post("/lapor", data=form_data(client, anonim="y", rahasia="y"))
    complaint = Complaint.get()
    assert complaint.anonymous and complaint.confidential


def test_photos_are_stored_reencoded_and_served_with_long_cache(client, demo, app):
    data = form_data(client)
    data["foto"] = [(io.BytesIO(jpeg_with_gps()), "IMG_0001.jpg"),
                    (io.BytesIO(image_bytes("PNG")), "../../etc/passwd.png")]
    response = client.post("/lapor", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    attachments = list(Attachment.select())
    assert len(attachments) == 2
    for attachment in attachments:
        assert re.fullmatch(r"[0-9a-f]{32}\.jpg", attachment.filename)
        served = client.get(f"/foto/{attachment.filename}")
        assert served.status_code == 200
        assert "max-age=31536000" in served.headers["Cache-Control"]
        assert len(Image.open(io.BytesIO(served.data)).getexif()) == 0
    page = client.get(response.headers["Location"]).text
    assert all(a.filename in page for a in attachments)


def test_non_image_upload_is_a_field_error_and_keeps_the_text(client, demo):
    data = form_data(client)
    data["foto"] = [(io.BytesIO(b"MZ\x90\x00 not an image"), "foto.jpg")]
    response = client.post("/lapor", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "foto.jpg: Berkas harus berupa foto JPEG, PNG, atau WebP." in response.text
    assert VALID["isi"] in response.text and 'value="Siti"' in response.text
    assert Complaint.select().count() == 0


def test_more_than_three_photos_is_refused(client, demo):
    data = form_data(client)
    data["foto"] = [(io.BytesIO(image_bytes("PNG")), f"{i}.png") for i in range(4)]
    response = client.post("/lapor", data=data, content_type="multipart/form-data")
    assert response.status_code == 422 and "Paling banyak 3 foto." in response.text


@pytest.mark.parametrize("field,value,message", [
    ("judul", "", "Judul wajib diisi."),
    ("judul", "abc", "Judul 5 sampai 200 karakter."),
    ("isi", "pendek", "Isi laporan 20 sampai 5.000 karakter."),
    ("kategori", "999", "Pilih salah satu kategori."),
    ("kategori", "", "Pilih salah satu kategori."),
    ("klasifikasi", "curhat", "Pilih jenis laporan yang tersedia."),
    ("kontak", "bukan kontak", "Tulis alamat email atau nomor HP yang benar"),
    ("lat", "abc", "Lintang harus berupa angka."),
    ("lat", "95", "Lintang harus antara -90 dan 90."),
])
def test_each_field_is_validated_with_an_indonesian_message(client, demo, field, value, message):
    data = form_data(client, **{field: value})
    if field == "lat":
        data["lon"] = "106.15"
    response = client.post("/lapor", data=data)
    assert response.status_code == 422
    assert message in response.text
    # Everything else the citizen typed is still there.
    assert VALID["lokasi"] in response.text
    assert Complaint.select().count() == 0


def test_lat_without_lon_is_refused(client, demo):
    response = client.post("/lapor", data=form_data(client, lat="-6.12"))
    assert "Isi lintang dan bujur bersama-sama" in response.text


def test_comma_decimal_coordinates_are_accepted(client, demo):
    client.post("/lapor", data=form_data(client, lat="-6,12", lon="106,15"))
    complaint = Complaint.get()
    assert (complaint.lat, complaint.lon) == (-6.12, 106.15)


def test_missing_csrf_token_is_400_and_keeps_the_text(client, demo):
    data = form_data(client)
    del data["csrf_token"]
    response = client.post("/lapor", data=data)
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in response.text
    assert VALID["isi"] in response.text
    assert Complaint.select().count() == 0
    # The re-rendered form carries a fresh token that works.
    retry = {**data, **hidden_fields(response.text)}
    assert client.post("/lapor", data=retry).status_code == 303


def test_wrong_csrf_token_is_400(client, demo):
    response = client.post("/lapor", data=form_data(client, csrf_token="forged"))
    assert response.status_code == 400 and Complaint.select().count() == 0


def test_upload_over_the_limit_is_413_in_indonesian(client, demo, app):
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    data = form_data(client)
    data["foto"] = [(io.BytesIO(b"\0" * 60_000), "besar.jpg")]
    response = client.post("/lapor", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "terlalu besar" in response.text


def test_same_form_twice_makes_one_complaint(client, demo):
    data = form_data(client)
    first = client.post("/lapor", data=data)
    second = client.post("/lapor", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert Complaint.select().count() == 1
    assert TimelineEvent.select().count() == 1


def test_lookup_redirects_ignoring_case_spaces_and_dashes(client, demo):
    client.post("/lapor", data=form_data(client))
    code = Complaint.get().code
    typed = f" {code[:5].lower()} - {code[5:].lower()} "
    response = client.get("/lacak", query_string={"kode": typed})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/lacak/{code[:5]}-{code[5:]}"


def test_tracking_url_without_dash_redirects_to_canonical(client, demo):
    client.post("/lapor", data=form_data(client))
    code = Complaint.get().code
    response = client.get(f"/lacak/{code.lower()}")
    assert response.status_code == 301 and response.headers["Location"].endswith(f"{code[:5]}-{code[5:]}")


def test_malformed_code_is_explained(client, demo):
    response = client.get("/lacak", query_string={"kode": "123"})
    assert response.status_code == 400
    assert "10 huruf/angka" in response.text


def test_unknown_code_is_404_page_in_indonesian(client, demo):
    response = client.get("/lacak/ABCDE-12345")
    assert response.status_code == 404
    assert "tidak ditemukan" in response.text


def test_unknown_photo_is_404(client, demo):
    assert client.get("/foto/" + "0" * 32 + ".jpg").status_code == 404
    assert client.get("/foto/..%2Fconfig.py").status_code == 404


CITIZEN_PAGES = ["/", "/lapor", "/lacak", "/lacak?kode=x"]


def test_citizen_pages_load_no_framework_and_at_most_one_small_script(client, demo):
    """The form's script (photo shrinking, "use my location") is the only
    one, and it is optional (the browser test submits with JavaScript off)."""
    client.post("/lapor", data=form_data(client))
    for url in CITIZEN_PAGES + [f"/lacak/{Complaint.get().display_code}"]:
        scripts = re.findall(r"<script[^>]*>", client.get(url).text)
        expected = [r'<script src="/static/shrink.js\?v=[0-9a-f]+" defer>'] if url == "/lapor" else []
        assert len(scripts) == len(expected), url
        assert all(re.fullmatch(e, s) for e, s in zip(expected, scripts, strict=False)), scripts
        assert "htmx" not in client.get(url).text
    # What travels on a slow phone connection: the script gzipped.
    assert len(gzip.compress(client.get("/static/shrink.js").data)) < 3072


def test_citizen_pages_fit_one_tcp_initial_window_with_gzip(client, demo):
    """HTML plus CSS as sent with gzip, at most 14 KB each."""
    data = form_data(client, isi="Lampu jalan mati. " * 250)
    data["foto"] = [(io.BytesIO(image_bytes("PNG")), f"{i}.png") for i in range(3)]
    client.post("/lapor", data=data, content_type="multipart/form-data")
    headers = {"Accept-Encoding": "gzip"}
    css = client.get("/static/aduan.css", headers=headers)
    assert css.headers.get("Content-Encoding") == "gzip"
    for url in CITIZEN_PAGES + [f"/lacak/{Complaint.get().display_code}"]:
        page = client.get(url, headers=headers)
        if page.status_code == 200:
            assert page.headers.get("Content-Encoding") == "gzip", url
            assert gzip.decompress(page.data)  # really gzip
        assert len(page.data) + len(css.data) <= 14 * 1024, url


def test_english_is_available_and_remembered(client, demo):
    assert "Buat laporan" in client.get("/lapor").text
    english = client.get("/lapor?lang=en")
    assert "Make a report" in english.text and 'lang="en"' in english.text
    assert "Make a report" in client.get("/lapor").text  # cookie remembers
    assert "Buat laporan" in client.get("/lapor?lang=id").text
