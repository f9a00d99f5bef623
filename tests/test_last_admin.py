"""The city always keeps one active admin: the last one can be neither
demoted nor deactivated (by themselves or anyone)."""
from portal.accounts.models import User
from staff_helpers import csrf, login


def _admin_id(app):
    with app.app_context():
        assert User.select().where((User.role == "admin") & User.active).count() == 1
        return User.get(User.username == "admin").id


def test_last_admin_cannot_be_deactivated(app, demo, client):
    login(client, "admin", demo["admin"])
    user_id = _admin_id(app)
    answer = client.post(f"/staf/admin/pengguna/{user_id}/aktif",
                         data={"csrf_token": csrf(client, "/staf/admin/")})
    assert answer.status_code == 409
    assert "admin aktif terakhir" in answer.get_data(as_text=True)
    with app.app_context():
        assert User.get_by_id(user_id).active


def test_last_admin_cannot_be_demoted(app, demo, client):
    login(client, "admin", demo["admin"])
    user_id = _admin_id(app)
    page = f"/staf/admin/pengguna/{user_id}"
    answer = client.post(page, data={"csrf_token": csrf(client, page), "nama": "Admin",
                                     "email": "", "role": "auditor", "opd": "", "bidang": ""})
    assert answer.status_code == 422
    assert "admin aktif terakhir" in answer.get_data(as_text=True)
    with app.app_context():
        assert User.get_by_id(user_id).role == "admin"


def test_with_a_second_admin_the_first_may_step_down(app, demo, client):
    login(client, "admin", demo["admin"])
    with app.app_context():
        User.update(role="admin").where(User.username == "auditor").execute()
        user_id = User.get(User.username == "admin").id
    page = f"/staf/admin/pengguna/{user_id}"
    answer = client.post(page, data={"csrf_token": csrf(client, page), "nama": "Admin",
                                     "email": "", "role": "auditor", "opd": "", "bidang": ""})
    assert answer.status_code == 303
    with app.app_context():
        assert User.get_by_id(user_id).role == "auditor"
