from datetime import date, datetime

import pytest

from deadline_helpers import act, forward, make_city, new_complaint
from portal.complaints.models import Complaint
from portal.deadlines import sla as deadlines, workdays
from portal.deadlines.sla import SlaRule
from tests.conftest import make_test_app

ADMIN, OPERATOR, PIMPINAN, KABID = "admin", "operator", "pimpinan", "kabid"


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        make_city()
        yield


def end_of_day_wib(day: date) -> datetime:
    """23:59:59 WIB of `day`, stored as naive UTC."""
    return datetime(day.year, day.month, day.day, 16, 59, 59)


def test_the_default_policy_is_installed_by_the_migration(ctx):
    rules = deadlines.rules()
    assert rules[("verifikasi", "", "")].amount == 3
    assert rules[("tindak_lanjut", "pengaduan", "")].amount == 14
    assert rules[("tindak_lanjut", "pengawasan", "")].amount == 60
    assert rules[("tanggapan_awal", "", "rabeg")].unit == deadlines.HOURS
    assert deadlines.install_defaults() == 0


def test_verification_is_due_three_working_days_after_arrival(ctx):
    complaint = new_complaint("2026-03-17 09:00")
    assert complaint.due_stage == deadlines.VERIFICATION
    assert complaint.due_at == end_of_day_wib(date(2026, 3, 27))


def test_first_response_then_follow_up_by_classification(ctx):
    complaint = forward(new_complaint("2026-03-24 08:00"), "2026-03-25 10:00")
    assert complaint.due_stage == deadlines.FIRST_RESPONSE
    assert complaint.due_at == end_of_day_wib(date(2026, 4, 1))  # 5 HK
    complaint = act(complaint, "laporkan", "2026-03-26 09:00", OPERATOR)
    assert complaint.due_stage == deadlines.FOLLOW_UP
    # 14 HK from the day it was forwarded; Good Friday (3 April) is off.
    assert complaint.due_at == end_of_day_wib(date(2026, 4, 15))
    assert complaint.escalate_admin_at == end_of_day_wib(
        workdays.add_working_days(date(2026, 3, 25), 28))


def test_aspirasi_and_field_inspection(ctx):
    aspirasi = act(forward(new_complaint("2026-03-24 08:00", classification="aspirasi"),
                           "2026-03-25 10:00"), "laporkan", "2026-03-25 11:00", OPERATOR)
    assert aspirasi.due_at == end_of_day_wib(date(2026, 4, 1))
    inspected = forward(new_complaint("2026-03-24 08:00"), "2026-03-25 10:00")
    Complaint.update(field_inspection=True).where(Complaint.id == inspected.id).execute()
    inspected = act(inspected, "laporkan", "2026-03-25 11:00", OPERATOR)
    assert inspected.due_at == end_of_day_wib(workdays.add_working_days(date(2026, 3, 25), 60))


def test_rabeg_gets_three_times_24_hours(ctx):
    complaint = forward(new_complaint("2026-03-24 08:00", channel="rabeg"), "2026-03-25 10:00")
    assert complaint.due_at == datetime(2026, 3, 28, 3, 0)  # 28 March 10:00 WIB
    rule = deadlines.rule_of(complaint)
    assert "72 jam" in rule.describe() and "Rabeg" in rule.describe()


def test_waiting_for_a_budget_stops_the_follow_up_clock(ctx):
    complaint = forward(new_complaint("2026-04-06 08:00"), "2026-04-06 10:00")
    complaint = act(complaint, "laporkan", "2026-04-06 11:00", OPERATOR)
    assert complaint.due_at == end_of_day_wib(date(2026, 4, 24))  # 14 HK
    complaint = act(complaint, "disposisi", "2026-04-07 09:00", PIMPINAN)
    complaint = act(complaint, "tunggu_anggaran", "2026-04-08 09:00", KABID)
    assert complaint.due_at is None
    assert complaint.budget_year == 2027
    view = deadlines.for_display(complaint)
    assert view.budget_year == 2027 and not view.overdue
    # Back after 10 working days (8 -> 22 April): the deadline moves by as much.
    complaint = act(complaint, "tindak_lanjut", "2026-04-22 09:00", KABID)
    assert complaint.due_at == end_of_day_wib(workdays.add_working_days(date(2026, 4, 24), 10))


def test_reply_window_after_publication_and_nothing_when_closed(ctx):
    complaint = act(forward(new_complaint("2026-04-06 08:00"), "2026-04-06 10:00"),
                    "laporkan", "2026-04-06 11:00", OPERATOR)
    complaint = act(complaint, "jawab", "2026-04-07 09:00", PIMPINAN)
    complaint = act(complaint, "publikasikan", "2026-04-07 10:00", OPERATOR)
    assert complaint.due_stage == deadlines.REPORTER_REPLY
    assert complaint.due_at == end_of_day_wib(date(2026, 4, 21))  # 10 HK
    complaint = act(complaint, "tutup", "2026-04-08 10:00", OPERATOR)
    assert complaint.due_at is None and complaint.due_stage is None


def test_policy_and_calendar_changes_are_applied_to_open_complaints(ctx):
    complaint = new_complaint("2026-03-17 09:00")
    SlaRule.update(amount=5).where(SlaRule.stage == deadlines.VERIFICATION).execute()
    assert deadlines.recompute_open() == 1
    assert Complaint.get_by_id(complaint.id).due_at == end_of_day_wib(date(2026, 3, 31))
    workdays.DayOff.create(day=date(2026, 3, 30), note="Libur daerah")
    deadlines.recompute_open()
    assert Complaint.get_by_id(complaint.id).due_at == end_of_day_wib(date(2026, 4, 1))


def test_overdue_in_the_display(ctx):
    complaint = new_complaint("2026-03-17 09:00")
    view = deadlines.for_display(complaint, now=datetime(2026, 3, 27, 16, 0))
    assert not view.overdue and "3 hari kerja" in view.rule and "SP4N" in view.rule
    assert deadlines.for_display(complaint, now=datetime(2026, 3, 27, 17, 0)).overdue


def test_wita_cities_count_days_in_their_own_timezone(tmp_path):
    app = make_test_app(tmp_path, TIMEZONE="Asia/Makassar")
    with app.test_request_context():
        make_city()
        complaint = new_complaint("2026-04-16 23:30")  # Friday 17 April 00:30 WITA
        # Counting starts after 17 April (WITA): 20, 21, 22 April.
        assert complaint.due_at == datetime(2026, 4, 22, 15, 59, 59)
