"""Strict parsing: unicode digits, integers beyond the column, CR/LF in a
redirect target and mail headers in a contact get a clear answer, never
a 500.  (test_fuzz_routes.py drives every route; these pin the cases.)"""
import pytest

from conftest import hidden_fields
from portal.inputs import MAX_ID, is_email, parse_id, parse_int
from staff_helpers import login, new_complaint
from test_citizen import form_data


@pytest.mark.parametrize("text,expected", [
    ("7", 7), (" 7 ", 7), ("-3", -3), ("0", 0), (str(2**63 - 1), 2**63 - 1),
    ("²", None), ("٣", None), ("1_000", None), ("1e3", None), ("0x10", None), ("3.5", None),
    (str(2**63), None), ("9" * 40, None), ("", None), (None, None), ("7\n", 7), ("7\nx", None),
])
def test_parse_int(text, expected):
    assert parse_int(text) == expected


def test_parse_id_bounds():
    assert parse_id("1") == 1 and parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id("0") is None and parse_id(str(MAX_ID + 1)) is None and parse_id("-1") is None


@pytest.mark.parametrize("path", ["/staf/admin/opd/99999999999999999999",
                                  "/staf/admin/opd/2147483648", "/staf/admin/opd/%D9%A3",
                                  "/staf/admin/opd/0", "/staf/notifikasi/99999999999999999999/baca"])
def test_int_routes_out_of_range_are_404(app, demo, client, path):
    login(client, "admin", demo["admin"])
    method = client.post if path.endswith("/baca") else client.get
    data = {"csrf_token": hidden_fields(client.get("/staf/antrean").get_data(as_text=True))[
        "csrf_token"]} if method == client.post else None
    assert method(path, data=data).status_code == 404


@pytest.mark.parametrize("value", ["²", "٣", str(2**64), "9" * 40, "-1", ""])
def test_rating_with_odd_numbers_is_a_message(app, demo, client, value):
    with app.app_context():
        complaint = new_complaint()
    page = client.get(f"/lacak/{complaint.display_code}").get_data(as_text=True)
    answer = client.post(f"/lacak/{complaint.display_code}/nilai",
                         data={"nilai": value, **hidden_fields(page)})
    assert answer.status_code in (409, 422)


@pytest.mark.parametrize("query", ["kategori=%C2%B2", f"kategori={2**64}", "kategori=%D9%A3",
                                   f"setelah=2026-01-01T00:00:00~{2**64}", "setelah=~²",
                                   "setelah=2026-01-01T00:00:00%2B07:00~1", "q=%00x", "kanal=%00"])
def test_queue_filters_and_cursors_never_fail(app, demo, client, query):
    login(client, "admin", demo["admin"])
    assert client.get(f"/staf/antrean?{query}").status_code == 200


@pytest.mark.parametrize("target", ["/%0d%0aSet-Cookie:%20x=1", "/staf/antrean%0a",
                                    "/\\evil.example", "//evil.example"])
def test_next_with_control_characters_goes_to_the_queue(app, demo, client, target):
    page = client.get("/staf/masuk").get_data(as_text=True)
    answer = client.post(f"/staf/masuk?next={target}", data={
        "username": "admin", "password": demo["admin"], **hidden_fields(page)})
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/staf/antrean")
    assert "Set-Cookie: x" not in str(answer.headers)


@pytest.mark.parametrize("contact", ["Budi <budi@example.id>", '"Budi"<budi@example.id>',
                                     "bcc:budi@example.id", "Bcc: budi@example.id",
                                     "budi@example.id\nBcc: x@example.id",
                                     "budi@example.id, x@example.id",
                                     "budi@localhost", "²812345678"])
def test_contact_refuses_display_names_and_headers(client, demo, contact):
    answer = client.post("/lapor", data=form_data(client, kontak=contact))
    assert answer.status_code == 422
    assert "Tulis alamat email atau nomor HP yang benar" in answer.get_data(as_text=True)


@pytest.mark.parametrize("contact", ["budi@example.id", "budi.s+aduan@mail.serangkota.go.id",
                                     "0812-3456-7890", "+62 812 3456 7890"])
def test_contact_accepts_plain_addresses_and_numbers(client, demo, contact):
    assert client.post("/lapor", data=form_data(client, kontak=contact)).status_code == 303


def test_staff_email_is_as_strict():
    assert is_email("kabid@serangkota.go.id")
    assert not is_email("Kabid <kabid@serangkota.go.id>")
    assert not is_email("kabid@serangkota.go.id\r\nBcc: x@y.id")


@pytest.mark.parametrize("where", ["form", "query"])
def test_a_nul_is_dropped_before_any_view(app, demo, client, where):
    """PostgreSQL refuses NUL in text: a staff note with one answered 500 there."""
    from portal.complaints.models import TimelineEvent

    login(client, "admin", demo["admin"])
    with app.app_context():
        code = new_complaint().display_code
    token = hidden_fields(client.get(f"/staf/aduan/{code}").get_data(as_text=True))["csrf_token"]
    if where == "form":
        answer = client.post(f"/staf/aduan/{code}/catatan",
                             data={"csrf_token": token, "teks": "catatan\x00 rahasia"})
    else:
        answer = client.post(f"/staf/aduan/{code}/catatan?x=%00",
                             data={"csrf_token": token, "teks": "catatan rahasia"})
    assert answer.status_code == 303
    with app.app_context():
        texts = [e.text for e in TimelineEvent.select() if e.text]
    assert "catatan rahasia" in texts and not any("\x00" in t for t in texts)
