"""What text Jiedao accepts from outside, checked once for every door.

Refused, wherever they come from (a JSON body, a form, a query parameter, a path):

* control characters other than tab, line feed and carriage return (U+0000–U+001F, U+007F):
  PostgreSQL refuses NUL in text outright (the request would end in a server error), XML (Open311)
  cannot carry the others, and no name, address or description needs them;
* lone surrogates (U+D800–U+DFFF), which JSON's ``\\uD800`` escapes can produce but UTF-8 cannot
  encode.

JSON bodies are bounded before they are parsed: by size (``settings.JSON_MAX_BYTES``) and by
nesting depth (``settings.JSON_MAX_DEPTH``), since Python's parser recurses once per level and a
body nested a thousand deep raises ``RecursionError``. No Jiedao document nests more than a few
levels.
"""

import json
import re
from collections.abc import Iterable
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .errors import ApplicationError, InvalidInput

REFUSED_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# A JSON escape that decodes to a refused character: the only way one can reach a parsed JSON
# string, since raw control characters are invalid JSON. Matching it first spares parsing the
# body twice when (as nearly always) there is none; a false match (an escaped backslash before
# "u0000") only costs the full check.
_REFUSED_ESCAPE = re.compile(rb"\\u(?:00[01][0-9a-fA-F]|007[fF]|[dD][89a-fA-F][0-9a-fA-F]{2})")
# Strings, whose brackets nest nothing; escapes inside them are skipped whole. An unterminated
# string (even one ending in a lone backslash) runs to the end, so every match succeeds and the
# scan stays linear: otherwise each later quote would restart a scan to the end, quadratic on a
# crafted body.
_JSON_STRING = re.compile(rb'"[^"\\]*+(?:\\.[^"\\]*+)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKETS = bytes(sorted(set(range(256)) - set(b"[]{}")))
_NESTING_STEP = [1 if byte in b"[{" else -1 for byte in range(256)]


class BodyTooLarge(ApplicationError):
    status = 413
    default_code = "too_large"


def refused_character(value: str) -> str | None:
    """The first refused character in ``value``, or None."""
    found = REFUSED_CHARACTERS.search(value)
    return found.group() if found else None


def describe(character: str) -> str:
    """A character as users and developers can name it: U+0000."""
    return f"U+{ord(character):04X}"


# The fields of Jiedao's forms by the label people see, for a refusal that happens before any
# form is read (the middleware checks every request). A name not listed here is not named at
# all: a person must never meet an internal name; the API reports it in ``field``.
FIELD_LABELS: dict[str, Any] = {
    "description": _("Description"),
    "address": _("Address"),
    "lat": _("Latitude"),
    "lng": _("Longitude"),
    "note": _("Note"),
    "reason": _("Reason"),
    "comment": _("Comment"),
    "reporter_name": _("Reporter's name"),
    "reporter_phone": _("Reporter's phone"),
    "resolution_note": _("What was done"),
    "category": _("Category"),
    "grid": _("Grid"),
    "community": _("Community"),
    "name": _("Name"),
    "q": _("Search"),
    "text": _("Text"),
}


def refusal(field: str, character: str, *, by_label: bool = True) -> InvalidInput:
    """The refusal of ``character`` in ``field``, naming the field by its label (``by_label``)
    or by the parameter's own name (for Open311, whose clients know only the parameters)."""
    label = FIELD_LABELS.get(field) if by_label else field
    if label is None:
        return InvalidInput(
            _(
                "What you sent contains a control character (%(character)s), which is not "
                "allowed. Remove it and send again."
            ),
            params={"character": describe(character), "raw": character},
            code="control_character",
            field=field,
        )
    return InvalidInput(
        _(
            "“%(field)s” contains a control character (%(character)s), which is not allowed. "
            "Remove it and send again."
        ),
        params={"field": label, "character": describe(character), "raw": character},
        code="control_character",
        field=field,
    )


def check_fields(fields: Iterable[tuple[str, Iterable[str]]]) -> None:
    """Refuse the first (name, values) pair whose name or a value has a refused character."""
    for name, values in fields:
        for text in (name, *values):
            character = refused_character(text)
            if character is not None:
                raise refusal(REFUSED_CHARACTERS.sub("", name) or "?", character)


def check_document(value: Any, path: str = "") -> None:
    """Refuse the first string (key or value) of a parsed JSON document with a refused
    character, naming it by its path (``photos.0.caption``)."""
    if isinstance(value, str):
        character = refused_character(value)
        if character is not None:
            raise refusal(path or "body", character)
    elif isinstance(value, dict):
        for key, child in value.items():
            child_path = f"{path}.{key}" if path else str(key)
            character = refused_character(str(key))
            if character is not None:
                raise refusal(REFUSED_CHARACTERS.sub("", child_path), character)
            check_document(child, child_path)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            check_document(child, f"{path}.{index}" if path else str(index))


def json_depth(raw: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest (0 for a bare value), counted without
    parsing it. An unbalanced text counts as it goes; the parser refuses it afterwards."""
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_NESTING_STEP.__getitem__, brackets), initial=0))


def check_json_size(length: int) -> None:
    """Refuse a JSON body longer than ``settings.JSON_MAX_BYTES`` before reading it."""
    if length > settings.JSON_MAX_BYTES:
        raise BodyTooLarge(
            _("The request body is too large: at most %(limit)s bytes of JSON are accepted.")
            % {"limit": settings.JSON_MAX_BYTES},
            field="body",
        )


def check_json(raw: bytes) -> None:
    """Refuse a JSON body too large, nested too deep, or carrying a refused character. A body
    that is not JSON at all passes: the door's own parser answers it."""
    check_json_size(len(raw))
    if json_depth(raw) > settings.JSON_MAX_DEPTH:
        raise ApplicationError(
            _("The request body nests more than %(limit)s levels deep.")
            % {"limit": settings.JSON_MAX_DEPTH},
            code="too_deep",
            field="body",
        )
    if not _REFUSED_ESCAPE.search(raw):
        return
    try:
        document = json.loads(raw)
    except ValueError:
        return
    check_document(document)
