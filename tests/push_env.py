"""The push chain's moving parts for tests and benchmarks: the WhatsApp
simulator, a real `huey_consumer` on the instance's SqliteHuey file, and the
demo staff all set to WhatsApp.  The web side enqueues into the same file,
so a handoff travels commit → queue → consumer → Graph API simulator."""
import os
import subprocess
import sys
import time
from pathlib import Path

from huey.storage import SqliteStorage

from portal.accounts.models import User
from portal.notifications import preferences
from portal.tasks.app import huey
from simulators.whatsapp import server as wa_sim

ROOT = Path(__file__).resolve().parent.parent
SECRET = "rahasia-aplikasi-uji"
# One WhatsApp number per demo staff member.
PHONES = {"admin": "081200000001", "operator.dpupr": "081200000002",
          "pimpinan.dpupr": "081200000003", "kabid.binamarga": "081200000004"}


def wa_of(username):
    return "62" + PHONES[username][1:]


def whatsapp_settings(sim, base_url):
    return {"WHATSAPP_TOKEN": "sim-token", "WHATSAPP_PHONE_NUMBER_ID": "1234567890",
            "WHATSAPP_API_BASE": sim.base_url, "WHATSAPP_APP_SECRET": SECRET,
            "WHATSAPP_VERIFY_TOKEN": "verifikasi", "BASE_URL": base_url}


def write_instance_config(instance: Path, settings: dict):
    """The consumer reads its settings from the instance folder, like production."""
    lines = [f"{key} = {value!r}" for key, value in settings.items()]
    (instance / "config.py").write_text("\n".join(lines) + "\n")


def use_instance_queue(instance: Path):
    """Make this process enqueue into the instance's SqliteHuey, not run tasks inline."""
    huey.immediate = False
    huey.storage = SqliteStorage(name=huey.name, filename=str(instance / "huey.db"))


def start_consumer(instance: Path, log):
    env = {**os.environ, "ADUAN_INSTANCE_PATH": str(instance)}
    for name in ("HUEY_URL", "DATABASE_URL", "ADUAN_FAKE_NOW"):
        env.pop(name, None)
    return subprocess.Popen(
        [sys.executable, "-m", "huey.bin.huey_consumer", "portal.worker.huey",
         "-w", "2", "-k", "thread", "-n", "-d", "0.05", "-m", "0.2", "-b", "1.05"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


def stop(process):
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def staff_on_whatsapp():
    for username, phone in PHONES.items():
        preferences.save(User.get(User.username == username), channel="whatsapp", phone=phone)


def wait_for_message(sim, to, after_count, timeout=60.0):
    """The first message to `to` beyond the `after_count` it already had."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sim.state.lock:
            mine = [m for m in sim.state.messages if m["to"] == to]
        if len(mine) > after_count:
            return mine[after_count]
        time.sleep(0.02)
    raise AssertionError(f"no WhatsApp message to {to} within {timeout} s")


def count_to(sim, to):
    with sim.state.lock:
        return sum(1 for m in sim.state.messages if m["to"] == to)


__all__ = ["wa_sim", "SECRET", "PHONES"]
