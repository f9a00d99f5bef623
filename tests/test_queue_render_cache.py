"""A queue page whose ETag has not moved is served as last rendered; anything
the page shows that moved renders it again."""
from flask import template_rendered

from conftest import hidden_fields
from portal.complaints import workflow
from portal.notifications import service as notices
from staff_helpers import advance, login, new_complaint, user


def renders(app, client, path="/staf/antrean"):
    """(the response, how many times the queue template was rendered for it)."""
    seen = []

    def count(sender, template, context, **extra):
        seen.append(template.name)

    with template_rendered.connected_to(count, app):
        response = client.get(path)
    return response, seen.count("staff/antrean.html")


def test_an_unchanged_queue_is_served_without_rendering_and_a_change_renders_it(app, demo, client):
    login(client, "operator.dpupr", demo["operator.dpupr"])
    with app.app_context():
        advance(new_complaint(title="Lampu jalan mati di Kaligandu"), workflow.DITERUSKAN)
    first, n1 = renders(app, client)
    again, n2 = renders(app, client)
    assert (n1, n2) == (1, 0)
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    with app.app_context():
        advance(new_complaint(title="Saluran tersumbat di Cipare"), workflow.DITERUSKAN)
    changed, n3 = renders(app, client)
    assert n3 == 1 and "Saluran tersumbat di Cipare" in changed.get_data(as_text=True)


def test_each_session_gets_its_own_csrf_token_and_its_unread_count(app, demo, client):
    login(client, "operator.dpupr", demo["operator.dpupr"])
    other = app.test_client()
    login(other, "operator.dpupr", demo["operator.dpupr"])
    mine, theirs = client.get("/staf/antrean"), other.get("/staf/antrean")
    assert hidden_fields(mine.get_data(as_text=True))["csrf_token"] \
        != hidden_fields(theirs.get_data(as_text=True))["csrf_token"]
    with app.app_context():
        before = notices.unread_count(user("operator.dpupr"))
        notices.mark_read(user("operator.dpupr"))
    # Reading notices writes no complaint: the ETag alone would not move.
    after, rendered = renders(app, client)
    assert rendered == (1 if before else 0)


def test_a_waiting_flash_is_shown_once_and_not_kept(app, demo, client):
    login(client, "operator.dpupr", demo["operator.dpupr"])
    client.get("/staf/antrean")
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Pesan uji untuk antrean")]
    assert "Pesan uji untuk antrean" in client.get("/staf/antrean").get_data(as_text=True)
    assert "Pesan uji untuk antrean" not in client.get("/staf/antrean").get_data(as_text=True)


def test_the_cache_can_be_switched_off_and_is_bounded(app, demo, client):
    from portal.web import page_cache

    cache = page_cache.PageCache(2)
    for key in "abc":
        cache.put(key, key)
    assert len(cache) == 2 and cache.get("a") is None and cache.get("c") == "c"
    app.extensions.pop("aduan_page_caches", None)
    app.config["QUEUE_RENDER_CACHE"] = 0
    login(client, "operator.dpupr", demo["operator.dpupr"])
    assert renders(app, client)[1] == 1 and renders(app, client)[1] == 1


def test_a_kept_page_goes_out_gzipped_to_clients_that_take_it(app, demo, client):
    import gzip

    login(client, "operator.dpupr", demo["operator.dpupr"])
    plain = client.get("/staf/antrean").get_data()
    packed = client.get("/staf/antrean", headers={"Accept-Encoding": "gzip, br"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain
