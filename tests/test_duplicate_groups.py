"""Duplicates in bounded work: each arrival meets a capped candidate set,
a group of similar complaints keeps one flag, the admin list pages by key."""
import random
import string

from portal.complaints import service as complaints
from portal.directory.models import Category
from portal.sync import duplicates
from portal.sync.models import DuplicateFlag, DuplicateMember
from staff_helpers import login

PAGE = "/staf/admin/konektor/"
TEXT = ("Lampu penerangan jalan di Jl. Ahmad Yani depan Masjid Agung mati sejak seminggu, "
        "gelap sekali malam hari dan rawan kecelakaan serta pencurian motor warga")


def _noise(seed: int, n: int = 120) -> str:
    rng = random.Random(seed)
    return " ".join("".join(rng.choices(string.ascii_lowercase, k=6)) for _ in range(n // 6))


def test_a_hundred_similar_complaints_make_one_flag_and_a_small_page(app, demo, client):
    with app.app_context():
        category = Category.get(Category.name == "Penerangan Jalan Umum (PJU)")
        for i in range(100):
            complaints.submit({"title": f"Lampu PJU mati ({i})", "body": f"{TEXT} {i}.",
                               "category": category, "reporter_contact": f"warga{i}@example.id"})
        # Without groups every pair among the candidates was a flag (4,950 here).
        assert DuplicateFlag.select().count() <= 100
        assert DuplicateFlag.select().count() == 1
        assert DuplicateMember.select().count() == 100
    login(client, "admin", demo["admin"])
    page = client.get(PAGE)
    assert page.status_code == 200
    assert page.text.count('class="duplicate"') == 1
    assert page.text.count('name="keep"') == duplicates.MEMBERS_SHOWN
    assert "dan 90 laporan lain" in page.text
    assert len(page.data) < 60_000


def test_each_arrival_is_compared_with_a_capped_candidate_set(app, demo, monkeypatch):
    compared = []
    real = duplicates.find_for

    def counting(complaint, days, limit=duplicates.MAX_CANDIDATES):
        same_contact, same_kind = duplicates.candidates(complaint, days, limit)
        compared.append(len(same_contact) + len(same_kind))
        return real(complaint, days, limit)

    monkeypatch.setattr(duplicates, "find_for", counting)
    app.config["SYNC_DUPLICATE_CANDIDATES"] = 7
    with app.app_context():
        for i in range(15):
            complaints.submit({"title": f"Keluhan {i}", "body": _noise(i),
                               "reporter_contact": "0812 3456 7890"})
    assert len(compared) == 15 and max(compared) == 14  # 7 by contact + 7 by kind


def test_the_admin_list_pages_by_key(app, demo, client):
    with app.app_context():
        for group in range(25):  # 25 pairs by contact, texts unlike each other
            for member in range(2):
                complaints.submit({"title": f"Keluhan {group}-{member}",
                                   "body": _noise(group * 10 + member),
                                   "reporter_contact": f"08120000{group:04d}"})
        assert DuplicateFlag.select().count() == 25
        newest = DuplicateFlag.select().order_by(DuplicateFlag.id.desc()).first()
    login(client, "admin", demo["admin"])
    first = client.get(PAGE).text
    assert first.count('class="duplicate"') == duplicates.PAGE_SIZE
    assert f"/duplikat/{newest.id}/gabung" in first
    cursor = newest.id - duplicates.PAGE_SIZE + 1
    assert f'href="/staf/admin/konektor/?duplikat_sebelum={cursor}#duplikat"' in first
    second = client.get(f"{PAGE}?duplikat_sebelum={cursor}").text
    assert second.count('class="duplicate"') == 5 and "Kelompok berikutnya" not in second
    assert f"/duplikat/{newest.id}/gabung" not in second
    for junk in ("abc", "-1", "²", "9" * 40):  # a bad cursor is page one, never a 500
        assert client.get(PAGE, query_string={"duplikat_sebelum": junk}).status_code == 200
