"""Faults the simulators inject, switchable at run time through /_sim/faults.

5xx answers, timeouts and slow answers, malformed JSON, 429 with
Retry-After, listing pages that repeat and reorder items, listings whose
items shift between pages while a client pages (others are updated under
it), and POSTs that are applied but whose answer is lost or held back.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from flask import Flask, Response, g, request

from simulators.simkit import SIM_PREFIX, ErrorResponder, json_response

FAULT_TYPES = ("status_5xx", "timeout", "slow", "malformed_json", "rate_limit",
               "repeat_reorder", "shift_pages", "lost_answer")
# Faults that replace or delay the answer before the API handler runs.
REQUEST_FAULTS = ("status_5xx", "timeout", "slow", "malformed_json", "rate_limit")
DEFAULT_SECONDS = {"timeout": 5.0, "slow": 0.3}
MALFORMED_BODY = b'{"success": true, "results": {"data": [{"id": 1, "title": "Jal'


@dataclass
class Fault:
    type: str
    count: int = 1
    method: str | None = None
    path: str | None = None
    status: int = 500
    retry_after: int | None = None
    seconds: float | None = None
    overlap: int = 2
    mode: str = "drop"
    fired: int = 0

    def matches(self, kinds: Iterable[str], method: str, paths: tuple[str, ...]) -> bool:
        return (self.count > 0 and self.type in kinds
                and (self.method is None or self.method == method)
                and (self.path is None or any(p.startswith(self.path) for p in paths)))


def parse_fault(spec: dict[str, Any]) -> Fault:
    """Validate one fault description from ``POST /_sim/faults``."""
    if not isinstance(spec, dict):
        raise ValueError("a fault must be a JSON object")
    known = {f for f in Fault.__dataclass_fields__ if f != "fired"}
    unknown = set(spec) - known
    if unknown:
        raise ValueError(f"unknown fault fields: {sorted(unknown)}")
    try:
        fault = Fault(**spec)
        fault.count, fault.status = int(fault.count), int(fault.status)
        fault.overlap = int(fault.overlap)
        if fault.retry_after is not None:
            fault.retry_after = int(fault.retry_after)
        if fault.seconds is not None:
            fault.seconds = float(fault.seconds)
    except TypeError as exc:
        raise ValueError(f"bad fault: {exc}") from exc
    if fault.type not in FAULT_TYPES:
        raise ValueError(f"type must be one of {FAULT_TYPES}")
    if fault.type == "status_5xx" and not 500 <= fault.status <= 599:
        raise ValueError("status_5xx needs a status between 500 and 599")
    if fault.mode not in ("drop", "502", "hold"):
        raise ValueError("lost_answer mode is 'drop', '502' or 'hold'")
    if fault.count < 1:
        raise ValueError("count must be at least 1")
    fault.method = fault.method.upper() if fault.method else None
    if fault.seconds is None:
        fault.seconds = DEFAULT_SECONDS.get(fault.type, 0.0)
    if fault.type == "rate_limit" and fault.retry_after is None:
        fault.retry_after = 1
    return fault


class FaultBook:
    """Pending faults; each request consumes at most one matching fault."""

    def __init__(self, api_prefix: str = ""):
        self.api_prefix = api_prefix
        self._lock = threading.Lock()
        self._pending: list[Fault] = []
        self.fired: list[dict[str, Any]] = []

    def add(self, fault: Fault) -> None:
        with self._lock:
            self._pending.append(fault)

    def clear(self) -> int:
        with self._lock:
            cleared = len(self._pending)
            self._pending.clear()
            return cleared

    def take(self, kinds: Iterable[str], method: str, path: str) -> Fault | None:
        """Consume one use of the first pending fault matching this request."""
        kinds = tuple(kinds)
        paths = (path, path[len(self.api_prefix):] if path.startswith(self.api_prefix) else path)
        with self._lock:
            for fault in self._pending:
                if fault.matches(kinds, method, paths):
                    fault.count -= 1
                    fault.fired += 1
                    if fault.count == 0:
                        self._pending.remove(fault)
                    self.fired.append({"type": fault.type, "method": method, "path": path})
                    return fault
        return None

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {"pending": [asdict(f) for f in self._pending], "fired": list(self.fired)}


def install_faults(app: Flask, book: FaultBook, error: ErrorResponder,
                   stop: threading.Event) -> None:
    """Hook fault injection in front of every API request (not /_sim)."""

    @app.before_request
    def inject_fault() -> Response | None:
        if request.path.startswith(SIM_PREFIX):
            return None
        fault = book.take(REQUEST_FAULTS, request.method, request.path)
        if fault is not None:
            answer = _answer_fault(fault, error, stop)
            if answer is not None:
                return answer
        if request.method == "POST":
            g.lost_answer = book.take(("lost_answer",), request.method, request.path)
        return None

    @app.after_request
    def lose_answer(response: Response) -> Response:
        fault = g.pop("lost_answer", None)
        if fault is None:
            return response
        if fault.mode == "502":
            return error(502, "bad_gateway", "Simulated gateway failure after applying")
        if fault.mode == "hold":
            # Applied, answer held back: a client killed meanwhile never learns.
            stop.wait(fault.seconds or 0)
            return response
        _drop_connection()
        return response


def register_fault_routes(app: Flask, book: FaultBook, error: ErrorResponder) -> None:
    """``GET|POST|DELETE /_sim/faults``: inspect, arm and clear faults."""

    def arm() -> Response:
        body = request.get_json(silent=True)
        specs = body.get("faults") if isinstance(body, dict) and "faults" in body else body
        specs = specs if isinstance(specs, list) else [specs]
        try:
            faults = [parse_fault(spec) for spec in specs]
        except ValueError as exc:
            return error(400, "invalid_fault", str(exc))
        for fault in faults:
            book.add(fault)
        return json_response(book.snapshot(), 201)

    app.add_url_rule(f"{SIM_PREFIX}/faults", "sim_faults_get",
                     lambda: json_response(book.snapshot()), methods=["GET"])
    app.add_url_rule(f"{SIM_PREFIX}/faults", "sim_faults_arm", arm, methods=["POST"])
    app.add_url_rule(f"{SIM_PREFIX}/faults", "sim_faults_clear",
                     lambda: json_response({"cleared": book.clear()}), methods=["DELETE"])


def _answer_fault(fault: Fault, error: ErrorResponder, stop: threading.Event) -> Response | None:
    if fault.type in ("timeout", "slow"):
        # Interruptible, so shutting the simulator down never waits on a sleeper.
        if stop.wait(fault.seconds):
            return error(503, "shutting_down", "Simulator is shutting down")
        return None
    if fault.type == "malformed_json":
        return Response(MALFORMED_BODY, 200, mimetype="application/json")
    if fault.type == "rate_limit":
        answer = error(429, "rate_limited", "Too many requests")
    else:
        answer = error(fault.status, "simulated_fault", "Simulated server error")
    if fault.retry_after is not None:
        answer.headers["Retry-After"] = str(fault.retry_after)
    return answer


def _drop_connection() -> None:
    """Close the socket under the request so the client never sees an answer."""
    sock = request.environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
