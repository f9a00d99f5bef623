"""Static files: hashed URLs cached for a year, compressed; 4xx pages compressed."""
import gzip
import re

from conftest import hidden_fields
from staff_helpers import login

STATIC = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def static_urls(html):
    return STATIC.findall(html)


def test_static_urls_carry_the_content_hash_and_are_immutable(client):
    urls = static_urls(client.get("/lapor").text)
    assert any(u.startswith("/static/aduan.css?v=") for u in urls)
    assert any(u.startswith("/static/shrink.js?v=") for u in urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # Without the current hash (an old page, a typed URL): revalidate every time.
    assert client.get("/static/aduan.css").headers["Cache-Control"] == "no-cache"
    assert client.get("/static/aduan.css?v=0000").headers["Cache-Control"] == "no-cache"
    etag = client.get("/static/aduan.css").headers["ETag"]
    assert client.get("/static/aduan.css", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/static/../portal/__init__.py").status_code == 404


def test_javascript_served_as_text_javascript_is_compressed(client):
    url = next(u for u in static_urls(client.get("/lapor").text) if "shrink.js" in u)
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.mimetype == "text/javascript" and zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert gzip.decompress(zipped.data) == plain.data and len(zipped.data) < len(plain.data)
    brotli_ok = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert brotli_ok.headers["Content-Encoding"] in {"br", "gzip"}


def test_a_422_form_page_is_compressed(app, demo, client):
    fields = hidden_fields(client.get("/lapor").text)
    response = client.post("/lapor", data={**fields, "judul": "x"},
                           headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 422
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Judul 5 sampai 200 karakter" in gzip.decompress(response.data).decode()


def test_staff_first_load_fits_in_30_kb_with_htmx(app, demo, client):
    login(client, "operator.dpupr", demo["operator.dpupr"])
    page = client.get("/staf/antrean", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(page.data).decode()
    urls = static_urls(html)
    assert any("vendor/htmx.min.js" in u for u in urls), urls
    total = len(page.data)
    for url in urls:
        asset = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert asset.status_code == 200, url
        if asset.mimetype in ("text/css", "text/javascript"):
            assert asset.headers["Content-Encoding"] == "gzip", url
        total += len(asset.data)
    assert total < 30 * 1024, total
