"""The Huey instance, and nothing else.

SqliteHuey in the instance folder by default, so a city needs no extra
server; set HUEY_URL=redis://... to use Redis.  Tests switch it to
immediate mode.
"""
from pathlib import Path

from huey import RedisHuey, SqliteHuey

from . import settings

_settings = settings.load()


def make_huey(url: str | None, instance: str):
    if url and url.startswith("redis"):
        return RedisHuey("aduan", url=url)
    filename = url.removeprefix("sqlite:///") if url else str(Path(instance) / "huey.db")
    Path(filename).parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("aduan", filename=filename)


huey = make_huey(_settings["HUEY_URL"], _settings["INSTANCE_PATH"])


def check_queue() -> None:
    """Raise if the queue's storage cannot be reached."""
    huey.pending_count()
