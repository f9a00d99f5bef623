from portal.models import Opd, User
from portal import accounts


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


def test_create_user_reads_password_from_stdin(app, demo):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "op2", "--role", "operator", "--opd", "dishub",
                                 "--password-stdin"], input="rahasia-sekali\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = User.get(User.username == "op2")
        assert user.opd.code == "DISHUB" and user.role == "operator"
        assert user.password_hash.startswith("$argon2id$")
        assert accounts.check_password(user, "rahasia-sekali")
        assert not accounts.check_password(user, "salah")


def test_create_user_refuses_bad_input_clearly(app, demo):
    runner = app.test_cli_runner()
    cases = [
        (["create-user", "x", "--role", "kabid", "--opd", "DISHUB", "--password-stdin"], "memerlukan --bidang"),
        (["create-user", "x", "--role", "operator", "--opd", "NOPE", "--password-stdin"], "OPD tidak dikenal"),
        (["create-user", "admin", "--role", "admin", "--password-stdin"], "sudah dipakai"),
    ]
    for args, message in cases:
        result = runner.invoke(args=args, input="rahasia-sekali\n")
        assert result.exit_code != 0 and message in result.output
    short = runner.invoke(args=["create-user", "y", "--role", "admin", "--password-stdin"], input="pendek\n")
    assert "minimal 8" in short.output
