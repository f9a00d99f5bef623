"""Staff login and logout: /staf/masuk and /staf/keluar."""
from conftest import hidden_fields, make_test_app
from portal.db import database


def _try(client, username, password, next_url=None):
    page = client.get("/staf/masuk")
    data = {"username": username, "password": password, **hidden_fields(page.get_data(as_text=True))}
    return client.post("/staf/masuk" + (f"?next={next_url}" if next_url else ""), data=data)


def test_login_sets_a_safe_session_cookie_and_logout_ends_it(app, demo, client):
    response = _try(client, "operator.dpupr", demo["operator.dpupr"])
    assert response.status_code == 303 and response.headers["Location"].endswith("/staf/antrean")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert client.get("/staf/antrean").status_code == 200
    token = hidden_fields(client.get("/staf/keluar").get_data(as_text=True))
    assert client.post("/staf/keluar", data=token).status_code == 303
    assert client.get("/staf/antrean").status_code == 302


def test_secure_cookie_behind_https(tmp_path, monkeypatch):
    monkeypatch.setenv("ADUAN_SESSION_COOKIE_SECURE", "1")
    app = make_test_app(tmp_path)
    try:
        assert app.config["SESSION_COOKIE_SECURE"] is True
    finally:
        database.close()


def test_wrong_password_and_unknown_user_get_the_same_message(app, demo, client):
    for username in ("operator.dpupr", "tidak.ada"):
        response = _try(client, username, "salah-sekali")
        assert response.status_code == 401
        assert "Nama pengguna atau kata sandi salah." in response.get_data(as_text=True)


def test_next_only_goes_to_this_site(app, demo, client):
    inside = _try(client, "admin", demo["admin"], next_url="/staf/aduan/ABCDE-12345")
    assert inside.headers["Location"].endswith("/staf/aduan/ABCDE-12345")
    outside = _try(app.test_client(), "admin", demo["admin"], next_url="//evil.example/")
    assert outside.headers["Location"].endswith("/staf/antrean")


def test_empty_form_gets_indonesian_messages(app, client):
    page = client.get("/staf/masuk")
    response = client.post("/staf/masuk", data=hidden_fields(page.get_data(as_text=True)))
    assert response.status_code == 422
    assert "Nama pengguna wajib diisi." in response.get_data(as_text=True)


def test_deactivated_account_cannot_log_in(app, demo, client):
    from portal.accounts.models import User

    with app.app_context():
        User.update(active=False).where(User.username == "kabid.lalin").execute()
    assert _try(client, "kabid.lalin", demo["kabid.lalin"]).status_code == 401
