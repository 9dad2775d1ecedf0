"""Reading plan tables: plain text, HTML, Word and Excel → :class:`ParsedPlan`.

``parse_file(name, data)`` picks the reader from the file's content and name, enforces the size
limit (``SUPERVISION_IMPORT_MAX_BYTES``, 5 MB unless set) and raises ``InvalidInput`` with a
message that names the problem when the file cannot be read.
"""

from typing import IO

from django.conf import settings
from django.utils.translation import gettext as _

from jiedao.core.errors import InvalidInput

from .docx import read_docx
from .html import read_html
from .parsed import ParsedPlan, ParsedSection, ParsedTask
from .text import read_text
from .xlsx import read_xlsx

__all__ = [
    "ParsedPlan",
    "ParsedSection",
    "ParsedTask",
    "detect_format",
    "max_bytes",
    "parse_file",
    "read_limited",
]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
FORMATS = ("text", "html", "docx", "xlsx")


def max_bytes() -> int:
    return int(getattr(settings, "SUPERVISION_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def read_limited(upload: IO[bytes]) -> bytes:
    """An upload's bytes, reading one byte past the limit at most (enough to refuse it)."""
    return upload.read(max_bytes() + 1)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def detect_format(name: str, data: bytes) -> str:
    lower = name.lower()
    if data.startswith(b"PK"):
        if lower.endswith(".xlsx") or b"xl/" in data[:2000]:
            return "xlsx"
        return "docx"
    if lower.endswith((".doc", ".xls")) or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise InvalidInput(
            _(
                "Old Word and Excel files (.doc, .xls) cannot be read: save the file as .docx or .xlsx."
            ),
            code="unsupported_format",
            field="file",
        )
    if lower.endswith(".docx"):
        return "docx"
    if lower.endswith(".xlsx"):
        return "xlsx"
    head = data[:2000].lstrip().lower()
    if lower.endswith((".html", ".htm")) or head.startswith((b"<!doctype", b"<html", b"<table")):
        return "html"
    return "text"


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(
        _("The text is neither UTF-8 nor GB18030; save it as UTF-8 and try again."),
        code="bad_encoding",
        field="file",
    )


def parse_file(name: str, data: bytes) -> ParsedPlan:
    """The plan in ``data``; nothing is written."""
    if len(data) > max_bytes():
        raise InvalidInput(
            _("The file is %(size)s MB; files up to %(limit)s MB can be imported.")
            % {"size": _megabytes(len(data)), "limit": _megabytes(max_bytes())},
            code="too_large",
            field="file",
        )
    if not data.strip():
        raise InvalidInput(_("The file is empty."), code="empty_file", field="file")
    file_format = detect_format(name, data)
    if file_format == "docx":
        return read_docx(data)
    if file_format == "xlsx":
        return read_xlsx(data)
    text = decode(data)
    if file_format == "html":
        return read_html(text)
    return read_text(text)
