"""A citizen's contact is stored normalised: an Indonesian phone number as
+62…, an email with its domain in lower case.  What cannot be reached is
refused with a message that says what to type."""
import pytest

from portal import contact
from portal.complaints.models import Complaint
from portal.directory.models import Category
from test_citizen import form_data
from test_open311_post import GOOD


@pytest.mark.parametrize("typed", ["08123456789", "628123456789", "+62 812-3456-789",
                                   "(0812) 3456 789", "0812.3456.789", " 08123456789 ",
                                   "8123456789"])
def test_phone_numbers_become_plus_62(typed):
    assert contact.normalize(typed) == "+628123456789"


def test_a_landline_keeps_its_area_code():
    assert contact.normalize("(021) 123-4567") == "+62211234567"


@pytest.mark.parametrize("typed,reason", [
    ("0812345", "phone_length"), ("081234567890123", "phone_length"),
    ("+62 0812 3456 789", "phone_country"),
    ("+1 555 123 4567", "phone_country"), ("+44 20 7946 0958", "phone_country"),
    ("1234567890", "phone_country"), ("0812-abcd-789", "format"), ("++62812345678", "format"),
    ("bukan kontak", "format"), ("budi@localhost", "format"), ("²812345678", "format"),
])
def test_what_is_refused_and_why(typed, reason):
    with pytest.raises(contact.ContactInvalid) as refused:
        contact.normalize(typed)
    assert refused.value.reason == reason


def test_emails_have_their_domain_lowercased():
    assert contact.normalize(" Budi.S@Mail.SerangKota.GO.ID ") == "Budi.S@mail.serangkota.go.id"
    assert contact.normalize("") == ""


def test_other_channels_keep_what_cannot_be_normalised():
    assert contact.normalize_loosely("0812 3456 7890") == "+6281234567890"
    assert contact.normalize_loosely("@budi_twitter") == "@budi_twitter"


@pytest.mark.parametrize("typed,stored", [("(0812) 3456 789", "+628123456789"),
                                          ("Siti@Example.ID", "Siti@example.id")])
def test_the_form_stores_the_normalised_contact(client, demo, typed, stored):
    assert client.post("/lapor", data=form_data(client, kontak=typed)).status_code == 303
    assert Complaint.get().reporter_contact == stored


@pytest.mark.parametrize("typed,message", [
    ("0812345", "Nomor HP terlalu pendek atau terlalu panjang"),
    ("+1 555 123 4567", "Tulis nomor Indonesia yang diawali 08, 62, atau +62"),
])
def test_the_form_says_what_is_wrong_with_a_number(client, demo, typed, message):
    answer = client.post("/lapor", data=form_data(client, kontak=typed))
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert Complaint.select().count() == 0


def test_open311_stores_the_normalised_phone(app, client, demo):
    output = app.test_cli_runner().invoke(args=["open311-key", "create", "uji"]).output
    key = output.strip().splitlines()[-1]
    with app.app_context():
        pju = str(Category.get(Category.name == "Penerangan Jalan Umum (PJU)").id)
    data = {**GOOD, "email": "", "phone": "0812 3456 789", "api_key": key, "service_code": pju}
    assert client.post("/open311/v2/requests.json", data=data).status_code in (200, 201)
    with app.app_context():
        assert Complaint.get().reporter_contact == "+628123456789"
