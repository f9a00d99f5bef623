"""Hypothesis drives the complaint form: whatever arrives, never a 500."""
import io

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import hidden_fields, make_test_app
from portal import seed

text = st.text(st.characters(codec="utf-8"), max_size=300)
fields = st.fixed_dictionaries({}, optional={
    "judul": text, "isi": st.one_of(text, st.text(min_size=20, max_size=6000)),
    "kategori": st.one_of(text, st.integers(-5, 20).map(str)),
    "klasifikasi": st.one_of(text, st.sampled_from(["pengaduan", "aspirasi", "informasi"])),
    "lokasi": text, "lat": st.one_of(text, st.floats().map(str)), "lon": st.one_of(text, st.floats().map(str)),
    "nama": text, "kontak": text, "anonim": text, "rahasia": text, "token": text,
})
uploads = st.lists(st.tuples(st.binary(max_size=2000), st.text(max_size=40)), max_size=4)


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory):
    app = make_test_app(tmp_path_factory.mktemp("fuzz"))
    with app.app_context():
        seed.seed_demo()
    return app.test_client()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=fields, files=uploads, keep_csrf=st.booleans())
def test_no_input_causes_a_server_error(fuzz_client, data, files, keep_csrf):
    tokens = hidden_fields(fuzz_client.get("/lapor").text)
    if not keep_csrf:
        tokens.pop("csrf_token")
    body = {**tokens, **data}
    if files:
        body["foto"] = [(io.BytesIO(content), name or "x") for content, name in files]
    response = fuzz_client.post("/lapor", data=body, content_type="multipart/form-data")
    assert response.status_code in (303, 400, 413, 422), response.status_code
    if response.status_code == 303:
        code = response.headers["Location"].rsplit("/", 1)[1]
        assert fuzz_client.get(f"/lacak/{code}").status_code == 200


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kode=st.text(max_size=60))
def test_any_typed_code_gets_an_answer(fuzz_client, kode):
    response = fuzz_client.get("/lacak", query_string={"kode": kode})
    assert response.status_code in (303, 400)
