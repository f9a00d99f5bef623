from deadline_helpers import make_city, user
from portal.notifications import service as notifications
from tests.conftest import hidden_fields


def test_staff_see_and_read_their_notifications(client, app):
    with app.app_context():
        make_city()
        admin = user("admin")
        notifications.create("k:1", "app", "Pengingat: aduan ABCDE-12345", user=admin,
                             kind="pengingat", body="Segera verifikasi.",
                             link="http://127.0.0.1:5000/staf/aduan/ABCDE-12345")
        notifications.create("k:2", "app", "Untuk operator", user=user("operator.dishub"),
                             kind="pengingat")
    with client.session_transaction() as session:
        session["user_id"] = admin.id
        session["gen"] = 0  # a new account is at session generation 0
    page = client.get("/staf/notifikasi").get_data(as_text=True)
    assert "Pengingat: aduan ABCDE-12345" in page and "Untuk operator" not in page
    assert 'class="unread"' in page
    client.post("/staf/notifikasi/baca", data={"csrf_token": hidden_fields(page)["csrf_token"]})
    assert 'class="unread"' not in client.get("/staf/notifikasi").get_data(as_text=True)
    with app.app_context():
        assert notifications.unread_count(admin) == 0


def test_an_empty_list_says_so(client, app):
    with app.app_context():
        make_city()
        operator_id = user("operator.dpupr").id
    with client.session_transaction() as session:
        session["user_id"] = operator_id
        session["gen"] = 0  # a new account is at session generation 0
    assert "Belum ada notifikasi" in client.get("/staf/notifikasi").get_data(as_text=True)
