"""Production mode: the app refuses to serve with a missing or published
SECRET_KEY, and the production extra brings what deploy/ runs."""
import configparser
import subprocess
import sys
from pathlib import Path

import pytest

from portal import create_app
from portal.config import ConfigError
from portal.db import database

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_KEY = "change-me: python -c 'import secrets; print(secrets.token_hex(32))'"


def _app(tmp_path, **config):
    instance = tmp_path / "instance"
    return create_app({"INSTANCE_PATH": str(instance), "LOAD_ENTRY_POINTS": False,
                       "DATABASE_URL": f"sqlite:///{instance / 'aduan.db'}", **config})


@pytest.mark.parametrize("key", [None, "", EXAMPLE_KEY, "dev", "secret", "kunci"])
def test_refuses_to_serve_with_a_missing_or_default_key(tmp_path, monkeypatch, key):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("ADUAN_SECRET_KEY", raising=False)
    config = {} if key is None else {"SECRET_KEY": key}
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        _app(tmp_path, **config)


def test_the_example_config_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text((ROOT / "instance" / "config.example.py").read_text())
    with pytest.raises(ConfigError):
        _app(tmp_path)


def test_a_random_key_serves_and_tests_may_go_without(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    assert _app(tmp_path, SECRET_KEY="9f" * 32).config["SECRET_KEY"] == "9f" * 32
    assert len(_app(tmp_path, TESTING=True).config["SECRET_KEY"]) == 64
    database.close()


def test_commands_that_serve_nothing_work_without_a_key(tmp_path):
    """`make run` starts with `flask init-instance` before any key exists;
    `flask run` then serves with the key that command wrote."""
    env = {"ADUAN_INSTANCE_PATH": str(tmp_path), "PATH": str(Path(sys.executable).parent)}
    flask = Path(sys.executable).parent / "flask"
    upgrade = subprocess.run([flask, "--app", "portal", "db", "upgrade"], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    assert upgrade.returncode == 0, upgrade.stderr
    serve = subprocess.run([flask, "--app", "portal", "run", "--port", "1"], env=env, cwd=ROOT,
                           capture_output=True, text=True, timeout=120)
    assert serve.returncode != 0 and "SECRET_KEY" in serve.stderr
    subprocess.run([flask, "--app", "portal", "init-instance"], env=env, cwd=ROOT, check=True,
                   capture_output=True, timeout=120)
    key = (tmp_path / "config.py").read_text()
    assert "SECRET_KEY" in key and "change-me" not in key


def test_the_production_extra_brings_gunicorn():
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    production = parser["options.extras_require"]["production"]
    assert "gunicorn" in production and "psycopg2" in production and "redis" in production
