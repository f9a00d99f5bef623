"""Security headers, no-store caching of staff and confidential pages, and
who may fetch which photo."""
import io
import re
from pathlib import Path

import pytest

from conftest import make_test_app
from portal.complaints import service as complaints
from portal.complaints.photos import store_photo
from portal.db import database
from portal.directory.models import Opd
from staff_helpers import login, new_complaint, photo_bytes

TEMPLATES = Path(__file__).resolve().parent.parent / "portal" / "templates"


def test_every_page_carries_the_security_headers(client, demo):
    for path in ("/", "/lapor", "/lacak", "/staf/masuk", "/tidak-ada"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in headers  # plain HTTP


def test_hsts_only_over_https(app, client):
    assert "max-age=" in client.get("/", base_url="https://localhost").headers[
        "Strict-Transport-Security"]
    # Without trusted proxies a forwarded scheme is a client's claim: ignored.
    forged = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in forged.headers


def test_hsts_behind_a_trusted_proxy(tmp_path):
    app = make_test_app(tmp_path, TRUSTED_PROXIES=1)
    try:
        answer = app.test_client().get("/", headers={"X-Forwarded-Proto": "https",
                                                     "X-Forwarded-For": "203.0.113.9"})
        assert "Strict-Transport-Security" in answer.headers
    finally:
        database.close()


def test_templates_hold_no_inline_script_or_style():
    """The CSP refuses them, so they would silently stop working."""
    problems = []
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text):
            problems.append(f"{template.name}: inline <script>")
        if re.search(r"<style\b|\sstyle=|\son[a-z]+=", text):
            problems.append(f"{template.name}: inline style or handler")
    assert not problems


def test_staff_pages_are_never_stored(app, demo, client):
    with app.app_context():
        complaint = new_complaint()
        code = complaint.display_code
    login(client, "admin", demo["admin"])
    for path in (f"/staf/aduan/{code}", "/staf/admin/", "/staf/notifikasi", "/staf/masuk"):
        answer = client.get(path)
        assert answer.status_code in (200, 302), path
        assert answer.headers["Cache-Control"] == "no-store", path
    # The queue shows no reporter identity; it revalidates with its ETag.
    queue = client.get("/staf/antrean").headers["Cache-Control"]
    assert "private" in queue and "no-cache" in queue


def test_tracking_page_of_a_confidential_complaint_is_never_stored(app, demo, client):
    with app.app_context():
        secret = new_complaint(confidential=True).display_code
        open_ = new_complaint().display_code
    assert client.get(f"/lacak/{secret}").headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get(f"/lacak/{open_}").headers.get("Cache-Control", "")


def _photo(app, complaint, public=True):
    stored = store_photo(io.BytesIO(photo_bytes()), app.config["UPLOAD_FOLDER"])
    complaints.attach(complaint, stored, public=public)
    return stored.filename


@pytest.fixture
def photos(app, demo):
    with app.app_context():
        open_ = new_complaint()
        secret = new_complaint(confidential=True)
        dpupr = Opd.get(Opd.code == "DPUPR")
        for c in (open_, secret):
            c.opd = dpupr
            c.save()
        return {"open": _photo(app, open_), "secret": _photo(app, secret),
                "internal": _photo(app, open_, public=False),
                "secret_code": secret.display_code, "open_code": open_.display_code}


def test_a_public_photo_of_an_open_complaint_is_cached_publicly(client, photos):
    served = client.get(f"/foto/{photos['open']}")
    assert served.status_code == 200
    assert "public" in served.headers["Cache-Control"]
    assert "max-age=31536000" in served.headers["Cache-Control"]


def test_a_confidential_complaints_photo_needs_its_code(client, photos):
    assert client.get(f"/foto/{photos['secret']}").status_code == 404
    assert client.get(f"/foto/{photos['secret']}?kode={photos['open_code']}").status_code == 404
    served = client.get(f"/foto/{photos['secret']}?kode={photos['secret_code']}")
    assert served.status_code == 200
    assert served.headers["Cache-Control"] == "private, no-store"
    page = client.get(f"/lacak/{photos['secret_code']}").get_data(as_text=True)
    assert f"/foto/{photos['secret']}?kode={photos['secret_code']}" in page


def test_a_non_public_photo_is_for_staff_who_may_see_the_complaint(app, demo, client, photos):
    path = f"/foto/{photos['internal']}"
    assert client.get(path).status_code == 404
    assert client.get(f"{path}?kode={photos['open_code']}").status_code == 404
    login(client, "operator.dishub", demo["operator.dishub"])  # another OPD
    assert client.get(path).status_code == 404
    login(client, "operator.dpupr", demo["operator.dpupr"])
    served = client.get(path)
    assert served.status_code == 200 and served.headers["Cache-Control"] == "private, no-store"
    assert client.get(f"/foto/{photos['secret']}").status_code == 200


def test_a_file_without_an_attachment_row_is_not_served(app, client):
    stray = store_photo(io.BytesIO(photo_bytes()), app.config["UPLOAD_FOLDER"])
    assert client.get(f"/foto/{stray.filename}").status_code == 404
