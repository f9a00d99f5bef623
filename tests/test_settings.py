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
