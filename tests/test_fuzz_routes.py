"""No input answers 500.  Every route of the app (walked from the URL map)
gets hostile path parameters, query strings and form fields: unicode
digits, integers beyond 2^63, CR/LF, NUL, empty values, as an anonymous
visitor and as a logged-in admin.  Any 5xx fails.

Two passes per role: a fixed sweep of known troublemakers over every rule,
then hypothesis-generated combinations, bounded by max_examples so the
whole file runs in well under a minute."""
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import make_test_app
from portal import seed
from portal.accounts import users
from portal.accounts.models import User
from portal.db import database
from staff_helpers import new_complaint

ROOT = Path(__file__).resolve().parent.parent / "portal"
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
# Endpoints after which the admin may have lost the session (or the password).
ENDS_SESSION = {"staff.logout", "admin_edit.reset_password", "admin_edit.end_sessions",
                "admin.toggle_user", "admin_edit.user"}

# The sweep's values: each stands for a kind of input that once answered 500.
TROUBLE = ["", "0", "-1", "²", "٣", "1_000", str(2**31), str(2**63), "9" * 40,
           "a\r\nSet-Cookie: x=1", "\x00", "/\r\n/x", "ABCDE-12345", "%"]
PATH_TROUBLE = ["²", "٣", str(2**64), "%", "a\r\nb", "\x00"]
# Path values that name something that exists (besides row ids and codes).
REAL = {"what": "pengguna", "action": "tolak", "name": "sp4n"}
# More for the generated pass.
EXTRA = [" ", "1", "2", "1e3", "0x10", "3.5", str(2**64), "-" + "9" * 25, "\u202e",
         "//evil.example/", "../../etc/passwd", "%00", "null", "true", "<b>x</b>"]


def field_names() -> list[str]:
    """Every form field and query parameter the templates and views name."""
    names = set()
    for template in (ROOT / "templates").rglob("*.html"):
        names.update(re.findall(r'name="(\w+)"', template.read_text()))
    for source in (ROOT / "web").glob("*.py"):
        names.update(re.findall(r'(?:args|form)\.get(?:list)?\(\s*"(\w+)"', source.read_text()))
    return sorted(names - {"csrf_token"})


FIELDS = field_names()
values = st.one_of(st.sampled_from(TROUBLE + EXTRA), st.text(max_size=40),
                   st.integers(-(2**70), 2**70).map(str))


@pytest.fixture
def fuzz_app(request, tmp_path):
    config = {"WTF_CSRF_ENABLED": False}  # the handlers behind the token are the target
    import os

    if os.environ.get("ADUAN_TEST_DATABASE") == "postgres":
        config["DATABASE_URL"] = request.getfixturevalue("postgres_url")
    app = make_test_app(tmp_path, **config)
    with app.app_context():
        credentials = {u: p for u, _r, p in seed.seed_demo()}
        codes = [new_complaint().display_code for _ in range(2)]
        codes.append(new_complaint(confidential=True).display_code)
    app.fuzz_codes = codes
    app.fuzz_admin_password = credentials["admin"]
    yield app
    database.close()


def routes(app):
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted(rule.methods - SKIPPED_METHODS):
            found.append((rule, method))
    assert len(found) > 40, "the URL map walk found too few routes"
    return found


def build_path(rule, path_values):
    path = rule.rule
    for name in rule.arguments:
        path = re.sub(rf"<(?:[^:>]+:)?{name}>", quote(path_values[name], safe=""), path)
    return path


class Driver:
    def __init__(self, app, admin):
        self.app, self.admin = app, admin
        self.client = app.test_client()
        self.tried = 0
        if admin:
            self.login()

    def login(self):
        with self.app.app_context():
            User.update(password_hash=users.hash_password(self.app.fuzz_admin_password),
                        active=True, role="admin").where(User.username == "admin").execute()
        answer = self.client.post("/staf/masuk", data={
            "username": "admin", "password": self.app.fuzz_admin_password})
        assert answer.status_code == 303, answer.status_code

    def send(self, rule, method, path_values, query, form):
        path = build_path(rule, path_values)
        if method == "GET":
            answer = self.client.open(path, method=method, query_string=query)
        else:
            answer = self.client.open(path, method=method, query_string=query, data=form)
        self.tried += 1
        assert answer.status_code < 500, (
            f"{method} {path} query={query!r} form={form!r} -> {answer.status_code}")
        if self.admin and rule.endpoint in ENDS_SESSION:
            self.login()


@pytest.mark.parametrize("admin", [False, True], ids=["anonymous", "admin"])
def test_no_route_answers_5xx(fuzz_app, admin):
    driver = Driver(fuzz_app, admin)
    all_routes = routes(fuzz_app)
    path_choices = TROUBLE + fuzz_app.fuzz_codes + ["1", "3", "7"]

    # 1. The fixed sweep: every troublemaker in every field of every route
    # whose path names a real row (so the handler gets to read the fields),
    # then the worst ones in the path itself.
    for rule, method in all_routes:
        real = {name: REAL.get(name, fuzz_app.fuzz_codes[0] if name == "kode" else "1")
                for name in rule.arguments}
        for value in TROUBLE:
            everything = {name: value for name in FIELDS}
            driver.send(rule, method, real, everything, everything)
        for value in (PATH_TROUBLE if rule.arguments else ()):
            driver.send(rule, method, {name: value for name in rule.arguments}, {}, {})

    # 2. Generated combinations.
    @settings(max_examples=150, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.data())
    def generated(data):
        rule, method = data.draw(st.sampled_from(all_routes))
        path_values = {name: data.draw(st.one_of(st.sampled_from(path_choices), values)
                                       .filter(bool))
                       for name in rule.arguments}
        chosen = data.draw(st.lists(st.sampled_from(FIELDS), max_size=6, unique=True))
        fields = {name: data.draw(values) for name in chosen}
        split = data.draw(st.integers(0, len(chosen)))
        query = dict(list(fields.items())[:split])
        form = dict(list(fields.items())[split:])
        driver.send(rule, method, path_values, query, form)

    generated()
    assert driver.tried > len(all_routes) * len(TROUBLE)
