"""Renaming and deleting OPDs, bidang and categories: never orphaning history."""
import pytest

from portal.accounts.models import User
from portal.admin import directory
from portal.complaints.dispositions import Disposition
from portal.complaints.models import Complaint
from portal.directory.models import Bidang, Category, Opd
from portal.directory.response_templates import ResponseTemplate
from staff_helpers import advance, new_complaint


def test_renaming_an_opd_keeps_its_code_unique(app, demo):
    with app.test_request_context():
        dishub = Opd.get(Opd.code == "DISHUB")
        directory.update_opd(dishub, " dishub2 ", "Dinas Perhubungan Kota")
        assert Opd.get_by_id(dishub.id).code == "DISHUB2"
        with pytest.raises(directory.DirectoryError) as refused:
            directory.update_opd(dishub, "dpupr", "Apa saja")
        assert refused.value.field == "kode" and "sudah dipakai" in refused.value.message
        assert Opd.get_by_id(dishub.id).code == "DISHUB2"


def test_a_bidang_name_is_unique_within_its_opd(app, demo):
    with app.test_request_context():
        lalin = Bidang.get(Bidang.name == "Bidang Lalu Lintas")
        with pytest.raises(directory.DirectoryError):
            directory.update_bidang(lalin, "Bidang Perparkiran")
        directory.update_bidang(lalin, "Bidang Lalu Lintas Jalan")
        assert Bidang.get_by_id(lalin.id).name == "Bidang Lalu Lintas Jalan"


def test_category_edit_checks_severity_and_name(app, demo):
    with app.test_request_context():
        parkir = Category.get(Category.name == "Parkir")
        dlh = Opd.get(Opd.code == "DLH")
        with pytest.raises(directory.DirectoryError) as refused:
            directory.update_category(parkir, "Parkir", dlh, "parah")
        assert refused.value.field == "tingkat"
        with pytest.raises(directory.DirectoryError):
            directory.update_category(parkir, "Jalan rusak", dlh, "")
        directory.update_category(parkir, "Parkir liar", None, "ringan")
        fresh = Category.get_by_id(parkir.id)
        assert (fresh.name, fresh.default_opd_id, fresh.default_severity) == ("Parkir liar", None, "ringan")


def test_what_is_still_used_cannot_be_deleted(app, demo):
    with app.test_request_context():
        complaint = advance(new_complaint(), "didisposisi")
        dpupr, binamarga = Opd.get(Opd.code == "DPUPR"), Bidang.get(Bidang.name == "Bidang Bina Marga")
        jalan = Category.get(Category.name == "Jalan rusak")
        before = (Opd.select().count(), Bidang.select().count(), Category.select().count())
        for remove, row in ((directory.delete_opd, dpupr), (directory.delete_bidang, binamarga),
                            (directory.delete_category, jalan)):
            with pytest.raises(directory.DirectoryError) as refused:
                remove(row)
            assert "tidak dapat dihapus" in refused.value.message
        assert (Opd.select().count(), Bidang.select().count(), Category.select().count()) == before
        assert Complaint.get_by_id(complaint.id).opd_id == dpupr.id
        assert Disposition.select().where(Disposition.bidang == binamarga).count() == 1
        # A category with templates keeps them until they are removed first.
        lainnya = Category.get(Category.name == "Lainnya")
        ResponseTemplate.create(title="Umum", body="Terima kasih.", category=lainnya)
        with pytest.raises(directory.DirectoryError, match="templat"):
            directory.delete_category(lainnya)


def test_unused_rows_are_deleted(app, demo):
    with app.test_request_context():
        sda = Bidang.get(Bidang.name == "Bidang Sumber Daya Air")
        directory.delete_bidang(sda)
        assert Bidang.get_or_none(Bidang.id == sda.id) is None
        opd = Opd.create(code="BPBD", name="Badan Penanggulangan Bencana Daerah")
        Bidang.create(opd=opd, name="Bidang Kedaruratan")
        directory.delete_opd(opd)
        assert not Opd.select().where(Opd.code == "BPBD").exists()
        assert not Bidang.select().where(Bidang.name == "Bidang Kedaruratan").exists()
        lainnya = Category.get(Category.name == "Lainnya")
        directory.delete_category(lainnya)
        assert Category.get_or_none(Category.id == lainnya.id) is None


def test_an_opd_whose_staff_remain_is_kept(app, demo):
    with app.test_request_context():
        dinkes = Opd.get(Opd.code == "DINKES")
        Category.update(default_opd=None).where(Category.default_opd == dinkes).execute()
        User.create(username="operator.dinkes", password_hash="x", role="operator", opd=dinkes)
        with pytest.raises(directory.DirectoryError, match="akun"):
            directory.delete_opd(dinkes)
