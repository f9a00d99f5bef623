"""The citizen pages help: required fields marked, meanings of the rating,
before/after photos, a language link that keeps the page, an icon."""
import re

from staff_helpers import advance, new_complaint


def test_required_fields_are_marked_before_any_submit(client, demo):
    page = client.get("/lapor").text
    required = re.findall(r'<label class="required" for="(\w+)"', page)
    assert required == ["judul", "isi", "kategori"]
    assert 'aria-required="true"' in page
    assert "Kolom bertanda * wajib diisi." in page


def test_contact_and_coordinates_say_what_they_want(client, demo):
    page = client.get("/lapor").text
    assert 'autocomplete="tel"' in page and 'autocomplete="email"' not in page
    assert "Contoh: -6.1201" in page and 'data-label="Gunakan lokasi saya"' in page


def test_plain_language_help_names_the_deadlines_and_the_options(client, demo):
    page = client.get("/lapor").text
    assert "Apa yang terjadi setelah saya melapor?" in page
    assert "14 hari kerja" in page and "Anonim:" in page and "Rahasia:" in page


def test_the_language_link_keeps_the_page_and_its_query(client, demo):
    page = client.get("/lacak?kode=ABCDE").text
    assert 'href="/lacak?kode=ABCDE&amp;lang=en"' in page
    english = client.get("/lacak?kode=ABCDE&lang=en")
    assert 'href="/lacak?kode=ABCDE&amp;lang=id"' in english.text
    # ...and the choice is remembered.
    assert "lang=en" in english.headers["Set-Cookie"]


def test_the_tab_has_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_the_rating_says_what_1_and_5_mean_and_photos_say_before_and_after(app, client, demo,
                                                                          tmp_path):
    import io

    from PIL import Image

    from portal.complaints.photos import store_photo

    def stored(color):
        buffer = io.BytesIO()
        Image.new("RGB", (40, 30), color).save(buffer, "JPEG")
        buffer.seek(0)
        return store_photo(buffer, app.config["UPLOAD_FOLDER"])

    from portal.complaints import service as complaints

    with app.app_context():
        complaint = new_complaint()
        complaints.attach(complaint, stored("gray"))
        advance(complaint, "selesai", stored_photo=stored("green"))
        code = complaint.display_code
    page = client.get(f"/lacak/{code}").text
    assert "1 = sangat tidak puas" in page and "5 = sangat puas" in page
    assert "Foto pelapor (sebelum)" in page and "Foto tindak lanjut (sesudah)" in page


def test_public_pages_in_english_name_categories_and_opds_in_english(app, client, demo):
    from portal.directory.models import Opd

    form = client.get("/lapor?lang=en").text
    assert "Damaged roads" in form and "Jalan rusak" not in form
    with app.app_context():
        complaint = new_complaint()
        advance(complaint, "diteruskan")
        code = complaint.display_code
    page = client.get(f"/lacak/{code}?lang=en").text
    assert "Damaged roads" in page and "Public Works and Spatial Planning Agency" in page
    assert "Forwarded" in page or "OPD" in page
    indonesian = client.get(f"/lacak/{code}?lang=id").text
    assert "Jalan rusak" in indonesian and "Dinas Pekerjaan Umum" in indonesian
    # Without an English name the Indonesian one stands.
    with app.app_context():
        Opd.update(name_en="").execute()
    assert "Dinas Pekerjaan Umum" in client.get(f"/lacak/{code}?lang=en").text


def test_the_admin_gives_a_category_its_english_name(app, client, demo):
    from portal.directory.models import Category
    from staff_helpers import csrf, login

    login(client, "admin", demo["admin"])
    with app.app_context():
        parking = Category.get(Category.name == "Parkir")
    url = f"/staf/admin/kategori/{parking.id}"
    assert 'name="nama_en"' in client.get(url).text
    response = client.post(url, data={"csrf_token": csrf(client, url), "nama": "Parkir",
                                      "nama_en": "Parking and towing", "opd": "", "tingkat": ""})
    assert response.status_code in (200, 303)
    with app.app_context():
        assert Category.get_by_id(parking.id).name_en == "Parking and towing"


def test_the_reporter_is_named_in_the_readers_language(app, client, demo):
    from staff_helpers import login

    with app.app_context():
        code = new_complaint().display_code
    login(client, "admin", demo["admin"])
    assert "— Reporter" in client.get(f"/staf/aduan/{code}?lang=en").text
    assert "— Pelapor" in client.get(f"/staf/aduan/{code}?lang=id").text
