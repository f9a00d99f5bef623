"""What every Open311 answer shares: the format in the path, the document
as JSON or XML, and the spec's error document."""
import json

from flask import Response, request

from portal.open311 import documents

FORMATS = "any(json, xml)"


class Open311Error(Exception):
    """Answered with the spec's error document and `code` (400, 403, 404)."""

    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code, self.description = code, description


def respond(fmt: str, kind: str, items, status: int = 200, root: str | None = None) -> Response:
    """A list document (bare JSON array) or, with `root`, a single object."""
    if fmt == "xml":
        body = (documents.object_to_xml(root, items) if root else documents.to_xml(kind, items))
        mimetype = "text/xml"
    else:
        body = json.dumps(items, ensure_ascii=False, indent=2) + "\n"
        mimetype = "application/json"
    return Response(body, status=status, mimetype=mimetype)


def error_response(errors: list[dict], code: int) -> Response:
    fmt = "xml" if request.path.endswith(".xml") else "json"
    return respond(fmt, "errors", errors, status=code)
