"""Fixtures for connector tests: the simulators over real HTTP on loopback,
and an app configured to talk to them with short timeouts and no backoff."""
import pytest
import requests

from portal.complaints.models import Complaint
from portal.sync.models import ExternalRef
from simulators.demo import WEBHOOK_SECRET, demo_config
from simulators.rabeg import server as rabeg_simulator
from simulators.sp4n import server as sp4n_simulator

CLIENT_TIMEOUT = 0.5


class Sim:
    """A running simulator and its control API."""

    def __init__(self, server, base_url):
        self.server, self.base_url, self.root = server, base_url, server.root_url

    def control(self, method, path, **kwargs):
        response = requests.request(method, self.root + "/_sim" + path, timeout=5, **kwargs)
        assert response.status_code < 300, response.text
        return response.json()

    def fault(self, type, **spec):
        return self.control("POST", "/faults", json={"type": type, **spec})

    def state(self):
        return self.control("GET", "/state")

    @property
    def port(self):
        return self.server.port


@pytest.fixture
def sp4n_sim():
    server, base_url = sp4n_simulator.serve(port=0)
    yield Sim(server, base_url)
    server.shutdown()


@pytest.fixture
def rabeg_sim():
    server, base_url = rabeg_simulator.serve(port=0)
    yield Sim(server, base_url)
    server.shutdown()


def configure(app, **sims):
    """Point the app's connectors at the given simulators (sp4n=…, rabeg=…)."""
    ports = {name: sim.port for name, sim in sims.items()}
    full = demo_config(ports.get("sp4n", 9), ports.get("rabeg", 9))
    connectors = {}
    for name in sims:
        connectors[name] = {**full[name], "timeout": CLIENT_TIMEOUT}
    app.config["CONNECTORS"] = connectors
    app.config["SYNC_BACKOFF_BASE"] = 0
    return connectors


def by_external(channel, external_id) -> Complaint:
    ref = ExternalRef.get((ExternalRef.channel == channel)
                          & (ExternalRef.external_id == str(external_id)))
    return Complaint.get_by_id(ref.complaint_id)


__all__ = ["Sim", "sp4n_sim", "rabeg_sim", "configure", "by_external", "WEBHOOK_SECRET"]
