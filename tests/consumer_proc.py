"""A real `huey_consumer` process on a test instance folder, to kill -9 and
restart, and enqueueing into that instance's SqliteHuey file."""
import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

from huey.storage import SqliteStorage

from portal.tasks.app import huey

ROOT = Path(__file__).resolve().parent.parent


def wait_for(condition, timeout=20.0, what="condition", step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")


def start_consumer(instance: Path, log, workers: int = 1):
    env = {**os.environ, "ADUAN_INSTANCE_PATH": str(instance)}
    for key in ("HUEY_URL", "DATABASE_URL", "ADUAN_FAKE_NOW"):
        env.pop(key, None)
    return subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "portal.worker.huey",
         "-w", str(workers), "-k", "thread", "-n", "-f", "-d", "0.05", "-m", "0.2", "-b", "1.05"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def kill(process) -> None:
    """SIGKILL: no cleanup runs, exactly like a crashed or OOM-killed worker."""
    process.kill()
    process.wait(5)


@contextlib.contextmanager
def instance_queue(instance: Path):
    """Tasks sent in this block go to the instance's queue, not run in-process."""
    immediate, original = huey.immediate, huey.storage
    huey.immediate = False
    huey.storage = SqliteStorage(name=huey.name, filename=str(instance / "huey.db"))
    try:
        yield
    finally:
        huey.storage, huey.immediate = original, immediate
