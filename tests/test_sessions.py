"""Staff sessions end when they should: a cookie captured before logout,
a password reset, a deactivation or an admin's "Akhiri semua sesi" is
refused afterwards, although it is still validly signed and unexpired."""
from conftest import hidden_fields
from portal.accounts.models import User
from staff_helpers import csrf, login


def _captured(app, demo, username="operator.dpupr"):
    """A logged-in client and a copy of its session cookie."""
    client = app.test_client()
    login(client, username, demo[username])
    cookie = client.get_cookie("session").value
    return client, cookie


def _replay(app, cookie):
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/staf/antrean")


def _admin(app, demo):
    admin = app.test_client()
    login(admin, "admin", demo["admin"])
    return admin


def _user_id(app, username):
    with app.app_context():
        return User.get(User.username == username).id


def test_a_captured_cookie_works_until_logout(app, demo):
    client, cookie = _captured(app, demo)
    assert _replay(app, cookie).status_code == 200
    token = hidden_fields(client.get("/staf/keluar").get_data(as_text=True))
    assert client.post("/staf/keluar", data=token).status_code == 303
    replay = _replay(app, cookie)
    assert replay.status_code == 302 and "/staf/masuk" in replay.headers["Location"]


def test_password_reset_ends_the_sessions(app, demo):
    _client, cookie = _captured(app, demo)
    admin = _admin(app, demo)
    user_id = _user_id(app, "operator.dpupr")
    page = f"/staf/admin/pengguna/{user_id}"
    assert admin.post(f"{page}/sandi", data={"csrf_token": csrf(admin, page)}).status_code == 200
    assert _replay(app, cookie).status_code == 302


def test_deactivation_ends_the_sessions_and_reactivation_does_not_revive_them(app, demo):
    _client, cookie = _captured(app, demo)
    admin = _admin(app, demo)
    user_id = _user_id(app, "operator.dpupr")
    toggle = f"/staf/admin/pengguna/{user_id}/aktif"
    token = csrf(admin, "/staf/admin/")
    assert admin.post(toggle, data={"csrf_token": token}).status_code == 303
    assert _replay(app, cookie).status_code == 302
    assert admin.post(toggle, data={"csrf_token": token}).status_code == 303  # active again
    assert _replay(app, cookie).status_code == 302


def test_admin_ends_all_sessions_of_an_account(app, demo):
    client, cookie = _captured(app, demo)
    other_device, other_cookie = _captured(app, demo)
    admin = _admin(app, demo)
    user_id = _user_id(app, "operator.dpupr")
    page = f"/staf/admin/pengguna/{user_id}"
    assert "Akhiri semua sesi" in admin.get(page).get_data(as_text=True)
    done = admin.post(f"{page}/sesi", data={"csrf_token": csrf(admin, page)})
    assert done.status_code == 303
    assert _replay(app, cookie).status_code == 302
    assert _replay(app, other_cookie).status_code == 302
    assert client.get("/staf/antrean").status_code == 302
    # The admin's own session is untouched, and the account can log in again.
    assert admin.get("/staf/antrean").status_code == 200
    login(client, "operator.dpupr", demo["operator.dpupr"])
    assert client.get("/staf/antrean").status_code == 200


def test_only_an_admin_may_end_sessions(app, demo):
    client, _cookie = _captured(app, demo)
    user_id = _user_id(app, "admin")
    answer = client.post(f"/staf/admin/pengguna/{user_id}/sesi",
                         data={"csrf_token": csrf(client)})
    assert answer.status_code == 403
