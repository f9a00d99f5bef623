"""Typed errors shared by the connector HTTP clients.

The sync engine decides what to do from the exception type alone:
retry later (TransientError, honouring ``retry_after``), alert an admin
(AuthError), or give up on this item and show the server's reason
(RemoteRejected). ``send`` and ``parse_response`` turn every outcome of a
``requests`` call into one of these, so the clients stay small.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from typing import Any

import requests


class ConnectorError(Exception):
    """Base class: something went wrong talking to a remote service."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status


class TransientError(ConnectorError):
    """Worth retrying: 5xx, 429, timeouts, dropped connections, bad JSON.

    ``retry_after`` is the server's requested pause in seconds (from a
    Retry-After header on 429/503), or None when it gave none.
    """

    def __init__(self, message: str, *, status: int | None = None,
                 retry_after: float | None = None):
        super().__init__(message, status=status)
        self.retry_after = retry_after


class AuthError(ConnectorError):
    """The service refused our credentials (401): retrying will not help."""

    def __init__(self, message: str, *, status: int = 401):
        super().__init__(message, status=status)


class RemoteRejected(ConnectorError):
    """The service understood the request and refused it (4xx other than 401/429).

    ``errors`` holds per-field messages when the service sent them
    (``{"field": ["message", ...]}``); ``code`` a machine-readable reason.
    """

    def __init__(self, message: str, *, status: int,
                 errors: dict[str, list[str]] | None = None,
                 code: str | None = None):
        super().__init__(message, status=status)
        self.errors = errors or {}
        self.code = code

    def __str__(self) -> str:
        text = f"{self.status}: {self.message}"
        if self.errors:
            text += f" {self.errors}"
        return text


# (message, field errors, code) pulled out of a service's error body.
ErrorDetails = tuple[str | None, dict[str, list[str]] | None, str | None]
ErrorExtractor = Callable[[Any], ErrorDetails]


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    delay = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, delay)


def send(session: requests.Session, method: str, url: str, *,
         timeout: float | tuple[float, float], **kwargs: Any) -> requests.Response:
    """Perform one HTTP request, mapping transport failures to TransientError."""
    try:
        return session.request(method, url, timeout=timeout, **kwargs)
    except requests.Timeout as exc:
        raise TransientError(f"{method} {url}: timed out ({exc})") from exc
    except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError) as exc:
        raise TransientError(f"{method} {url}: connection failed ({exc})") from exc


def parse_response(response: requests.Response, extract: ErrorExtractor) -> Any:
    """Return the decoded JSON of a 2xx answer, or raise the matching error.

    ``extract`` reads (message, field errors, code) from the service's own
    error envelope; each connector passes its mapping's reader.
    """
    status = response.status_code
    label = f"{response.request.method} {response.url}" if response.request else response.url
    if 200 <= status < 300:
        try:
            return response.json()
        except ValueError as exc:
            raise TransientError(f"{label}: malformed JSON in answer",
                                 status=status) from exc
    message, errors, code = _error_details(response, extract)
    message = message or f"HTTP {status}"
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if status == 401:
        raise AuthError(f"{label}: {message}", status=status)
    if status == 429 or status >= 500:
        raise TransientError(f"{label}: {message}", status=status,
                             retry_after=retry_after)
    if 400 <= status < 500:
        raise RemoteRejected(message, status=status, errors=errors, code=code)
    # 1xx/3xx should never reach us (requests follows redirects); treat as a glitch.
    raise TransientError(f"{label}: unexpected HTTP {status}", status=status)


def _error_details(response: requests.Response, extract: ErrorExtractor) -> ErrorDetails:
    """Best effort: error bodies of proxies and crashed servers are often not JSON."""
    try:
        body = response.json()
    except ValueError:
        return None, None, None
    try:
        return extract(body)
    except (AttributeError, KeyError, TypeError):
        return None, None, None
