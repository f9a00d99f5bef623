"""`/hooks/<connector>`: one route for every connector, verification done by
the connector object, and never a 500 whatever arrives."""
import pytest

from portal.complaints.models import Complaint
from portal.plugin_api import WebhookRefused, hmac_sha256, signature_matches
from portal.sync.models import SyncRun
from sync_fakes import FakeConnector, install_fake

SECRET = "rahasia"


class HookedFake(FakeConnector):
    """Signs the raw body; `bug` makes verification or parsing blow up."""

    bug = None

    def webhook_enabled(self, config):
        if self.bug == "enabled":
            raise AttributeError("plugin bug")
        return bool(config.get("token"))

    def verify_webhook(self, config, request):
        if self.bug == "verify":
            raise RuntimeError("plugin bug")
        if not signature_matches(hmac_sha256(config["token"], request.body),
                                 request.header("X-Tanda")):
            raise WebhookRefused("tanda tangan tidak sah", status=403)

    def parse_webhook(self, config, request):
        if self.bug == "parse":
            raise KeyError("plugin bug")
        return request.body.decode().split(",")


@pytest.fixture
def hooked(app):
    fake = HookedFake("kabku")
    from portal.plugins import manager as plugins

    plugins.manager().register(fake, name="test-kabku")
    app.config["CONNECTORS"] = {"kabku": {"base_url": "http://127.0.0.1:9", "token": SECRET}}
    with app.app_context():
        yield fake


def _post(client, body: bytes, secret=SECRET, name="kabku"):
    return client.post(f"/hooks/{name}", data=body,
                       headers={"X-Tanda": hmac_sha256(secret, body)})


def test_a_verified_webhook_pulls_each_announced_item(hooked, client):
    hooked.put("k1")
    hooked.put("k2")
    assert _post(client, b"k1,k2").status_code == 204
    assert {c.external_id for c in Complaint.select()} == {"k1", "k2"}
    assert SyncRun.select().count() == 2  # one pull per announced item


@pytest.mark.parametrize("name", ["tidak-ada", "sp4n", "rabeg"])
def test_unknown_or_unconfigured_connectors_are_404(hooked, client, name):
    response = _post(client, b"k1", name=name)
    assert response.status_code == 404 and response.json["error"]


def test_webhook_off_without_its_secret(hooked, client, app):
    app.config["CONNECTORS"]["kabku"]["token"] = None
    assert _post(client, b"k1").status_code == 404


def test_connector_chooses_403_with_a_short_message(hooked, client):
    hooked.put("k1")
    response = _post(client, b"k1", secret="salah")
    assert response.status_code == 403 and response.json == {"error": "tanda tangan tidak sah"}
    assert Complaint.select().count() == 0


@pytest.mark.parametrize("bug,status", [("enabled", 404), ("verify", 403), ("parse", 400)])
def test_a_plugin_bug_is_a_4xx_not_a_500(hooked, client, bug, status):
    hooked.bug = bug
    hooked.put("k1")
    assert _post(client, b"k1").status_code == status
    assert Complaint.select().count() == 0


def test_the_body_is_capped_before_verification(hooked, client, app):
    app.config["WEBHOOK_MAX_BYTES"] = 16
    hooked.put("k1")
    assert _post(client, b"k1," + b"x" * 16).status_code == 413
    assert _post(client, b"k1").status_code == 204


def test_get_is_not_allowed(hooked, client):
    assert client.get("/hooks/kabku").status_code == 405


def test_install_fake_connector_has_no_webhook(app, client):
    install_fake(app, "plain")
    with app.app_context():
        assert client.post("/hooks/plain", data=b"x").status_code == 404


def test_a_queue_that_is_down_is_a_503_the_remote_may_retry(hooked, client, monkeypatch):
    import redis

    from portal.web import hooks

    def broker_down(*args):
        raise redis.ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(hooks, "pull_task", broker_down)
    response = _post(client, b"k1")
    assert response.status_code == 503 and "coba lagi" in response.json["error"]
