"""The tracking page reads its version, then the complaint (with its
category and OPD), its events and its attachments: four queries, however
long the history; seen again unchanged, only the version."""
from portal.complaints import service as complaints, workflow
from portal.complaints.photos import store_photo
from portal.db import database
from staff_helpers import advance, new_complaint, photo_bytes


def queries_for(client, url, monkeypatch):
    statements = []
    real = database.obj.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        statements.append(sql)
        return real(sql, params, *args, **kwargs)

    monkeypatch.setattr(database.obj, "execute_sql", counting)
    response = client.get(url)
    monkeypatch.setattr(database.obj, "execute_sql", real)
    assert response.status_code == 200
    return statements, response.get_data(as_text=True)


def test_tracking_page_runs_three_queries_with_a_published_response(app, demo, client,
                                                                       monkeypatch):
    import io

    with app.app_context():
        photo = store_photo(io.BytesIO(photo_bytes()), app.config["UPLOAD_FOLDER"])
        complaint = advance(new_complaint(), workflow.SELESAI, stored_photo=photo)
        for i in range(5):
            complaints.record(complaint, "catatan", "Operator", text=f"catatan publik {i}",
                              public=True)
        complaints.record(complaint, "catatan", "Operator", text="catatan internal")
    statements, html = queries_for(client, f"/lacak/{complaint.display_code}", monkeypatch)
    assert len(statements) <= 4, statements
    again, _html = queries_for(client, f"/lacak/{complaint.display_code}", monkeypatch)
    assert len(again) == 1 and "page_version" in again[0], again
    assert "Tanggapan" in html and photo.filename in html
    assert "catatan publik 4" in html and "catatan internal" not in html
    assert "Jalan rusak" in html and "Dinas Pekerjaan Umum" in html  # category, OPD


def test_tracking_page_runs_three_queries_for_a_new_complaint(app, demo, client, monkeypatch):
    with app.app_context():
        complaint = new_complaint()
    statements, html = queries_for(client, f"/lacak/{complaint.display_code}", monkeypatch)
    assert len(statements) <= 4, statements
    again, _html = queries_for(client, f"/lacak/{complaint.display_code}", monkeypatch)
    assert len(again) == 1 and "page_version" in again[0], again
    assert "Tanggapan</h2>" not in html


def test_lookup_by_code_compiled_once_gives_the_complaint_with_category_and_opd(app, demo):
    from portal.complaints.models import Complaint

    with app.app_context():
        a = advance(new_complaint(), workflow.DITERUSKAN)
        b = new_complaint(category="Drainase dan banjir")
        for complaint in (a, b, a):  # the second call on reuses the compiled SQL
            found = complaints.by_code(complaint.code)
            plain = complaints.with_directory().where(Complaint.code == complaint.code).get()
            assert found.id == complaint.id and found.__data__ == plain.__data__
            assert found.category.name == plain.category.name
            assert (found.opd.name if found.opd_id else None) == (
                plain.opd.name if plain.opd_id else None)
        assert complaints.by_code("0000000000") is None
