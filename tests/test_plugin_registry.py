"""Connectors by registry: a third-party connector installed through an
entry point (so registered after the built-ins, as in production) cannot
answer for SP4N or Rabeg, and two plugins claiming one name stop start-up.

The third-party plugin is a real distribution on sys.path: a module plus a
`.dist-info` with its entry point, discovered by importlib.metadata exactly
as a pip-installed package is."""
import importlib
import sys
import textwrap

import pytest

from conftest import make_test_app
from connector_env import by_external, configure, rabeg_sim, sp4n_sim  # noqa: F401
from connector_flow import answer
from portal.db import database
from portal.plugins import manager as plugins
from portal.plugins.registry import ConnectorConflict
from portal.sync import config as sync_config, engine, outbox

# A connector written the easy way: no guards anywhere.  With per-name
# firstresult hooks this one, registered last, answered for every channel.
UNGUARDED = '''
from portal.plugin_api import (ConfigKey, Connector, FetchResult, Health, PushResult,
                               RemoteComplaint, hookimpl)

CALLS = []


class Kabku(Connector):
    name = "{name}"
    label = "Lapor Kabku"
    version = "1.2.3"
    config_schema = {{"base_url": ConfigKey(None, required=True)}}

    def fetch(self, config, cursor, external_id=None):
        CALLS.append(("fetch", config["base_url"]))
        return FetchResult([], cursor)

    def push(self, config, update):
        CALLS.append(("push", update.external_id))
        return PushResult("kabku-1")

    def health(self, config):
        CALLS.append(("health", config["base_url"]))
        return Health(True, "kabku baik")


@hookimpl
def aduan_connectors():
    return [Kabku()]
'''


def install_distribution(site, monkeypatch, module, name):
    """A distribution `module` with an `aduan.connectors` entry point."""
    site.mkdir(exist_ok=True)
    (site / f"{module}.py").write_text(UNGUARDED.format(name=name))
    info = site / f"{module}-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text(
        textwrap.dedent(f"""\
            [{plugins.ENTRY_POINT_GROUP}]
            {module} = {module}
            """))
    monkeypatch.syspath_prepend(str(site))
    importlib.invalidate_caches()


@pytest.fixture
def cleanup_modules():
    yield
    for name in [m for m in sys.modules if m.startswith("kabku_")]:
        del sys.modules[name]
    database.close()


def test_an_unguarded_third_party_connector_leaves_sp4n_and_rabeg_alone(
        tmp_path, monkeypatch, cleanup_modules, sp4n_sim, rabeg_sim):  # noqa: F811
    install_distribution(tmp_path / "site", monkeypatch, "kabku_connector", "kabku")
    app = make_test_app(tmp_path, LOAD_ENTRY_POINTS=True)
    from portal import seed

    with app.app_context():
        seed.seed_demo()
    configure(app, sp4n=sp4n_sim, rabeg=rabeg_sim)
    app.config["CONNECTORS"]["kabku"] = {"base_url": "http://127.0.0.1:9/kabku"}
    kabku = sys.modules["kabku_connector"]
    with app.app_context():
        # Registered after the built-ins, as entry points are.
        names = [name for name, _plugin in plugins.manager().list_name_plugin()]
        assert names.index("kabku_connector") > names.index("connectors.sp4n.plugin")
        assert list(sync_config.connectors()) == ["sp4n", "rabeg", "kabku"]

        assert engine.run_pass("sp4n").created == 10
        assert engine.run_pass("rabeg").created == 10
        assert engine.health("sp4n").message.startswith("terhubung")
        assert engine.health("rabeg").message.startswith("terhubung")
        answer(by_external("sp4n", 48202), app.config["UPLOAD_FOLDER"], "Lampu sudah diganti.")
        outcome = outbox.deliver_due()
        assert outcome["done"] >= 1 and outcome["retry"] == outcome["dead"] == 0
        assert engine.run_pass("kabku").error == ""
        assert engine.health("kabku").message == "kabku baik"
    posted = [f["content"] for f in sp4n_sim.state()["posted_followups"]]
    assert "Lampu sudah diganti." in posted
    # The third party was asked only about its own channel.
    assert kabku.CALLS == [("fetch", "http://127.0.0.1:9/kabku"),
                           ("health", "http://127.0.0.1:9/kabku")]


def test_two_plugins_claiming_one_name_stop_start_up(tmp_path, monkeypatch, cleanup_modules):
    install_distribution(tmp_path / "site", monkeypatch, "kabku_impostor", "sp4n")
    with pytest.raises(ConnectorConflict) as refused:
        make_test_app(tmp_path, LOAD_ENTRY_POINTS=True)
    message = str(refused.value)
    assert "'sp4n'" in message and "connectors.sp4n.plugin" in message
    assert "kabku_impostor" in message


def test_a_plugin_returning_something_else_is_named(app):
    class Broken:
        @plugins.hookspecs.hookimpl
        def aduan_connectors(self):
            return [object()]

    pm = plugins.make_manager(load_entry_points=False)
    pm.register(Broken(), name="broken-plugin")
    with pytest.raises(ConnectorConflict, match="broken-plugin"):
        sync_config.connectors(pm)
