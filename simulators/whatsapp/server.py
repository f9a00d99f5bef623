"""The WhatsApp Cloud API simulator: POST /{version}/{phone-number-id}/messages.

It checks the bearer token and the template message's shape the way the
Graph API does (Graph-style error objects), records every accepted message
with the moment it arrived, and answers with a wamid.  With a webhook URL
and app secret it then posts "sent" and "delivered" statuses, signed with
X-Hub-Signature-256, as Meta does.  The /_sim control API lists messages,
arms faults (the next N sends answer 429 or 5xx), posts any status (read,
failed) and resets.  Loopback only: it holds fake credentials.
"""
from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import re
import threading
import time
import uuid
from typing import Any

import requests
from flask import Flask, request

from simulators import simkit
from simulators.simkit import json_response

TEMPLATES = ("aduan_serah_terima", "aduan_status")
PARAM_BAD = re.compile(r"[\n\t]| {5,}")


class State:
    def __init__(self, token: str, phone_number_id: str, webhook_url: str | None,
                 app_secret: str | None, templates=TEMPLATES) -> None:
        self.lock = threading.Lock()
        self.token, self.phone_number_id = token, phone_number_id
        self.webhook_url, self.app_secret = webhook_url, app_secret
        self.templates = set(templates)
        self.messages: list[dict[str, Any]] = []
        self.faults: list[int] = []  # statuses to answer instead, one per request
        self.webhooks: list[dict[str, Any]] = []  # (status, http answer) of each post


def graph_error(status: int, code: int, message: str, kind: str = "OAuthException"):
    return json_response({"error": {"message": message, "type": kind, "code": code,
                                    "fbtrace_id": uuid.uuid4().hex[:16]}}, status)


def _check(payload: Any, state: State) -> tuple[int, int, str] | None:
    """A Graph-style refusal (status, code, message) for a bad payload, else None."""
    if not isinstance(payload, dict) or payload.get("messaging_product") != "whatsapp":
        return 400, 100, "(#100) The parameter messaging_product is required."
    if not re.fullmatch(r"\d{8,15}", str(payload.get("to", ""))):
        return 400, 131009, "(#131009) Parameter value is not valid: to"
    if payload.get("type") != "template":
        # Outside a 24-hour customer service window only templates may be sent.
        return 400, 131047, "(#131047) Re-engagement message"
    template = payload.get("template") or {}
    if template.get("name") not in state.templates:
        return 404, 132001, "(#132001) Template name does not exist in the translation"
    if not (template.get("language") or {}).get("code"):
        return 400, 100, "(#100) The parameter template['language']['code'] is required."
    for component in template.get("components") or []:
        for parameter in component.get("parameters") or []:
            if PARAM_BAD.search(str(parameter.get("text", ""))):
                return 400, 132018, ("(#132018) There was an issue with the parameters in "
                                     "your template: new-line/tab or more than 4 spaces")
    return None


def _status_payload(state: State, message: dict, status: str) -> dict:
    item: dict[str, Any] = {"id": message["id"], "status": status,
                            "timestamp": str(int(time.time())), "recipient_id": message["to"]}
    if message.get("callback_data"):
        item["biz_opaque_callback_data"] = message["callback_data"]
    if status == "failed":
        item["errors"] = [{"code": 131026, "title": "Message undeliverable"}]
    return {"object": "whatsapp_business_account",
            "entry": [{"id": "WABA-SIM", "changes": [{"field": "messages", "value": {
                "messaging_product": "whatsapp",
                "metadata": {"display_phone_number": "62254000000",
                             "phone_number_id": state.phone_number_id},
                "statuses": [item]}}]}]}


def post_status(state: State, message: dict, status: str) -> int | None:
    """Post one signed status webhook; the HTTP status the portal answered."""
    if not state.webhook_url or not state.app_secret:
        return None
    body = json.dumps(_status_payload(state, message, status)).encode()
    signature = hmac.new(state.app_secret.encode(), body, hashlib.sha256).hexdigest()
    session = requests.Session()
    session.trust_env = False  # loopback only
    try:
        answer = session.post(state.webhook_url, data=body, timeout=10, headers={
            "Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={signature}"})
        code = answer.status_code
    except requests.RequestException:
        code = 0
    finally:
        session.close()
    with state.lock:
        state.webhooks.append({"id": message["id"], "status": status, "answer": code})
    return code


