"""The queue's aggregates (migration 030) agree with the rows they summarise,
search goes through the full-text index, and a 304 never reads complaints."""
import pytest
from peewee import SqliteDatabase, fn

from portal.complaints import workflow
from portal.complaints.models import Complaint
from portal.db import database
from portal.directory.models import Opd
from portal.workspace import queue as queues, search
from staff_helpers import advance, login, new_complaint, user


def counted(u, filters=None):
    """What a full GROUP BY says, the way the queue counted before the tally."""
    query = (Complaint.select(Complaint.status, fn.COUNT(Complaint.id).alias("n"))
             .where(queues.visible_to(u) & (filters or queues.Filters()).condition(with_status=False))
             .group_by(Complaint.status))
    return {row.status: row.n for row in query}


def test_tally_follows_inserts_transitions_moves_and_deletes(app, demo):
    with app.app_context():
        a = advance(new_complaint(), workflow.DILAPORKAN)
        b = advance(new_complaint(channel="lapor"), workflow.DITERUSKAN)
        new_complaint()
        gone = new_complaint()
        gone.delete_instance()
        other = Opd.get(Opd.code != "DPUPR")
        Complaint.update(opd=other).where(Complaint.id == b.id).execute()  # a move between OPDs
        for name in ("admin", "operator.dpupr", "pimpinan.dpupr"):
            assert queues.status_counts(user(name), queues.Filters()) == counted(user(name)), name
        only_lapor = queues.Filters(channel="lapor")
        assert (queues.status_counts(user("admin"), only_lapor)
                == counted(user("admin"), only_lapor) == {workflow.DITERUSKAN: 1})
        assert queues.channels(user("admin")) == ["lapor", "web"]
        assert queues.channels(user("operator.dpupr")) == ["web"]
        assert queues.status_counts(user("operator.dpupr"), queues.Filters()) == {
            workflow.DILAPORKAN: 1}
        assert a.status == workflow.DILAPORKAN


def test_task_total_beyond_the_rows_shown_comes_from_the_tally(app, demo):
    with app.app_context():
        opd = Opd.get(Opd.code == "DPUPR")
        for _ in range(queues.TASKS_SHOWN + 3):
            new_complaint(opd=opd)
        # Set up in bulk (not walked through the chain): the triggers see updates too.
        Complaint.update(status=workflow.DITERUSKAN).where(Complaint.opd == opd).execute()
        rows, total = queues.tasks(user("operator.dpupr"))
        assert len(rows) == queues.TASKS_SHOWN and total == queues.TASKS_SHOWN + 3


def test_search_uses_the_full_text_index_and_follows_edits(app, demo):
    with app.app_context():
        c = new_complaint(title="Lampu penerangan padam di Cipocok")
        admin = user("admin")

        def found(q):
            return [r.id for r in queues.page(admin, queues.Filters(q=q))[0]]

        assert found("penerangan") == [c.id]
        assert found("PENER padam") == [c.id]  # word prefixes, any case, every word
        assert found("penerangan banjir") == []
        assert found("%") == [] and found('"') == []  # no syntax reaches the index
        Complaint.update(title="Pohon tumbang").where(Complaint.id == c.id).execute()
        assert found("penerangan") == [] and found("tumbang") == [c.id]


def test_fingerprint_moves_with_the_own_opd_only(app, demo):
    with app.app_context():
        operator, admin = user("operator.dpupr"), user("admin")
        mine = advance(new_complaint(), workflow.DITERUSKAN)
        before = queues.fingerprint(operator), queues.fingerprint(admin)
        elsewhere = new_complaint()  # not routed: no OPD yet
        assert queues.fingerprint(operator) == before[0]
        assert queues.fingerprint(admin) != before[1]
        Complaint.update(reply_at=elsewhere.created_at).where(Complaint.id == mine.id).execute()
        assert queues.fingerprint(operator) != before[0]


def test_a_304_refresh_reads_no_complaint_row(app, demo, client, monkeypatch):
    login(client, "operator.dpupr", demo["operator.dpupr"])
    with app.app_context():
        for _ in range(3):
            advance(new_complaint(), workflow.DITERUSKAN)
    first = client.get("/staf/antrean")
    statements = []
    real = database.obj.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        statements.append(sql)
        return real(sql, params, *args, **kwargs)

    monkeypatch.setattr(database.obj, "execute_sql", spy)
    again = client.get("/staf/antrean", headers={"If-None-Match": first.headers["ETag"]})
    monkeypatch.setattr(database.obj, "execute_sql", real)
    assert again.status_code == 304
    assert statements and not [s for s in statements if 'FROM "complaint"' in s], statements


def test_an_opd_without_any_complaint_gets_its_queue(app, demo, client):
    login(client, "operator.dpupr", demo["operator.dpupr"])
    assert client.get("/staf/antrean").status_code == 200


