"""The staff's own notification settings page and the citizen form's promise."""
from conftest import hidden_fields
from portal.notifications import preferences
from staff_helpers import login, user


def settings_token(client):
    return hidden_fields(client.get("/staf/notifikasi/pengaturan").get_data(as_text=True))[
        "csrf_token"]


def test_settings_are_stored_and_shown_again(app, client, demo):
    app.config.update(WHATSAPP_TOKEN="t", WHATSAPP_PHONE_NUMBER_ID="1")
    login(client, "pimpinan.dishub", demo["pimpinan.dishub"])
    page = client.get("/staf/notifikasi/pengaturan").get_data(as_text=True)
    assert 'value="whatsapp"' in page and 'value="webpush"' not in page  # no VAPID keys
    response = client.post("/staf/notifikasi/pengaturan", data={
        "csrf_token": settings_token(client), "saluran": "whatsapp", "hp": "0812-3456-7890",
        "tenang_mulai": "21:00", "tenang_selesai": "06:00", "ringkasan": "30"})
    assert response.status_code == 303
    with app.app_context():
        pref = preferences.for_user(user("pimpinan.dishub"))
        assert (pref.channel, pref.phone, pref.batch_minutes) == ("whatsapp", "+6281234567890", 30)
        assert pref.quiet_start.strftime("%H:%M") == "21:00"
    page = client.get("/staf/notifikasi/pengaturan").get_data(as_text=True)
    assert 'value="+6281234567890"' in page and 'value="21:00"' in page
    assert 'value="30" selected' in page


def test_bad_settings_answer_422_with_the_reason(app, client, demo):
    login(client, "operator.dishub", demo["operator.dishub"])
    for data, message in [({"saluran": "email"}, "belum punya alamat email"),
                          ({"saluran": "whatsapp", "hp": "08123"}, "saluran"),
                          ({"saluran": "app", "tenang_mulai": "jam 9",
                            "tenang_selesai": "06:00"}, "tulis jam"),
                          ({"saluran": "app", "ringkasan": "99999"}, "Interval")]:
        response = client.post("/staf/notifikasi/pengaturan",
                               data={"csrf_token": settings_token(client), **data})
        assert response.status_code == 422, data
        assert message in response.get_data(as_text=True)


def test_the_page_needs_a_login(client):
    assert client.get("/staf/notifikasi/pengaturan").status_code in (302, 303)


def test_the_citizen_form_promises_only_configured_channels(app, client, demo):
    page = client.get("/lapor").get_data(as_text=True)
    assert "Ikuti tindak lanjutnya dengan kode pelacakan" in page
    assert 'name="wa"' not in page
    app.config.update(MAIL_SERVER="127.0.0.1", SMS_GATEWAY_URL="http://127.0.0.1:9/sms")
    page = client.get("/lapor").get_data(as_text=True)
    assert "lewat email, SMS." in page and 'name="wa"' not in page
    app.config.update(SMS_GATEWAY_URL=None, WHATSAPP_TOKEN="t", WHATSAPP_PHONE_NUMBER_ID="1")
    page = client.get("/lapor").get_data(as_text=True)
    assert "lewat email, WhatsApp (bila dicentang)." in page and 'name="wa"' in page


def test_whatsapp_opt_in_needs_a_phone_number(app, client, demo):
    app.config.update(WHATSAPP_TOKEN="t", WHATSAPP_PHONE_NUMBER_ID="1",
                      WHATSAPP_API_BASE="http://127.0.0.1:9")
    form = hidden_fields(client.get("/lapor").get_data(as_text=True))
    with app.app_context():
        from portal.directory.models import Category
        category = str(Category.select().first().id)
    data = {**form, "judul": "Lampu jalan mati", "isi": "Lampu PJU mati sejak seminggu lalu.",
            "kategori": category, "klasifikasi": "pengaduan", "kontak": "warga@example.org",
            "wa": "y"}
    response = client.post("/lapor", data=data)
    assert response.status_code == 422
    assert "tulis nomor HP" in response.get_data(as_text=True)
    response = client.post("/lapor", data={**data, "kontak": "0812 3456 7890"})
    assert response.status_code == 303
    with app.app_context():
        from portal.complaints.models import Complaint
        assert Complaint.get().notify_whatsapp is True
