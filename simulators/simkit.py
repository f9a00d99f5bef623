"""Shared machinery of the SP4N and Rabeg simulators.

The control API, a loopback-only threaded HTTP server
that a test can start and stop in-process, generated JPEG photos, and the
command-line plumbing (faults are in `simfaults`). Each simulator module adds
its own API on top.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import ipaddress
import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from flask import Flask, Response, current_app, jsonify, request
from PIL import Image, ImageDraw
from werkzeug.serving import WSGIRequestHandler, make_server

WIB = timezone(timedelta(hours=7))
SIM_PREFIX = "/_sim"

# Answer builder of a simulator: (status, code, message) -> Response in its API's error shape.
ErrorResponder = Callable[[int, str, str], Response]


def now() -> datetime:
    return datetime.now(WIB).replace(microsecond=0)


def iso(moment: datetime) -> str:
    return moment.astimezone(WIB).isoformat(timespec="seconds")


def json_response(body: Any, status: int = 200) -> Response:
    response = jsonify(body)
    response.status_code = status
    return response


class ControlError(ValueError):
    """A bad request to the /_sim control API (answered 400)."""


class Control:
    """What both simulators' ``/_sim`` control routes share: the simulator context,
    the base URL the caller sees, the JSON body, and the state and reset routes.
    Each simulator adds its own report, reply and status routes through `register`."""

    def __init__(self, extension: str, *, webhooks: bool = False) -> None:
        self.extension = extension  # names the simulator context in app.extensions
        self.webhooks = webhooks  # only Rabeg sends webhooks; its state shows the deliveries

    def ctx(self) -> Any:
        return current_app.extensions[self.extension]

    @staticmethod
    def root() -> str:
        return request.host_url.rstrip("/")

    @staticmethod
    def body() -> dict[str, Any]:
        payload = request.get_json(silent=True)
        if not isinstance(payload, dict):
            raise ControlError("body must be a JSON object")
        return payload

    def state_view(self) -> Response:
        c = self.ctx()
        with c.state.lock:
            snapshot = c.state.snapshot(self.root())
        if self.webhooks:
            snapshot["webhooks"] = list(c.webhooks.deliveries) if c.webhooks else []
        snapshot["faults"] = c.faults.snapshot()
        return json_response(snapshot)

    def reset(self) -> Response:
        payload = request.get_json(silent=True) or {}
        c = self.ctx()
        c.state.reset(bool(payload.get("demo", True)))
        c.faults.clear()
        return json_response({"reset": True})

    def register(self, app: Flask, error: ErrorResponder, *, add_report: Callable[[], Response],
                 reply: Callable[..., Response], set_status: Callable[..., Response],
                 report_id: str = "<id>") -> None:
        """``report_id`` is the URL converter of a report id (``<int:id>`` for SP4N)."""
        reports = f"{SIM_PREFIX}/reports"
        app.add_url_rule(f"{SIM_PREFIX}/state", "sim_state", self.state_view)
        app.add_url_rule(reports, "sim_add_report", add_report, methods=["POST"])
        app.add_url_rule(f"{reports}/{report_id}/reply", "sim_reply", reply, methods=["POST"])
        app.add_url_rule(f"{reports}/{report_id}/status", "sim_status", set_status,
                         methods=["POST"])
        app.add_url_rule(f"{SIM_PREFIX}/reset", "sim_reset", self.reset, methods=["POST"])
        app.register_error_handler(ControlError, lambda e: error(400, "invalid_control", str(e)))


def photo_labels(value: Any, title: str) -> list[str]:
    """``photos`` of a control request: a count of generated photos or their labels."""
    if isinstance(value, int) and not isinstance(value, bool):
        if not 0 <= value <= 10:
            raise ControlError("photos must be between 0 and 10")
        return [f"{title} ({i + 1})" for i in range(value)]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise ControlError("photos must be a number or a list of labels")


# --- Photos -----------------------------------------------------------------


@lru_cache(maxsize=256)
def make_jpeg(label: str, size: tuple[int, int] = (320, 240)) -> bytes:
    """A small real JPEG: a coloured scene with the label written on it."""
    digest = hashlib.sha256(label.encode()).digest()
    sky = (90 + digest[0] % 120, 120 + digest[1] % 110, 160 + digest[2] % 90)
    ground = (60 + digest[3] % 80, 60 + digest[4] % 60, 50 + digest[5] % 50)
    width, height = size
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, height * 3 // 5, width, height], fill=ground)
    x = 20 + digest[6] % (width - 80)
    draw.rectangle([x, height // 4, x + 12, height * 3 // 5], fill=(70, 70, 70))
    draw.ellipse([x - 14, height // 4 - 16, x + 26, height // 4 + 8], fill=(250, 235, 150))
    draw.rectangle([0, height - 34, width, height], fill=(0, 0, 0))
    draw.text((8, height - 28), label[:48], fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def describe_upload(filename: str | None, data: bytes, mime: str | None) -> dict[str, Any]:
    """What the simulator records of a received file (bytes are kept aside)."""
    return {
        "filename": filename,
        "mime": mime,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "is_image": is_image(data),
    }


def is_image(data: bytes) -> bool:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        return True
    except Exception:  # Pillow raises many types for garbage input
        return False


# --- Server -----------------------------------------------------------------


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def check_loopback(host: str) -> None:
    """The simulators hold fake credentials and state: never expose them."""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise ValueError(f"simulator binds to loopback only, not {host!r}")


class SimServer:
    """A simulator running in a daemon thread (or in the foreground for the CLI)."""

    def __init__(self, app: Flask, host: str, port: int, api_prefix: str,
                 stop: threading.Event, quiet: bool = True):
        check_loopback(host)
        self.app = app
        self.stop_event = stop
        handler = _QuietHandler if quiet else WSGIRequestHandler
        self._server = make_server(host, port, app, threaded=True, request_handler=handler)
        # Keep-alive client connections must not block shutdown.
        self._server.block_on_close = False
        self.host = host
        self.port = self._server.server_port
        display = f"[{host}]" if ":" in host else host
        self.root_url = f"http://{display}:{self.port}"
        self.base_url = self.root_url + api_prefix
        self._thread: threading.Thread | None = None
        self._on_shutdown: list[Callable[[], None]] = []

    def on_shutdown(self, callback: Callable[[], None]) -> None:
        self._on_shutdown.append(callback)

    def start(self) -> SimServer:
        # A short poll interval keeps shutdown() fast for test fixtures.
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name=f"sim-{self.port}", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def shutdown(self) -> None:
        self.stop_event.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(timeout=5)
        self._server.server_close()
        for callback in self._on_shutdown:
            callback()


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=0, help="TCP port (0: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--seed-demo", dest="seed_demo", action="store_true", default=True,
                        help="start with Kota Serang demo data (default)")
    parser.add_argument("--no-demo", dest="seed_demo", action="store_false",
                        help="start empty")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")


def run_foreground(server: SimServer, banner: str) -> None:
    """Serve until Ctrl-C or SIGTERM."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    def terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    print(banner, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
