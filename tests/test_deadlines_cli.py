from datetime import date

from portal.deadlines import workdays


def run(app, *args):
    return app.test_cli_runner().invoke(args=["hari-kerja", *args])


def test_three_working_days_after_17_march_2026(app):
    result = run(app, "2026-03-17", "3")
    assert result.exit_code == 0 and result.output.strip() == "2026-03-27"


def test_admin_days_off_count(app):
    with app.app_context():
        workdays.DayOff.create(day=date(2026, 3, 26), note="Libur daerah")
    assert run(app, "2026-03-17", "3").output.strip() == "2026-03-30"


def test_bad_input_gets_an_indonesian_message_and_exit_code_2(app):
    bad_date = run(app, "17-03-2026", "3")
    assert bad_date.exit_code == 2 and "Tanggal tidak sah" in bad_date.output
    for n in ("tiga", "-1", "100000"):
        bad_n = run(app, "2026-03-17", n)
        assert bad_n.exit_code == 2 and "N harus bilangan bulat" in bad_n.output
