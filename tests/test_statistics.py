"""The public figures against a hand-computed history (tests/statistics_fixture.py)."""
import pytest

import statistics_fixture as history
from deadline_helpers import at
from portal import clock
from portal.complaints.models import Complaint
from portal.db import database
from portal.statistics import facts, figures
from portal.statistics.models import StatCell, StatFact


@pytest.fixture
def city(app, demo):
    with app.app_context():
        complaints = history.build()
        assert facts.refresh_dirty() == 6  # what the worker does every minute
        with clock.freeze(at(history.NOW)):
            facts.refresh_overdue()
        yield complaints


def test_per_complaint_facts_follow_the_workflow(app, city):
    """Marked by each event and kept by the worker, not by a rebuild."""
    with app.app_context():
        a = StatFact.get(StatFact.complaint == city["A"].id)
        assert (a.first_response_days, a.resolution_days, a.followed_up, a.resolved_photo,
                a.rating) == (3, 10, True, True, 4)
        assert a.first_opening_days == 1  # opened Wed 4 Feb, forwarded Tue 3 Feb
        b = StatFact.get(StatFact.complaint == city["B"].id)
        assert b.first_opening_days is None
        assert (b.first_response_days, b.resolution_days, b.resolved_photo) == (1, 3, False)
        c = StatFact.get(StatFact.complaint == city["C"].id)
        assert (c.first_response_days, c.opd_id, c.channel) == (4, 0, "rabeg")
        d = StatFact.get(StatFact.complaint == city["D"].id)
        assert (d.confidential, d.waiting_budget_year, d.first_response_days) == (True, 2027, 1)


def test_an_event_marks_its_complaint_and_the_worker_catches_up(app, city):
    from portal.complaints import casework
    from portal.statistics.models import StatDirty

    with app.app_context():
        assert StatDirty.select().count() == 0
        b = Complaint.get_by_id(city["B"].id)
        with clock.freeze(at("2026-02-23 09:00")):
            casework.reporter_adds_info(b, "Terima kasih, lubangnya sudah ditambal.")
        assert StatDirty.get().complaint_id == b.id
        facts.mark(b.id)  # a second event before the worker ran
        assert StatDirty.get().version == 2
        assert facts.refresh_dirty() == 1 and StatDirty.select().count() == 0
        assert figures.compute(2026).received == 5


def test_a_mark_made_during_a_refresh_is_kept(app, city, monkeypatch):
    from portal.statistics.models import StatDirty

    with app.app_context():
        facts.mark(city["A"].id)
        real = facts.refresh_complaint

        def meanwhile(complaint_id, *args, **kwargs):
            real(complaint_id, *args, **kwargs)
            facts.mark(complaint_id)  # another event committed while the worker worked

        monkeypatch.setattr(facts, "refresh_complaint", meanwhile)
        assert facts.refresh_dirty() == 1
        assert StatDirty.select().count() == 1


def test_figures_of_one_year(app, city):
    with app.app_context():
        f = figures.compute(2026)
    assert f.years == [2025, 2026]
    assert (f.received, f.confidential, f.forwarded) == (5, 1, 4)
    assert f.by_year == [(2025, 1), (2026, 5)]
    assert f.by_month == [(1, 0), (2, 3), (3, 2)] + [(m, 0) for m in range(4, 13)]
    assert [(str(k), n) for k, n in f.by_opd] == [
        ("Belum diteruskan ke OPD", 2),
        ("Dinas Pekerjaan Umum dan Penataan Ruang", 2), ("Laporan rahasia", 1)]
    assert [(str(k), n) for k, n in f.by_category] == [
        ("Jalan rusak", 3), ("Parkir", 1), ("Laporan rahasia", 1)]
    assert [(str(k), n) for k, n in f.by_channel] == [
        ("web", 3), ("rabeg", 1), ("Laporan rahasia", 1)]
    assert (f.followed_up, f.followed_up_pct) == (2, 50.0)
    assert (f.resolved_photo, f.resolved_photo_pct) == (1, 25.0)
    assert vars(f.first_response) == {"n": 4, "median": 1, "p90": 4}
    assert vars(f.resolution) == {"n": 2, "median": 3, "p90": 10}
    assert f.overdue == 2
    assert f.budget == [(2027, 1)]
    assert (f.rating_n, f.rating_average) == (2, 3.0)


def test_figures_of_all_years(app, city):
    with app.app_context():
        f = figures.compute(None)
    assert (f.received, f.confidential, f.forwarded) == (6, 1, 4)
    assert f.by_month == [("2025-12", 1), ("2026-02", 3), ("2026-03", 2)]
    assert [(str(k), n) for k, n in f.by_category][0] == ("Jalan rusak", 4)
    assert vars(f.first_response) == {"n": 4, "median": 1, "p90": 4}


def test_a_year_without_complaints_has_no_figures_but_no_error(app, city):
    with app.app_context():
        f = figures.compute(2019)
    assert f.received == 0 and f.followed_up_pct is None and f.first_response.median is None
    assert f.by_month == [(m, 0) for m in range(1, 13)]


def test_rebuild_gives_the_same_figures(app, city):
    with app.app_context():
        before = figures.compute(2026).as_json()
        StatCell.delete().execute()
        with clock.freeze(at(history.NOW)):
            assert facts.rebuild_all(batch=2) == 6
        assert figures.compute(2026).as_json() == before


def test_overdue_is_recounted_as_time_passes(app, city):
    with app.app_context():
        with clock.freeze(at("2026-03-05 12:00")):
            facts.refresh_overdue()  # E is due at the end of today
        assert figures.compute(2026).overdue == 1  # only C


def test_figures_read_only_the_aggregate_tables(app, city):
    """At a million complaints the page must not touch `complaint` or the facts."""
    seen = []
    real = database.obj.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        seen.append(sql)
        return real(sql, params, *args, **kwargs)

    with app.app_context():
        database.obj.execute_sql = spy
        try:
            figures.compute(2026)
            figures.compute(None)
        finally:
            database.obj.execute_sql = real
    touched = " ".join(seen)
    assert '"stat_cell"' in touched
    for table in ('"complaint"', '"stat_fact"', '"timeline_event"'):
        assert table not in touched


def test_percentile_is_nearest_rank():
    assert figures.percentile({}, 50) is None
    assert figures.percentile({5: 1}, 90) == 5
    assert figures.percentile({1: 2, 3: 1, 4: 1}, 50) == 1
    assert figures.percentile({1: 2, 3: 1, 4: 1}, 90) == 4
    assert figures.percentile({i: 1 for i in range(1, 11)}, 90) == 9
