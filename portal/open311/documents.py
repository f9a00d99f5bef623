"""The GeoReport v2 documents, as the spec shapes them: JSON bare arrays (or
an object for discovery) and XML with the spec's element names and order.

Builders return plain dicts in spec order; `to_xml` turns a list of them
into the spec's XML.  Nothing here knows about HTTP.
"""
from xml.etree import ElementTree as ET

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"

REQUEST_FIELDS = ("service_request_id", "status", "status_notes", "service_name", "service_code",
                  "description", "agency_responsible", "service_notice", "requested_datetime",
                  "updated_datetime", "expected_datetime", "address", "address_id", "zipcode",
                  "lat", "long", "media_url")
SERVICE_FIELDS = ("service_code", "service_name", "description", "metadata", "type", "keywords",
                  "group")
UPDATE_FIELDS = ("update_id", "service_request_id", "status", "updated_datetime", "description",
                 "media_url")

# (root element, element per item) of each list document.
ROOTS = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "updates": ("service_requests_updates", "request_update"),
    "errors": ("errors", "error"),
}


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent, name: str, value) -> None:
    child = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, inner in value.items():
            _append(child, key, inner)
    elif isinstance(value, list):
        singular = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute",
                    "values": "value"}[name]
        for item in value:
            _append(child, singular, item)
    else:
        child.text = _text(value)


def to_xml(kind: str, items: list[dict]) -> str:
    root_name, item_name = ROOTS[kind]
    root = ET.Element(root_name)
    for item in items:
        _append(root, item_name, item)
    return _serialize(root)


def object_to_xml(root_name: str, document: dict) -> str:
    root = ET.Element(root_name)
    for key, value in document.items():
        _append(root, key, value)
    return _serialize(root)


def _serialize(root) -> str:
    ET.indent(root, space="  ")
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            + ET.tostring(root, encoding="unicode", short_empty_elements=True) + "\n")


def error(code: int, description: str) -> dict:
    return {"code": code, "description": description}


def discovery(url: str, contact: str, changeset: str) -> dict:
    return {
        "changeset": changeset,
        "contact": contact,
        "key_service": contact,
        "endpoints": [{
            "specification": SPEC_URL,
            "url": url,
            "changeset": changeset,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }


def service(code: str, name: str, group: str) -> dict:
    return {"service_code": code, "service_name": name, "description": name, "metadata": False,
            "type": "realtime", "keywords": "", "group": group}


def service_definition(code: str) -> dict:
    # No service asks for extra attributes: the form's fields are the spec's own.
    return {"service_code": code, "attributes": []}
