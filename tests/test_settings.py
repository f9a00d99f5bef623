import pytest

from portal import config as settings


def test_defaults_put_everything_in_the_instance_folder(tmp_path):
    loaded = settings.load(tmp_path)
    assert loaded["DATABASE_URL"] == f"sqlite:///{tmp_path / 'aduan.db'}"
    assert loaded["UPLOAD_FOLDER"] == str(tmp_path / "uploads")
    assert loaded["TIMEZONE"] == "Asia/Jakarta"


def test_instance_config_then_environment_win(tmp_path, monkeypatch):
    (tmp_path / "config.py").write_text("CITY_NAME = 'Kabupaten Lebak'\nTIMEZONE = 'Asia/Makassar'\n")
    monkeypatch.setenv("ADUAN_TIMEZONE", "Asia/Jayapura")
    monkeypatch.setenv("DATABASE_URL", "postgresql://aduan@127.0.0.1/aduan")
    loaded = settings.load(tmp_path)
    assert loaded["CITY_NAME"] == "Kabupaten Lebak"
    assert loaded["TIMEZONE"] == "Asia/Jayapura"
    assert loaded["DATABASE_URL"] == "postgresql://aduan@127.0.0.1/aduan"


def test_instance_path_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ADUAN_INSTANCE_PATH", str(tmp_path))
    assert settings.instance_path() == tmp_path


def test_environment_values_take_the_type_of_their_default(tmp_path, monkeypatch):
    monkeypatch.setenv("ADUAN_MAX_PHOTOS", "5")
    monkeypatch.setenv("ADUAN_MAIL_USE_TLS", "tidak")
    monkeypatch.setenv("ADUAN_SYNC_BACKOFF_BASE", "2.5")
    monkeypatch.setenv("ADUAN_LANGUAGES", '["id"]')
    loaded = settings.load(tmp_path)
    assert loaded["MAX_PHOTOS"] == 5
    assert loaded["MAIL_USE_TLS"] is False
    assert loaded["SYNC_BACKOFF_BASE"] == 2.5
    assert loaded["LANGUAGES"] == ["id"]


def test_an_app_starts_and_serves_with_a_numeric_setting_from_the_environment(tmp_path, monkeypatch):
    from portal import create_app

    monkeypatch.setenv("ADUAN_MAX_PHOTOS", "5")
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
                      "LOAD_ENTRY_POINTS": False})
    assert app.config["MAX_PHOTOS"] == 5
    # The body limit is computed from it: a string would have raised TypeError.
    assert app.config["MAX_CONTENT_LENGTH"] == 5 * app.config["MAX_PHOTO_BYTES"] + 1024 * 1024


@pytest.mark.parametrize("name,value", [("ADUAN_MAX_PHOTOS", "lima"),
                                        ("ADUAN_MAIL_USE_SSL", "mungkin"),
                                        ("ADUAN_LANGUAGES", "id,en")])
def test_a_bad_environment_value_is_named_at_start(tmp_path, monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(settings.ConfigError, match=name):
        settings.load(tmp_path)


def test_every_engine_setting_has_one_default():
    from portal.sync import config as sync_config

    assert not hasattr(sync_config, "ENGINE_DEFAULTS")
    for key in ("SYNC_MAX_ATTEMPTS", "SYNC_BACKOFF_BASE", "SYNC_DUPLICATE_DAYS"):
        assert sync_config.engine_setting(key, {}) == settings.DEFAULTS[key]
