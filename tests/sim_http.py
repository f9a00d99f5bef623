"""Helpers for tests that call a simulator over real HTTP on loopback: a plain
session, fault arming, the control state, and an upload-ready photo."""
import pytest
import requests

from simulators.simkit import make_jpeg


@pytest.fixture
def http():
    session = requests.Session()
    session.trust_env = False  # loopback only, never through a proxy from the environment
    yield session
    session.close()


def arm(sim, http, **fault):
    response = http.post(f"{sim.root_url}/_sim/faults", json=fault)
    assert response.status_code == 201, response.text


def sim_state(sim, http):
    return http.get(f"{sim.root_url}/_sim/state").json()


def photo(label):
    return (f"{label}.jpg", make_jpeg(label), "image/jpeg")
