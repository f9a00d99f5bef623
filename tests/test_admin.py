"""City admin settings: OPDs, bidang, categories, accounts, templates."""
from portal.accounts.models import User
from portal.directory.models import Bidang, Category, Opd
from portal.directory.response_templates import ResponseTemplate
from staff_helpers import csrf, login


def test_admin_adds_the_things_the_workflow_needs(app, demo, client):
    login(client, "admin", demo["admin"])
    token = csrf(client, "/staf/admin/")
    post = lambda what, **data: client.post(f"/staf/admin/{what}", data={**data, "csrf_token": token})  # noqa: E731
    assert post("opd", kode="bpbd", nama="Badan Penanggulangan Bencana Daerah").status_code == 303
    with app.app_context():
        opd = Opd.get(Opd.code == "BPBD")
    assert post("bidang", opd=str(opd.id), nama="Bidang Kedaruratan").status_code == 303
    assert post("kategori", nama="Bencana", opd=str(opd.id)).status_code == 303
    with app.app_context():
        bidang = Bidang.get(Bidang.name == "Bidang Kedaruratan")
        category = Category.get(Category.name == "Bencana")
        assert category.default_opd_id == opd.id
    assert post("pengguna", username="kabid.darurat", password="panjang-sekali", role="kabid",
                opd=str(opd.id), bidang=str(bidang.id)).status_code == 303
    assert post("templat", judul="Sudah ditangani", isi="Tim sudah turun ke lokasi.",
                kategori=str(category.id)).status_code == 303
    with app.app_context():
        assert User.get(User.username == "kabid.darurat").bidang_id == bidang.id
        assert ResponseTemplate.get().category_id == category.id
    duplicate = post("opd", kode="BPBD", nama="Lagi")
    assert duplicate.status_code == 409 and "sudah ada" in duplicate.get_data(as_text=True)
    missing = post("bidang", nama="Tanpa OPD")
    assert missing.status_code == 422 and "Pilih OPD" in missing.get_data(as_text=True)


def test_admin_deactivates_an_account(app, demo, client):
    login(client, "admin", demo["admin"])
    with app.app_context():
        target = User.get(User.username == "operator.dishub")
    response = client.post(f"/staf/admin/pengguna/{target.id}/aktif",
                           data={"csrf_token": csrf(client, "/staf/admin/")})
    assert response.status_code == 303
    with app.app_context():
        assert User.get_by_id(target.id).active is False


def test_only_admins_manage(app, demo, client):
    for username in ("operator.dpupr", "auditor"):
        login(client, username, demo[username])
        assert client.get("/staf/admin/").status_code == 403
