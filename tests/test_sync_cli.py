"""`flask connectors` and `flask sync [NAME]`, and settings from the environment."""
import pytest

from connector_env import configure, sp4n_sim  # noqa: F401
from portal.complaints.models import Complaint
from portal.sync import config as sync_config


def test_connectors_lists_installed_with_version_state_and_health(app, demo, sp4n_sim):  # noqa: F811
    configure(app, sp4n=sp4n_sim)
    result = app.test_cli_runner().invoke(args=["connectors"])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert "aktif" in lines["sp4n"] and "kesehatan: OK" in lines["sp4n"]
    assert "belum dikonfigurasi" in lines["rabeg"]
    sp4n_sim.fault("status_5xx", status=500, path="/api/v3/masters")
    failing = app.test_cli_runner().invoke(args=["connectors"]).output
    assert "kesehatan: GAGAL" in failing


def test_sync_runs_one_pass_and_says_what_it_did(app, demo, sp4n_sim):  # noqa: F811
    configure(app, sp4n=sp4n_sim)
    result = app.test_cli_runner().invoke(args=["sync", "sp4n"])
    assert result.exit_code == 0, result.output
    assert "sp4n: diambil 10, baru 10" in result.output
    with app.app_context():
        assert Complaint.select().count() == 10
    again = app.test_cli_runner().invoke(args=["sync"])
    assert "baru 0" in again.output


def test_sync_reports_failure_with_exit_code(app, demo, sp4n_sim):  # noqa: F811
    configure(app, sp4n=sp4n_sim)
    sp4n_sim.fault("status_5xx", status=503)
    result = app.test_cli_runner().invoke(args=["sync", "sp4n"])
    assert result.exit_code == 1 and "GALAT" in result.output


def test_sync_of_unknown_connector_is_a_clear_error(app, demo):
    result = app.test_cli_runner().invoke(args=["sync", "simpel"])
    assert result.exit_code != 0 and "tidak terpasang" in result.output


def test_every_key_can_come_from_the_environment(app, monkeypatch):
    monkeypatch.setenv("ADUAN_SP4N_BASE_URL", "http://127.0.0.1:1/api/v3")
    monkeypatch.setenv("ADUAN_SP4N_ACCESS_TOKEN", "a")
    monkeypatch.setenv("ADUAN_SP4N_INSTITUTION_TOKEN", "b")
    monkeypatch.setenv("ADUAN_SP4N_INSTITUTION_ID", "3673")
    monkeypatch.setenv("ADUAN_SP4N_INTERVAL", "60")
    monkeypatch.setenv("ADUAN_RABEG_ENABLED", "false")
    with app.app_context():
        installed = sync_config.installed()
        sp4n = sync_config.resolve(installed["sp4n"])
        rabeg = sync_config.resolve(installed["rabeg"])
    assert sp4n["active"] and sp4n["institution_id"] == 3673 and sp4n["interval"] == 60
    assert sync_config.public_view(installed["sp4n"], sp4n)["access_token"] == "••••"
    assert not rabeg["active"]


@pytest.mark.parametrize("missing", ["base_url", "institution_id"])
def test_a_connector_missing_a_required_key_is_not_active(app, missing):
    app.config["CONNECTORS"] = {"sp4n": {"base_url": "http://127.0.0.1:1", "access_token": "a",
                                         "institution_token": "b", "institution_id": 1}}
    del app.config["CONNECTORS"]["sp4n"][missing]
    with app.app_context():
        config = sync_config.resolve(sync_config.installed()["sp4n"])
    assert not config["active"] and config["missing"] == [missing]
