"""Every GET page, asked for as a browser and as htmx does: never a 5xx, a
fragment exactly when htmx asked for one, and a whole page when htmx
restores a page missing from its history cache."""
import io

import pytest

from portal.accounts.models import User
from portal.complaints import service as complaints
from portal.complaints.photos import store_photo
from portal.directory.models import Bidang, Category, Opd
from portal.directory.response_templates import ResponseTemplate
from staff_helpers import login, new_complaint, photo_bytes

HX = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


def _samples(app):
    """A real value for every URL argument of the app's GET routes."""
    with app.app_context():
        photo = store_photo(io.BytesIO(photo_bytes()), app.config["UPLOAD_FOLDER"])
        complaint = new_complaint()
        complaints.attach(complaint, photo)
        return {
            "kode": complaint.display_code, "name": photo.filename, "filename": "aduan.css",
            "opd_id": Opd.select().first().id, "bidang_id": Bidang.select().first().id,
            "category_id": Category.select().first().id, "user_id": User.select().first().id,
            "template_id": (ResponseTemplate.select().first()
                            or ResponseTemplate.create(title="Uji", body="Terima kasih.")).id,
            # statistics, open data and Open311 (the JSON documents are not pages)
            "tahun": 2026, "fmt": "json", "code": Category.select().first().id,
            "request_id": complaint.id, "token": "tidak-ada", "rest": "tidak-ada",
        }


def _get_paths(app, samples):
    paths = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods:
            continue
        missing = set(rule.arguments) - set(samples)
        assert not missing, f"{rule.rule}: add a sample value for {sorted(missing)} above"
        with app.test_request_context():
            from flask import url_for

            paths.append(url_for(rule.endpoint, **{a: samples[a] for a in rule.arguments}))
    return paths


def _fetch(client, path, headers):
    """The response read to its end (a streamed CSV holds its request open)."""
    response = client.get(path, headers=headers)
    response.get_data()
    response.close()
    return response


def _is_page(response):
    return response.status_code == 200 and response.mimetype == "text/html"


@pytest.mark.parametrize("who", [None, "admin", "operator.dpupr"])
def test_every_get_route_with_and_without_htmx(app, demo, who):
    samples = _samples(app)
    client = app.test_client()
    if who:
        login(client, who, demo[who])
    pages = 0
    for path in _get_paths(app, samples):
        full, fragment, restored = (_fetch(client, path, headers)
                                    for headers in ({}, HX, RESTORE))
        for kind, response in (("plain", full), ("htmx", fragment), ("restore", restored)):
            assert response.status_code < 500, f"{kind} GET {path} as {who}: {response.status_code}"
        if not _is_page(full):
            continue
        pages += 1
        assert full.get_data(as_text=True).lstrip().lower().startswith("<!doctype html"), path
        assert _is_page(restored), path
        assert restored.get_data(as_text=True) .lstrip().lower().startswith("<!doctype html"), path
        if _is_page(fragment):
            body = fragment.get_data(as_text=True)
            assert "<html" not in body and "<head" not in body, f"{path}: not a fragment"
            assert body.strip(), f"{path}: empty fragment"
        for response in (full, fragment, restored):
            assert {"HX-Request", "HX-History-Restore-Request"} <= set(response.vary), path
    assert pages >= (12 if who == "admin" else 4), pages


def test_admin_settings_as_htmx_fragment(app, demo):
    """`'csrf' is undefined`: the block used macros defined outside it."""
    client = app.test_client()
    login(client, "admin", demo["admin"])
    response = client.get("/staf/admin/", headers=HX)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'name="csrf_token"' in body and "<h1>Pengaturan</h1>" in body and "<html" not in body


def test_queue_restored_from_history_is_the_whole_page_and_cached_apart(app, demo):
    client = app.test_client()
    login(client, "admin", demo["admin"])
    fragment = client.get("/staf/antrean", headers=HX)
    # A history restore carrying the fragment's ETag gets the page, not a 304.
    restored = client.get("/staf/antrean",
                          headers={**RESTORE, "If-None-Match": fragment.headers["ETag"]})
    assert restored.status_code == 200
    assert 'class="filters"' in restored.get_data(as_text=True)
    assert 'class="filters"' not in fragment.get_data(as_text=True)
