from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from portal.deadlines import workdays
from portal.deadlines.workdays import Calendar, add_working_days, count_working_days


def test_three_working_days_after_17_march_2026_skip_nyepi_and_idul_fitri():
    # 18-19 Nyepi (cuti bersama + holiday), 20-24 Idul Fitri with cuti bersama.
    assert add_working_days(date(2026, 3, 17), 3) == date(2026, 3, 27)
    assert count_working_days(date(2026, 3, 17), date(2026, 3, 27)) == 3


def test_idul_fitri_2025():
    # 28 March cuti bersama Nyepi, 31 March - 7 April Idul Fitri and cuti bersama.
    assert add_working_days(date(2025, 3, 27), 1) == date(2025, 4, 8)
    assert add_working_days(date(2025, 3, 26), 5) == date(2025, 4, 11)  # 27 Mar, 8-11 Apr


def test_cuti_bersama_needs_the_government_category():
    assert date(2025, 4, 2) in workdays.national_holidays(2025)  # cuti bersama
    assert not Calendar().is_working_day(date(2025, 4, 2))
    assert not Calendar().is_working_day(date(2026, 3, 24))


@pytest.mark.parametrize("start, n, expected", [
    (date(2025, 12, 24), 1, date(2025, 12, 29)),  # Christmas, cuti bersama, weekend
    (date(2025, 12, 24), 4, date(2026, 1, 2)),  # New Year's Day skipped
    (date(2026, 12, 23), 1, date(2026, 12, 28)),  # 24 cuti bersama, 25 Christmas
    (date(2026, 12, 30), 2, date(2027, 1, 4)),  # 31 Dec, then New Year and a weekend
    (date(2026, 3, 17), 0, date(2026, 3, 17)),
])
def test_year_ends(start, n, expected):
    assert add_working_days(start, n) == expected


def test_weekends_are_off():
    assert add_working_days(date(2026, 5, 8), 1) == date(2026, 5, 11)  # Friday -> Monday


def test_admin_days_off_and_restored_days():
    regional = date(2026, 3, 26)
    assert add_working_days(date(2026, 3, 17), 3, extra_off={regional}) == date(2026, 3, 30)
    restored = date(2026, 3, 24)  # a cuti bersama an admin turned back into a working day
    assert add_working_days(date(2026, 3, 17), 3, restored={restored}) == date(2026, 3, 26)


def test_previous_working_day():
    assert Calendar().previous(date(2026, 3, 25)) == date(2026, 3, 17)


def test_negative_n_is_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1)


@settings(max_examples=60, deadline=None)
@given(start=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)),
       n=st.integers(min_value=0, max_value=40))
def test_count_inverts_add(start, n):
    end = add_working_days(start, n)
    assert count_working_days(start, end) == n
    if n:
        assert Calendar().is_working_day(end)
        assert count_working_days(start, end - timedelta(days=1)) == n - 1


def test_current_calendar_reads_the_admin_changes(app):
    with app.app_context():
        workdays.DayOff.create(day=date(2026, 3, 26), off=True, note="Hari jadi Kota Serang")
        workdays.DayOff.create(day=date(2026, 3, 24), off=False)
        calendar = workdays.current_calendar()
    assert not calendar.is_working_day(date(2026, 3, 26))
    assert calendar.is_working_day(date(2026, 3, 24))
