"""The flask --app portal commands: db upgrade, seed, init-instance, create-user."""
from portal.accounts import users as accounts
from portal.accounts.models import User
from portal.directory.models import Opd


def test_db_upgrade_is_idempotent(app):
    runner = app.test_cli_runner()
    assert "skema sudah mutakhir" in runner.invoke(args=["db", "upgrade"]).output


def test_seed_runs_once_and_prints_passwords_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0 and "operator.dishub" in first.output
    with app.app_context():
        opds = Opd.select().count()
        password = next(line.split()[-1] for line in first.output.splitlines() if "operator.dishub" in line)
        assert accounts.check_password(User.get(User.username == "operator.dishub"), password)
    second = runner.invoke(args=["seed"])
    assert "sudah ada" in second.output and "operator.dishub" not in second.output
    with app.app_context():
        assert Opd.select().count() == opds >= 8


def test_init_instance_writes_a_secret_key_once(app, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(args=["init-instance"])
    config = tmp_path / "instance" / "config.py"
    key = config.read_text()
    assert "SECRET_KEY" in key and len(key) > 60
    runner.invoke(args=["init-instance"])
    assert config.read_text() == key


def test_create_user_reads_the_password_from_stdin(app, demo):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "kabid.parkir", "--role", "kabid", "--opd", "dishub",
                                 "--bidang", "Bidang Perparkiran", "--password-stdin"],
                           input="rahasia-panjang\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        created = User.get(User.username == "kabid.parkir")
        assert created.opd.code == "DISHUB" and created.bidang.name == "Bidang Perparkiran"
        assert created.password_hash.startswith("$argon2")
        assert accounts.check_password(created, "rahasia-panjang")


def test_create_user_prompts_twice_without_stdin_flag(app, demo):
    result = app.test_cli_runner().invoke(args=["create-user", "auditor2", "--role", "auditor"],
                                          input="kata-sandi-1\nkata-sandi-1\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert User.get(User.username == "auditor2").opd is None


def test_create_user_explains_what_is_wrong(app, demo):
    runner = app.test_cli_runner()
    cases = [
        (["create-user", "op", "--role", "operator", "--password-stdin"], "memerlukan --opd"),
        (["create-user", "op", "--role", "operator", "--opd", "XYZ", "--password-stdin"],
         "OPD tidak dikenal"),
        (["create-user", "kb", "--role", "kabid", "--opd", "DISHUB", "--bidang", "Bidang Pasar",
          "--password-stdin"], "bidang tidak dikenal"),
        (["create-user", "admin", "--role", "admin", "--password-stdin"], "sudah dipakai"),
    ]
    for args, message in cases:
        result = runner.invoke(args=args, input="cukup-panjang\n")
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    short = runner.invoke(args=["create-user", "baru", "--role", "admin", "--password-stdin"],
                          input="pendek\n")
    assert short.exit_code != 0 and "minimal 8" in short.output
