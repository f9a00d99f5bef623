"""The admin edits and deletes OPDs, bidang, categories, templates and accounts."""
import re

from portal.accounts import users as accounts
from portal.accounts.models import User
from portal.directory.models import Bidang, Category, Opd
from portal.directory.response_templates import ResponseTemplate
from staff_helpers import advance, csrf, login, new_complaint


def _admin(client, demo):
    login(client, "admin", demo["admin"])
    return csrf(client, "/staf/admin/")


def test_the_overview_links_every_row_to_its_edit_page(app, demo, client):
    _admin(client, demo)
    page = client.get("/staf/admin/").get_data(as_text=True)
    with app.app_context():
        dishub = Opd.get(Opd.code == "DISHUB")
        lalin = Bidang.get(Bidang.name == "Bidang Lalu Lintas")
        kabid = User.get(User.username == "kabid.lalin")
    for path in (f"/staf/admin/opd/{dishub.id}", f"/staf/admin/bidang/{lalin.id}",
                 f"/staf/admin/pengguna/{kabid.id}"):
        assert f'href="{path}"' in page
        assert client.get(path).status_code == 200


def test_renaming_an_opd_to_a_taken_code_is_refused_beside_the_field(app, demo, client):
    token = _admin(client, demo)
    with app.app_context():
        dishub = Opd.get(Opd.code == "DISHUB")
    refused = client.post(f"/staf/admin/opd/{dishub.id}",
                          data={"kode": "dpupr", "nama": "Dinas Baru", "csrf_token": token})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert re.search(r'id="f-kode-err">Kode DPUPR sudah dipakai OPD lain', html)
    assert 'value="Dinas Baru"' in html  # the input is kept
    saved = client.post(f"/staf/admin/opd/{dishub.id}",
                        data={"kode": "dishub", "nama": "Dinas Perhubungan Kota Serang",
                              "csrf_token": token})
    assert saved.status_code == 303
    with app.app_context():
        assert Opd.get_by_id(dishub.id).name == "Dinas Perhubungan Kota Serang"


def test_editing_without_csrf_is_refused(app, demo, client):
    _admin(client, demo)
    with app.app_context():
        dishub = Opd.get(Opd.code == "DISHUB")
    response = client.post(f"/staf/admin/opd/{dishub.id}", data={"kode": "X", "nama": "Y"})
    assert response.status_code == 400
    with app.app_context():
        assert Opd.get_by_id(dishub.id).code == "DISHUB"


def test_deleting_a_used_opd_says_why_and_an_unused_bidang_goes(app, demo, client):
    token = _admin(client, demo)
    with app.app_context():
        advance(new_complaint(), "diteruskan")
        dpupr = Opd.get(Opd.code == "DPUPR")
        sda = Bidang.get(Bidang.name == "Bidang Sumber Daya Air")
    refused = client.post(f"/staf/admin/opd/{dpupr.id}/hapus", data={"csrf_token": token})
    assert refused.status_code == 409
    assert "tidak dapat dihapus: masih dipakai oleh 1 aduan" in refused.get_data(as_text=True)
    assert client.post(f"/staf/admin/bidang/{sda.id}/hapus",
                       data={"csrf_token": token}).status_code == 303
    with app.app_context():
        assert Opd.get_or_none(Opd.id == dpupr.id) is not None
        assert Bidang.get_or_none(Bidang.id == sda.id) is None


def test_category_and_template_edits(app, demo, client):
    token = _admin(client, demo)
    with app.app_context():
        parkir = Category.get(Category.name == "Parkir")
        dlh = Opd.get(Opd.code == "DLH")
        template = ResponseTemplate.create(title="Ditangani", body="Tim sudah turun.")
    bad = client.post(f"/staf/admin/kategori/{parkir.id}",
                      data={"nama": "", "opd": str(dlh.id), "tingkat": "berat", "csrf_token": token})
    assert bad.status_code == 422 and "Nama kategori wajib diisi." in bad.get_data(as_text=True)
    assert client.post(f"/staf/admin/kategori/{parkir.id}",
                       data={"nama": "Parkir liar", "opd": str(dlh.id), "tingkat": "berat",
                             "csrf_token": token}).status_code == 303
    assert client.post(f"/staf/admin/templat/{template.id}",
                       data={"judul": "Sudah ditangani", "isi": "Tim sudah turun ke lokasi.",
                             "kategori": str(parkir.id), "csrf_token": token}).status_code == 303
    with app.app_context():
        fresh = Category.get_by_id(parkir.id)
        assert (fresh.name, fresh.default_opd_id, fresh.default_severity) == ("Parkir liar", dlh.id, "berat")
        assert ResponseTemplate.get_by_id(template.id).category_id == parkir.id
    assert client.post(f"/staf/admin/templat/{template.id}/hapus",
                       data={"csrf_token": token}).status_code == 303
    with app.app_context():
        assert ResponseTemplate.get_or_none(ResponseTemplate.id == template.id) is None


