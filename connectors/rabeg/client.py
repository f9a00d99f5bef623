"""HTTP client for the Rabeg API, plus webhook signing and verification.

Every POST carries an Idempotency-Key chosen by the caller: the sync engine
keeps the key with the outgoing item, so a retry after a lost answer gets
Rabeg's first answer back instead of applying the change twice. The client
itself never retries.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

import requests

from connectors import paging
from connectors.rabeg import mapping as m
from portal.plugin_api import TransientError, parse_response, send

# (filename, content, mime type); content may be bytes or an open binary file.
Upload = tuple[str, bytes | BinaryIO, str]


class RabegClient:
    def __init__(self, base_url: str, api_key: str, *,
                 session: requests.Session | None = None,
                 timeout: float | tuple[float, float] = 10.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._owns_session = session is None
        self.session = session or requests.Session()
        self._api_key = api_key

    def close(self) -> None:
        if self._owns_session:
            self.session.close()

    def _call(self, method: str, path: str, *, idempotency_key: str | None = None,
              expect: type = dict, **kwargs: Any) -> Any:
        headers = {m.HEADER_API_KEY: self._api_key}
        if idempotency_key is not None:
            headers[m.HEADER_IDEMPOTENCY_KEY] = idempotency_key
        response = send(self.session, method, self.base_url + path,
                        timeout=self.timeout, headers=headers, **kwargs)
        body = parse_response(response, m.error_details)
        if not isinstance(body, expect):
            raise TransientError(f"{method} {path}: unexpected answer shape",
                                 status=response.status_code)
        return body

    # --- reports -------------------------------------------------------------

    def list_reports(self, cursor: str | None = None,
                     limit: int = 100) -> dict[str, Any]:
        """One page: ``{"reports": [...], "next_cursor": ..., "has_more": bool}``."""
        params: dict[str, Any] = {m.Query.LIMIT: min(limit, m.MAX_PAGE_LIMIT)}
        if cursor:
            params[m.Query.CURSOR] = cursor
        return self._call("GET", m.Path.REPORTS, params=params)

    def iter_reports(self, cursor: str | None = None, limit: int = 100) -> ReportPager:
        """Reports created or changed since ``cursor``; see ReportPager."""
        return ReportPager(self, cursor, limit)

    def read_pass(self, cursor: str | None = None, limit: int = 100) -> paging.Pass:
        """Every report changed since ``cursor``, the newest version of each
        once; ``resume`` of the result is where the next pass starts.  Rabeg's
        cursor is a position in its change sequence, so reaching the end of
        the listing is a complete pass (it reports no total to count)."""

        def read(token: str | None) -> paging.Page:
            page = self.list_reports(token, limit)
            next_cursor = page.get(m.Envelope.NEXT_CURSOR)
            more = bool(page.get(m.Envelope.HAS_MORE))
            if more and (not next_cursor or next_cursor == token):
                raise TransientError("Rabeg paging did not advance the cursor")
            return paging.Page(page.get(m.Envelope.REPORTS) or [], next_cursor if more else None,
                               resume=next_cursor or None)

        result = paging.read_complete(read, cursor, lambda r: r.get(m.Field.ID),
                                      lambda r: m.parse_time(r.get(m.Field.DIPERBARUI_PADA)))
        result.resume = result.resume or cursor
        return result

    def get_report(self, report_id: str) -> dict[str, Any]:
        return self._call("GET", m.Path.REPORT.format(id=report_id))

    def mark_read(self, report_id: str, *, idempotency_key: str) -> dict[str, Any]:
        """belum_dibaca -> menunggu; returns the report."""
        return self._call("POST", m.Path.MARK_READ.format(id=report_id),
                          idempotency_key=idempotency_key)

    def add_tanggapan(self, report_id: str, isi: str, *, idempotency_key: str,
                      status: str | None = None,
                      photos: Iterable[Upload] = ()) -> dict[str, Any]:
        """Post an OPD response, optionally setting the status; returns ``{"id": ...}``.

        Rabeg refuses ``status="selesai"`` without a photo (RemoteRejected 422).
        """
        parts: list[tuple[str, Any]] = [(m.Form.ISI, (None, isi))]
        if status:
            parts.append((m.Form.STATUS, (None, status)))
        parts += [(m.Form.FOTO, photo) for photo in photos]
        return self._call("POST", m.Path.TANGGAPAN.format(id=report_id),
                          idempotency_key=idempotency_key, files=parts)

    def list_opd(self) -> list[dict[str, Any]]:
        """Rabeg's OPD codes: ``[{"kode", "nama"}]``."""
        return self._call("GET", m.Path.OPD, expect=list)


class ReportPager:
    """Iterates reports page by page, each version once per pass.

    ``cursor`` is where the next pass should start. It only moves once every
    report of a page has been handed out, so a consumer that stops or crashes
    mid-page re-reads that page next time instead of skipping it.
    """

    def __init__(self, client: RabegClient, cursor: str | None, limit: int):
        self._client = client
        self._limit = limit
        self.cursor = cursor

    def __iter__(self) -> Iterator[dict[str, Any]]:
        seen: set[tuple[Any, Any]] = set()
        cursor = self.cursor
        while True:
            page = self._client.list_reports(cursor, self._limit)
            for report in page.get(m.Envelope.REPORTS) or []:
                key = m.change_key(report)
                if key not in seen:
                    seen.add(key)
                    yield report
            next_cursor = page.get(m.Envelope.NEXT_CURSOR)
            if next_cursor:
                self.cursor = next_cursor
            if not page.get(m.Envelope.HAS_MORE):
                return
            if not next_cursor or next_cursor == cursor:
                raise TransientError("Rabeg paging did not advance the cursor")
            cursor = next_cursor


# --- webhooks -------------------------------------------------------------------


def sign_webhook(secret: str, body: bytes) -> str:
    """Value of X-Rabeg-Signature for a raw webhook body."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return m.SIGNATURE_PREFIX + digest


def verify_webhook(secret: str, body: bytes, signature: str | None) -> bool:
    """Constant-time check of X-Rabeg-Signature against the raw body."""
    if not secret or not signature:
        return False
    return hmac.compare_digest(sign_webhook(secret, body).encode(), signature.encode())


def parse_webhook(body: bytes) -> tuple[str, str]:
    """(event, report id) of a verified webhook body; ValueError if malformed."""
    payload = json.loads(body)
    if not isinstance(payload, dict):
        raise ValueError("webhook body is not a JSON object")
    event, report_id = payload.get(m.Webhook.EVENT), payload.get(m.Webhook.ID)
    if event not in (m.Webhook.REPORT_CREATED, m.Webhook.REPORT_UPDATED) \
            or not isinstance(report_id, str) or not report_id:
        raise ValueError("not a Rabeg report webhook")
    return event, report_id
