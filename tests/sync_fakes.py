"""An in-memory connector plugin: the sync engine's tests talk to it through
the real plugin manager, exactly as to a connector over HTTP."""
from datetime import datetime, timedelta

from portal.plugin_api import (
    ConfigKey,
    Connector,
    FetchResult,
    Health,
    PushResult,
    RemoteComplaint,
    RemoteReply,
    hookimpl,
)
from portal.plugins import manager as plugins

BASE_TIME = datetime(2026, 3, 1, 8, 0)


class FakeConnector(Connector):
    label, version = "Aplikasi Uji", "9.9"
    config_schema = {"base_url": ConfigKey(None, required=True),
                     "token": ConfigKey(None, secret=True)}

    def __init__(self, name="fake"):
        self.name = name
        self.remote: dict[str, RemoteComplaint] = {}
        self.pushed = []
        self.failures: list[Exception] = []  # raised by the next pushes, in order
        self.clock = BASE_TIME

    # remote side ----------------------------------------------------------
    def tick(self) -> datetime:
        self.clock += timedelta(minutes=1)
        return self.clock

    def put(self, external_id, **fields) -> RemoteComplaint:
        item = self.remote.get(external_id)
        if item is None:
            item = RemoteComplaint(external_id=external_id, title=f"Laporan {external_id}",
                                   body="Lampu jalan mati sejak seminggu.", updated_at=self.tick())
            self.remote[external_id] = item
        for key, value in fields.items():
            setattr(item, key, value)
        item.updated_at = fields.get("updated_at") or self.tick()
        return item

    def reply(self, external_id, reply_id, text):
        item = self.remote[external_id]
        item.replies.append(RemoteReply(external_id=reply_id, text=text))
        item.updated_at = self.tick()

    # the connector ------------------------------------------------------
    @hookimpl
    def aduan_connectors(self):
        return [self]

    def fetch(self, config, cursor, external_id=None):
        if external_id:
            return FetchResult([self.remote[external_id]], cursor)
        since = datetime.fromisoformat(cursor) if cursor else datetime.min
        items = [i for i in self.remote.values() if i.updated_at > since]
        newest = max([i.updated_at for i in items], default=since)
        return FetchResult(items, newest.isoformat())

    def push(self, config, update):
        if self.failures:
            raise self.failures.pop(0)
        self.pushed.append(update)
        return PushResult(f"r{len(self.pushed)}")

    def health(self, config):
        return Health(True, "baik")


def install_fake(app, name="fake", **config) -> FakeConnector:
    fake = FakeConnector(name)
    plugins.manager().register(fake, name=f"test-{name}")
    connectors = dict(app.config.get("CONNECTORS") or {})
    connectors[name] = {"base_url": "http://127.0.0.1:9", **config}
    app.config["CONNECTORS"] = connectors
    app.config["SYNC_BACKOFF_BASE"] = 0
    return fake