def create_app(state: State) -> Flask:
    app = Flask("whatsapp-simulator")

    @app.post("/<version>/<phone_number_id>/messages")
    def send(version, phone_number_id):
        if request.headers.get("Authorization") != f"Bearer {state.token}":
            return graph_error(401, 190, "Invalid OAuth access token - Cannot parse access token")
        if phone_number_id != state.phone_number_id:
            return graph_error(400, 100, "Unsupported post request. Object with ID "
                               f"'{phone_number_id}' does not exist", "GraphMethodException")
        with state.lock:
            fault = state.faults.pop(0) if state.faults else None
        if fault:
            return graph_error(fault, 130429 if fault == 429 else 2,
                               "Rate limit hit" if fault == 429 else "Service temporarily "
                               "unavailable")
        payload = request.get_json(silent=True)
        refusal = _check(payload, state)
        if refusal:
            return graph_error(refusal[0], refusal[1], refusal[2])
        message = {"id": f"wamid.SIM{uuid.uuid4().hex}", "to": payload["to"],
                   "template": payload["template"]["name"],
                   "language": payload["template"]["language"]["code"],
                   "params": [p.get("text", "") for c in payload["template"].get("components", [])
                              for p in c.get("parameters", [])],
                   "callback_data": payload.get("biz_opaque_callback_data"),
                   "received_at": time.time()}
        with state.lock:
            state.messages.append(message)
        if state.webhook_url:
            # After answering, as Meta does: "sent" then "delivered".
            threading.Thread(target=lambda: [post_status(state, message, s)
                                             for s in ("sent", "delivered")],
                             daemon=True).start()
        return json_response({"messaging_product": "whatsapp",
                              "contacts": [{"input": payload["to"], "wa_id": payload["to"]}],
                              "messages": [{"id": message["id"]}]})

    @app.get("/_sim/messages")
    def messages():
        with state.lock:
            return json_response({"messages": list(state.messages),
                                  "webhooks": list(state.webhooks)})

    @app.post("/_sim/faults")
    def faults():
        body = request.get_json(silent=True) or {}
        status, count = body.get("status"), body.get("count", 1)
        if status not in (429, 500, 502, 503) or not isinstance(count, int) or count < 1:
            return json_response({"error": "status 429/500/502/503 and count >= 1"}, 400)
        with state.lock:
            state.faults.extend([status] * count)
        return json_response({"armed": len(state.faults)}, 201)

    @app.post("/_sim/status")
    def status():
        body = request.get_json(silent=True) or {}
        with state.lock:
            message = next((m for m in state.messages if m["id"] == body.get("id")), None)
        if message is None or body.get("status") not in ("sent", "delivered", "read", "failed"):
            return json_response({"error": "unknown message id or status"}, 400)
        return json_response({"answer": post_status(state, message, body["status"])})

    @app.post("/_sim/reset")
    def reset():
        with state.lock:
            state.messages.clear()
            state.faults.clear()
            state.webhooks.clear()
        return json_response({"ok": True})

    return app


def start(*, token="sim-token", phone_number_id="1234567890", webhook_url=None,
          app_secret=None, host="127.0.0.1", port=0) -> simkit.SimServer:
    """Start in a daemon thread (tests); `server.state` is the recorded state."""
    state = State(token, phone_number_id, webhook_url, app_secret)
    server = simkit.SimServer(create_app(state), host, port, "/v20.0", threading.Event())
    server.state = state
    return server.start()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m simulators.whatsapp",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--token", default="sim-token")
    parser.add_argument("--phone-number-id", default="1234567890")
    parser.add_argument("--webhook-url", help="the portal's /hooks/whatsapp")
    parser.add_argument("--app-secret", help="signs the status webhooks")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    state = State(args.token, args.phone_number_id, args.webhook_url, args.app_secret)
    server = simkit.SimServer(create_app(state), args.host, args.port, "/v20.0",
                              threading.Event(), args.quiet)
    simkit.run_foreground(server, f"WhatsApp Cloud API simulator on {server.base_url} "
                                  f"(phone-number id {args.phone_number_id})")