def test_user_edit_follows_the_create_user_rules(app, demo, client):
    token = _admin(client, demo)
    with app.app_context():
        kabid = User.get(User.username == "kabid.lalin")
        dishub, dpupr = Opd.get(Opd.code == "DISHUB"), Opd.get(Opd.code == "DPUPR")
        binamarga = Bidang.get(Bidang.name == "Bidang Bina Marga")
    form = {"nama": "Budi", "email": "budi@serangkota.go.id", "role": "kabid",
            "opd": str(dishub.id), "bidang": str(binamarga.id), "csrf_token": token}
    wrong_bidang = client.post(f"/staf/admin/pengguna/{kabid.id}", data=form)
    assert wrong_bidang.status_code == 422
    assert "bukan bagian dari DISHUB" in wrong_bidang.get_data(as_text=True)
    no_opd = client.post(f"/staf/admin/pengguna/{kabid.id}",
                         data={**form, "role": "operator", "opd": ""})
    assert no_opd.status_code == 422 and "memerlukan OPD" in no_opd.get_data(as_text=True)
    bad_mail = client.post(f"/staf/admin/pengguna/{kabid.id}", data={**form, "email": "budi@"})
    assert bad_mail.status_code == 422 and 'value="budi@"' in bad_mail.get_data(as_text=True)
    moved = client.post(f"/staf/admin/pengguna/{kabid.id}",
                        data={**form, "opd": str(dpupr.id)})
    assert moved.status_code == 303
    with app.app_context():
        fresh = User.get_by_id(kabid.id)
        assert (fresh.full_name, fresh.email, fresh.opd_id, fresh.bidang_id) == (
            "Budi", "budi@serangkota.go.id", dpupr.id, binamarga.id)
    # An admin sits city-wide: OPD and bidang are dropped, not kept stale.
    client.post(f"/staf/admin/pengguna/{kabid.id}", data={**form, "role": "auditor"})
    with app.app_context():
        fresh = User.get_by_id(kabid.id)
        assert (fresh.role, fresh.opd_id, fresh.bidang_id) == ("auditor", None, None)


def test_password_reset_is_shown_once_and_works(app, demo, client):
    token = _admin(client, demo)
    with app.app_context():
        operator = User.get(User.username == "operator.dishub")
    response = client.post(f"/staf/admin/pengguna/{operator.id}/sandi", data={"csrf_token": token})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    password = re.search(r'<code class="secret">([^<]+)</code>', response.get_data(as_text=True))[1]
    with app.app_context():
        fresh = User.get_by_id(operator.id)
        assert accounts.check_password(fresh, password)
        assert not accounts.check_password(fresh, demo["operator.dishub"])
    assert password not in client.get(f"/staf/admin/pengguna/{operator.id}").get_data(as_text=True)
    login(client, "operator.dishub", password)


def test_a_deactivated_account_is_reactivated(app, demo, client):
    token = _admin(client, demo)
    with app.app_context():
        operator = User.get(User.username == "operator.dishub")
    for expected in (False, True):
        client.post(f"/staf/admin/pengguna/{operator.id}/aktif", data={"csrf_token": token})
        with app.app_context():
            assert User.get_by_id(operator.id).active is expected
    login(client, "operator.dishub", demo["operator.dishub"])


def test_only_admins_edit(app, demo, client):
    login(client, "operator.dishub", demo["operator.dishub"])
    with app.app_context():
        dishub = Opd.get(Opd.code == "DISHUB")
    assert client.get(f"/staf/admin/opd/{dishub.id}").status_code == 403
    assert client.get("/staf/admin/opd/99999").status_code == 403
