"""Open311 answers in JSON and XML (GeoReport v2 "Format Support").

Both formats are built from the same ordered data: a dict is an element with one child per key,
a list is an element with one child per item (named by :data:`ITEM_TAGS`), ``None`` is an empty
element (``null`` in JSON), booleans are ``true``/``false``. XML is built with
:mod:`xml.etree.ElementTree`, UTF-8 with its declaration, as the spec requires.
"""

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
FORMATS = ("json", "xml")
# Child element names of list-valued fields.
ITEM_TAGS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
# Characters XML 1.0 cannot carry at all (control characters other than tab and newlines).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def element(tag: str, value: Any) -> ET.Element:
    node = ET.Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            node.append(element(key, child))
    elif isinstance(value, list):
        child_tag = ITEM_TAGS[tag]
        for child in value:
            node.append(element(child_tag, child))
    else:
        node.text = _text(value)
    return node


def xml_bytes(root: str, value: Any) -> bytes:
    body = ET.tostring(element(root, value), encoding="unicode", short_empty_elements=False)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def respond(fmt: str, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    """``value`` as the JSON document, or as the XML document with root element ``root``."""
    if fmt == "xml":
        return HttpResponse(xml_bytes(root, value), content_type=XML_TYPE, status=status)
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return HttpResponse(body.encode("utf-8"), content_type=JSON_TYPE, status=status)


def error_response(
    fmt: str, status: int, description: str, *, retry_after: int | None = None
) -> HttpResponse:
    """The spec's error body: ``[{"code": 400, "description": "..."}]`` or
    ``<errors><error><code>400</code><description>...</description></error></errors>``."""
    response = respond(fmt, "errors", [{"code": status, "description": description}], status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response
