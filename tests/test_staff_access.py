"""Every staff URL sends an anonymous visitor to the login page, whatever the method."""
import re

from conftest import hidden_fields

OPEN_TO_ALL = ("/staf/masuk", "/staf/keluar")


def staff_urls(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/staf") and not rule.rule.startswith(OPEN_TO_ALL):
            url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "ABCDE-12345" if m[1] == "kode" else "1",
                         rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, url


def test_anonymous_visitors_meet_the_login_page_everywhere(app, client):
    urls = list(staff_urls(app))
    assert len(urls) > 30  # the whole staff area, not a handful
    token = hidden_fields(client.get("/staf/masuk").text)["csrf_token"]
    for method, url in urls:
        response = client.open(url, method=method, data={"csrf_token": token})
        assert response.status_code in (302, 303), (method, url, response.status_code)
        assert response.headers["Location"].startswith("/staf/masuk"), (method, url)


def test_only_admins_open_the_admin_area(app, demo, client):
    from staff_helpers import csrf, login

    admin_urls = [(m, u) for m, u in staff_urls(app) if u.startswith("/staf/admin")]
    assert len(admin_urls) > 15
    for username in ("operator.dpupr", "pimpinan.dpupr", "kabid.binamarga", "auditor"):
        login(client, username, demo[username])
        token = csrf(client)
        for method, url in admin_urls:
            response = client.open(url, method=method, data={"csrf_token": token})
            assert response.status_code == 403, (username, method, url, response.status_code)
