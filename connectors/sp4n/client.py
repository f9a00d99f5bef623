"""HTTP client for the SP4N-LAPOR! v3 integration API (one method per endpoint).

The client never retries: the sync engine owns retry policy and calls
``find_followup`` before re-sending a follow-up, because SP4N has no
idempotency keys and a POST whose answer was lost may have been applied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, BinaryIO

import requests

from connectors import paging
from connectors.sp4n import mapping as m
from portal.plugin_api import RemoteRejected, TransientError, parse_response, send

# (filename, content, mime type); content may be bytes or an open binary file.
Upload = tuple[str, bytes | BinaryIO, str]


class Sp4nClient:
    def __init__(self, base_url: str, access_token: str, institution_token: str,
                 institution_id: int, *, session: requests.Session | None = None,
                 timeout: float | tuple[float, float] = 10.0):
        self.base_url = base_url.rstrip("/")
        self.institution_id = institution_id
        self.timeout = timeout
        self._owns_session = session is None
        self.session = session or requests.Session()
        self._auth_headers = {
            m.HEADER_AUTHORIZATION: f"{m.AUTH_SCHEME} {access_token}",
            m.HEADER_INSTITUTION_TOKEN: institution_token,
        }

    def close(self) -> None:
        if self._owns_session:
            self.session.close()

    # --- transport -----------------------------------------------------------

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send, check status and unwrap ``results`` from the success envelope."""
        response = send(self.session, method, self.base_url + path,
                        timeout=self.timeout, headers=self._auth_headers, **kwargs)
        body = parse_response(response, m.error_details)
        if not isinstance(body, dict) or m.Envelope.RESULTS not in body:
            raise TransientError(f"{method} {path}: answer without results envelope",
                                 status=response.status_code)
        if body.get(m.Envelope.SUCCESS) is False:
            # A 200 that says it failed: treat like a refusal, never as success.
            raise RemoteRejected(body.get(m.Envelope.MESSAGE) or "success=false",
                                 status=response.status_code,
                                 errors=body.get(m.Envelope.ERRORS))
        return body[m.Envelope.RESULTS]

    def _data(self, method: str, path: str, **kwargs: Any) -> Any:
        return self._call(method, path, **kwargs)[m.Envelope.DATA]

    # --- complaints disposed to us -------------------------------------------

    def list_disposition(self, updated_since: datetime | str, page: int = 1,
                         limit: int = m.MAX_PAGE_LIMIT) -> dict[str, Any]:
        """One page: ``{"data": [complaint...], "meta": {..., "next_page"}}``."""
        params = {
            m.Query.INSTITUTION_ID: self.institution_id,
            m.Query.UPDATED_SINCE: m.format_time(updated_since),
            m.Query.PAGE: page,
            m.Query.LIMIT: min(limit, m.MAX_PAGE_LIMIT),
        }
        return self._call("GET", m.Path.DISPOSITION, params=params)

    def iter_disposition(self, updated_since: datetime | str,
                         limit: int = m.MAX_PAGE_LIMIT) -> Iterator[dict[str, Any]]:
        """Every complaint changed since ``updated_since``, each version once.

        Items that change while we page move between pages, so pages may repeat
        items (dropped here) and an item may slip past us; the caller should
        start its next pass from this pass's start time minus an overlap.
        """
        seen: set[tuple[Any, Any]] = set()
        page: int | None = 1
        while page is not None:
            results = self.list_disposition(updated_since, page=page, limit=limit)
            for complaint in results.get(m.Envelope.DATA) or []:
                key = m.change_key(complaint)
                if key not in seen:
                    seen.add(key)
                    yield complaint
            next_page = (results.get(m.Envelope.META) or {}).get(m.Envelope.META_NEXT_PAGE)
            if next_page is not None and int(next_page) <= page:
                raise TransientError(f"SP4N paging did not advance past page {page}")
            page = None if next_page is None else int(next_page)

    def read_disposition_pass(self, updated_since: datetime | str,
                              limit: int = m.MAX_PAGE_LIMIT,
                              rounds: int | None = None) -> paging.Pass:
        """Every complaint changed since ``updated_since``, newest version of
        each once, re-read until ``meta.total`` distinct ids were seen (see
        `connectors.paging`)."""

        def read(page: int) -> paging.Page:
            results = self.list_disposition(updated_since, page=page, limit=limit)
            meta = results.get(m.Envelope.META) or {}
            next_page = meta.get(m.Envelope.META_NEXT_PAGE)
            if next_page is not None and int(next_page) <= page:
                raise TransientError(f"SP4N paging did not advance past page {page}")
            total = meta.get(m.Envelope.META_TOTAL)
            return paging.Page(results.get(m.Envelope.DATA) or [],
                               None if next_page is None else int(next_page),
                               None if total is None else int(total))

        return paging.read_complete(read, 1, lambda c: c.get(m.Field.COMPLAINT_ID),
                                    lambda c: m.parse_time(c.get(m.Field.UPDATED_AT)),
                                    rounds or paging.DEFAULT_ROUNDS)

    def get_complaint(self, complaint_id: int) -> dict[str, Any]:
        """The complaint with its status log under ``data_logs``."""
        return self._data("GET", m.Path.COMPLAINT.format(id=complaint_id))

    # --- follow-ups ----------------------------------------------------------

    def list_followups(self, complaint_id: int) -> list[dict[str, Any]]:
        """Follow-ups and reporter replies, oldest first."""
        return self._data("GET", m.Path.FOLLOWUPS.format(id=complaint_id))

    def add_followup(self, complaint_id: int, content: str, *,
                     institution_to_id: int | None = None,
                     template_code: str | None = None, is_secret: bool = False,
                     attachments: Iterable[Upload] = ()) -> dict[str, Any]:
        """Post our tindak lanjut; returns ``{"followup_id": ...}``.

        On TransientError the follow-up may or may not exist: call
        ``find_followup`` before sending it again.
        """
        form = {
            m.Form.COMPLAINT_ID: str(complaint_id),
            m.Form.INSTITUTION_FROM_ID: str(self.institution_id),
            m.Form.INSTITUTION_TO_ID: str(institution_to_id or self.institution_id),
            m.Form.IS_SECRET: str(m.FLAG_TRUE if is_secret else m.FLAG_FALSE),
            m.Form.CONTENT: content,
        }
        if template_code:
            form[m.Form.TEMPLATE_CODE] = template_code
        files = [(m.Form.ATTACHMENT.format(index=i), upload)
                 for i, upload in enumerate(attachments)]
        return self._call("POST", m.Path.FOLLOWUP_ADD, files=_multipart(form, files))

    def find_followup(self, complaint_id: int, content: str) -> dict[str, Any] | None:
        """Our most recent follow-up on the complaint with this content, if any."""
        wanted = _normalise(content)
        matches = [
            f for f in self.list_followups(complaint_id)
            if f.get(m.Field.AUTHOR) == m.AUTHOR_INSTITUTION
            and f.get(m.Field.INSTITUTION_FROM_ID) in (None, self.institution_id)
            and _normalise(f.get(m.Field.CONTENT) or "") == wanted
        ]
        return matches[-1] if matches else None

    # --- forwarding and new complaints ---------------------------------------

    def reject_not_authority(self, complaint_id: int, to_institution_id: int,
                             reason_description: str) -> dict[str, Any]:
        """Not our authority: forward the complaint to another institution."""
        body = {
            m.Form.IS_REQUEST: m.FLAG_TRUE,
            m.Form.NOT_AUTHORITY: m.FLAG_TRUE,
            m.Form.REASON: to_institution_id,
            m.Form.REASON_DESCRIPTION: reason_description,
        }
        return self._call("POST", m.Path.REJECT.format(id=complaint_id), json=body)

    def upload_complaint_files(self, files: Iterable[Upload]) -> list[int]:
        """Upload attachments for a new complaint; returns their document ids."""
        parts = [(m.Form.UPLOAD_FILES, upload) for upload in files]
        results = self._call("POST", m.Path.COMPLAINT_FILE, files=parts)
        return [doc[m.Result.DOC_ID] for doc in results[m.Result.DOCS]]

    def create_complaint(self, *, title: str, content: str, classification_id: int,
                         category_id: int, location_id: int, date_of_incident: str,
                         is_anonymous: bool = False, is_secret: bool = False,
                         reporter: dict[str, str | None] | None = None,
                         attachment_ids: Iterable[int] = (),
                         channel: str = "Website") -> dict[str, Any]:
        """Send a locally received complaint into SP4N.

        ``reporter`` uses the keys name/email/phone. Returns
        ``{"complaint_id": ..., "tracking_id": ...}``.
        """
        reporter = reporter or {}
        body = {
            m.Form.TITLE: title,
            m.Form.CONTENT: content,
            m.Form.CHANNEL: channel,
            m.Form.CLASSIFICATION_ID: classification_id,
            m.Form.CATEGORY_ID: category_id,
            m.Form.LOCATION_ID: location_id,
            m.Form.DATE_OF_INCIDENT: date_of_incident,
            m.Form.IS_ANONYMOUS: is_anonymous,
            m.Form.IS_SECRET: is_secret,
            m.Form.REPORTER: {
                m.Field.REPORTER_NAME: reporter.get("name"),
                m.Field.REPORTER_EMAIL: reporter.get("email"),
                m.Field.REPORTER_PHONE: reporter.get("phone"),
            },
            m.Form.ATTACHMENT_IDS: list(attachment_ids),
        }
        return self._call("POST", m.Path.COMPLAINT_CREATE, json=body)

    # --- master data ---------------------------------------------------------

    def institutions(self) -> list[dict[str, Any]]:
        return self._data("GET", m.Path.INSTITUTIONS)

    def categories(self) -> list[dict[str, Any]]:
        return self._data("GET", m.Path.CATEGORIES)

    def templates(self) -> list[dict[str, Any]]:
        return self._data("GET", m.Path.TEMPLATES)


def _normalise(text: str) -> str:
    """Servers may re-wrap lines or trim; compare on words only."""
    return re.sub(r"\s+", " ", text).strip()


def _multipart(form: dict[str, str], files: list[tuple[str, Upload]]) -> list[tuple[str, Any]]:
    """Fields as file-less parts, so the body is multipart even without files."""
    return [(name, (None, value)) for name, value in form.items()] + files