def test_search_for_a_common_word_walks_the_order_and_finds_the_same(app, demo, monkeypatch):
    with app.app_context():
        made = [new_complaint(title=f"Lampu jalan padam nomor {i}") for i in range(4)]
        new_complaint(title="Pohon tumbang")
        admin = user("admin")
        for sort in ("terlama", "terbaru", "tenggat"):
            sparse = [r.id for r in queues.page(admin, queues.Filters(q="jalan", sort=sort))[0]]
            monkeypatch.setattr(search, "DENSE_WORD", 0)
            dense = [r.id for r in queues.page(admin, queues.Filters(q="jalan", sort=sort))[0]]
            monkeypatch.setattr(search, "DENSE_WORD", 2000)
            assert sparse == dense and set(dense) == {c.id for c in made}, sort


def test_search_counts_stop_at_the_cap_and_say_so(app, demo, client, monkeypatch):
    """A common word's counts visit at most COUNT_CAP + 1 matches; under the
    cap they are exact, over it the page says the figures are lower bounds."""
    with app.app_context():
        admin = user("admin")
        for i in range(5):
            new_complaint(title=f"Lampu jalan padam nomor {i}")
        new_complaint(title="Pohon tumbang")
        exact = queues.status_counts(admin, queues.Filters(q="jalan"))
        assert sum(exact.values()) == 5 and not exact.capped
        monkeypatch.setattr(queues, "COUNT_CAP", 3)
        for dense in (2000, 0):  # the id-list plan and the walking plan
            monkeypatch.setattr(search, "DENSE_WORD", dense)
            capped = queues.status_counts(admin, queues.Filters(q="jalan"))
            assert capped.capped and sum(capped.values()) == 4
        # No search: the maintained tally, exact whatever the cap.
        assert not queues.status_counts(admin, queues.Filters()).capped
    login(client, "admin", demo["admin"])
    page = client.get("/staf/antrean?q=jalan").get_data(as_text=True)
    assert "Lebih dari 3 aduan cocok" in page and "+</b>" in page


def test_postgres_finds_a_rare_word_through_the_index_not_by_walking(app, demo, monkeypatch):
    """PostgreSQL guesses every prefix search at about 2 % of the rows, so
    it walked the creation order for a word 1 complaint in 10,000 holds.
    The few matches are now taken from the GIN index first and the page
    reads them by id; a common word keeps the walk."""
    if isinstance(database.obj, SqliteDatabase):
        pytest.skip("PostgreSQL's plan; SQLite uses its FTS5 table")
    from benchmarks.datagen import fill

    def plan(q):
        sql, params = queues.page_query(admin, queues.Filters(q=q)).sql()
        return "\n".join(r[0] for r in database.execute_sql("EXPLAIN " + sql, params))

    with app.app_context():
        fill(database.obj, 5000)  # "jalan" in about a third of them
        rare = new_complaint(title="Kucing liar masuk sekolah")
        database.execute_sql("ANALYZE complaint")
        admin = user("admin")
        assert "search_doc @@" not in plan("kucing") and "complaint_pkey" in plan("kucing")
        found = [c.id for c in queues.page(admin, queues.Filters(q="kuc"))[0]]
        assert rare.id in found and len(found) < 10  # the generator's rare word is "kucing" too
        with database.atomic():
            database.execute_sql("SET LOCAL enable_seqscan = off")
            probe = database.execute_sql("EXPLAIN SELECT id FROM complaint WHERE search_doc @@ "
                                         "to_tsquery('simple', 'kucing:*') LIMIT 2001").fetchall()
        assert "complaint_search_doc" in " ".join(r[0] for r in probe)
        monkeypatch.setattr(search, "DENSE_WORD", 500)  # "jalan": about 1,500 matches here

        def no_probe(query):
            raise AssertionError("a common word must not build the GIN bitmap of its matches")

        monkeypatch.setattr(search, "_postgres_matches", no_probe)  # pg_stats already says "common"
        assert "search_doc @@" in plan("jalan")  # more than DENSE_WORD: walk and test


def test_sqlite_search_counts_are_read_in_the_index_order(app, demo):
    """A common word's capped count steps through the full-text index and
    reads each complaint by its key, not the complaints probing the index."""
    if not isinstance(database.obj, SqliteDatabase):
        pytest.skip("SQLite's FTS5 plan")
    with app.app_context():
        new_complaint(title="Lampu jalan padam")
        query = queues._index_driven(user("operator.dpupr"), queues.Filters(q="jalan", category=1))
        sql, params = query.limit(queues.COUNT_CAP + 1).sql()
        plan = [r[3] for r in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]
        assert plan[0].startswith("SCAN complaint_fts") and "PRIMARY KEY" in plan[1], plan
        # A search that may be a tracking code keeps the usual plan (OR'ed with the code).
        assert queues._index_driven(user("admin"), queues.Filters(q="ABCDE-12345")) is None
