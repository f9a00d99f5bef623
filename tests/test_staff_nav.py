"""One staff navigation: every staff page extends the same base, and each
role sees links to exactly what it may open."""
import re

import pytest

from portal.accounts.models import User
from portal.notifications import service as notifications

ADMIN_LINKS = ["/staf/admin/", "/staf/admin/sla", "/staf/admin/hari-libur",
               "/staf/admin/jam-buka", "/staf/admin/konektor/"]
NAV = re.compile(r'<span class="staff-nav".*?</form>\s*</span>', re.S)


def login_as(client, app, username):
    with app.app_context():
        user_id = User.get(User.username == username).id
    with client.session_transaction() as session:
        session["user_id"] = user_id
        session["gen"] = 0  # a new account is at session generation 0


def nav_of(html):
    match = NAV.search(html)
    assert match, "the staff navigation is missing"
    return match.group(0)


def staff_pages(app):
    """Every GET page under /staf without URL arguments."""
    return sorted({rule.rule for rule in app.url_map.iter_rules()
                   if rule.rule.startswith("/staf") and "GET" in rule.methods
                   and not rule.arguments and rule.rule not in ("/staf/", "/staf/masuk",
                                                                  "/staf/keluar", "/staf/sw.js")})


def test_every_staff_page_carries_the_one_nav_with_every_admin_link(app, demo, client):
    login_as(client, app, "admin")
    pages = staff_pages(app)
    assert set(ADMIN_LINKS) | {"/staf/antrean", "/staf/notifikasi"} <= set(pages)
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        nav = nav_of(response.get_data(as_text=True))
        for link in ADMIN_LINKS + ["/staf/antrean", "/staf/notifikasi"]:
            assert f'href="{link}"' in nav, (path, link)
        assert 'aria-current="page"' in nav, path


@pytest.mark.parametrize("username", ["auditor", "operator.dpupr", "kabid.binamarga"])
def test_non_admins_see_no_admin_link(app, demo, client, username):
    login_as(client, app, username)
    for path in ("/staf/antrean", "/staf/notifikasi"):
        html = client.get(path).get_data(as_text=True)
        nav = nav_of(html)
        assert 'href="/staf/antrean"' in nav and 'href="/staf/notifikasi"' in nav
        assert "/staf/admin" not in html
    assert client.get("/staf/admin/konektor/").status_code in (302, 403)


def test_nav_shows_the_unread_count(app, demo, client):
    with app.app_context():
        operator = User.get(User.username == "operator.dpupr")
        for n in range(3):
            notifications.create(f"t:{n}", notifications.APP, f"Pesan {n}", user=operator,
                                 kind="pengingat")
        notifications.mark_read(operator, notifications.inbox(operator)[0].id)
    login_as(client, app, "operator.dpupr")
    nav = nav_of(client.get("/staf/antrean").get_data(as_text=True))
    assert re.search(r'href="/staf/notifikasi">Notifikasi <span class="count"[^>]*>2</span>', nav)


def test_htmx_fragments_carry_no_nav_and_vary_on_hx_request(app, demo, client):
    login_as(client, app, "admin")
    for path in ("/staf/antrean", "/staf/notifikasi", "/staf/admin/sla"):
        full = client.get(path)
        fragment = client.get(path, headers={"HX-Request": "true"})
        assert "HX-Request" in fragment.headers["Vary"] and "HX-Request" in full.headers["Vary"]
        assert "staff-nav" in full.get_data(as_text=True)
        assert "staff-nav" not in fragment.get_data(as_text=True), path


@pytest.mark.browser
def test_admin_reaches_every_admin_page_from_the_nav(page, live_server, demo):
    page.goto(f"{live_server}/staf/masuk")
    page.fill("#username", "admin")
    page.fill("#password", demo["admin"])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/staf/antrean"))
    for label, heading in (("Konektor", "Konektor kanal"), ("SLA", "Batas waktu layanan"),
                           ("Hari libur", "Hari libur"), ("Jam buka", "Jam buka antrean"),
                           ("Pengaturan", "Pengaturan"), ("Notifikasi", "Notifikasi"),
                           ("Antrean", "Antrean aduan")):
        page.locator(".staff-nav a", has_text=label).first.click()
        page.locator("h1", has_text=heading).wait_for()
        assert page.locator('.staff-nav a[aria-current="page"]').inner_text().startswith(label)
