"""The complaint form is rendered once per locale and category list; each
page gets its own tokens and is otherwise what a full render produces."""
import re

from flask import render_template

from conftest import hidden_fields
from portal.directory.models import Category
from portal.web import rendering
from portal.web.forms import ComplaintForm

TOKENS = re.compile(r'(name="(?:csrf_token|token)" type="hidden" value=")[^"]*"')


def without_tokens(html):
    return TOKENS.sub(r'\1X"', html)


def full_render(app, client, lang="id"):
    """The page as the template alone renders it, no cache involved."""
    with app.test_request_context("/lapor", headers={"Cookie": f"lang={lang}"}):
        categories = Category.select().order_by(Category.name == "Lainnya", Category.name)
        from portal.notifications import preferences
        from portal.web.citizen import _contact_hint

        return render_template("citizen/lapor.html", form=ComplaintForm(categories=categories),
                               max_photos=app.config["MAX_PHOTOS"], contact_hint=_contact_hint(),
                               whatsapp=preferences.whatsapp_configured())


def test_cached_form_equals_a_full_render_with_fresh_tokens(app, demo, client):
    rendering._FORM_CACHE.clear()
    first, second = client.get("/lapor").text, client.get("/lapor").text
    assert without_tokens(first) == without_tokens(second) == without_tokens(full_render(app, client))
    a, b = hidden_fields(first), hidden_fields(second)
    assert a["token"] != b["token"] and len(b["token"]) > 20 and b["csrf_token"]
    assert rendering._CSRF_MARK not in second and rendering._TOKEN_MARK not in second


def test_cache_follows_the_locale_and_the_categories(app, demo, client):
    rendering._FORM_CACHE.clear()
    assert "Kategori" in client.get("/lapor").text
    assert "Category" in client.get("/lapor?lang=en").text
    assert "Kategori" in client.get("/lapor?lang=id").text
    with app.app_context():
        Category.create(name="Kucing liar di taman")
    assert "Kucing liar di taman" in client.get("/lapor").text


def test_a_submission_with_the_cached_tokens_is_accepted(app, demo, client):
    rendering._FORM_CACHE.clear()
    client.get("/lapor")
    fields = hidden_fields(client.get("/lapor").text)
    with app.app_context():
        category = Category.get().id
    response = client.post("/lapor", data={**fields, "judul": "Jalan rusak di Ciceri",
                                           "isi": "Lubang besar di depan pasar sejak seminggu.",
                                           "kategori": str(category)})
    assert response.status_code == 303 and "/lacak/" in response.headers["Location"]


def test_home_page_is_rendered_once_per_locale_and_still_shows_a_flash(app, client):
    first = client.get("/").text
    assert client.get("/").text == first and 'lang="id"' in first
    english = client.get("/?lang=en").text
    assert 'lang="en"' in english and english != first
    with app.test_request_context("/"):
        assert render_template("citizen/home.html") == first  # what a full render gives
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Pesan uji untuk beranda")]
    assert "Pesan uji untuk beranda" in client.get("/?lang=id").text
    assert "Pesan uji untuk beranda" not in client.get("/").text


def test_the_whole_form_page_is_rendered_once_and_still_shows_a_flash_and_the_query(app, demo, client):
    from flask import template_rendered

    rendering._FORM_CACHE.clear()
    rendered = []

    def count(sender, template, context, **extra):
        rendered.append(template.name)

    with template_rendered.connected_to(count, app):
        first = client.get("/lapor").text
        second = client.get("/lapor").text
    assert rendered.count("citizen/lapor.html") == 1
    assert without_tokens(first) == without_tokens(second)
    # The language link keeps this page's own query, so the query is part of the key.
    assert "kategori=3" in client.get("/lapor?kategori=3").text
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Pesan uji untuk formulir")]
    assert "Pesan uji untuk formulir" in client.get("/lapor").text
    assert "Pesan uji untuk formulir" not in client.get("/lapor").text
