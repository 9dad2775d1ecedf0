"""Reading an uploaded narrative report into what :func:`extract` reads: a text file as its bytes
(so that the repair sees the damage exactly as it is), an HTML page or a Word document as the
text of its paragraphs."""

import io
import zipfile
from html.parser import HTMLParser

import docx
from django.utils.translation import gettext_lazy as _
from docx.opc.exceptions import PackageNotFoundError

from jiedao.core.errors import InvalidInput

MAX_BYTES = 2 * 1024 * 1024
BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "title"}
SKIPPED_TAGS = {"script", "style"}


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS and self.skipping:
            self.skipping -= 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    def text(self) -> str:
        lines = (line.strip() for line in "".join(self.parts).splitlines())
        return "\n".join(line for line in lines if line)


def _bad_file() -> InvalidInput:
    return InvalidInput(
        _("File: upload the report as text (.txt), a web page (.html) or Word (.docx)."),
        code="bad_file",
        field="file",
    )


def report_content(name: str, data: bytes) -> str | bytes:
    """What :func:`jiedao.indicators.extraction.extract` reads for this upload."""
    if not data.strip():
        raise InvalidInput(_("File: the report is empty."), code="empty", field="file")
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            _("File: the report is larger than 2 MB."), code="too_large", field="file"
        )
    lower = name.lower()
    if lower.endswith(".docx") or data.startswith(b"PK\x03\x04"):
        try:
            document = docx.Document(io.BytesIO(data))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
            raise _bad_file() from None
        return "\n".join(p.text for p in document.paragraphs if p.text.strip())
    if b"\x00" in data[:4096]:
        raise _bad_file()
    if lower.endswith((".html", ".htm")) or data.lstrip()[:1] == b"<":
        try:
            markup = data.decode("utf-8")
        except UnicodeDecodeError:
            markup = data.decode("gb18030", errors="replace")
        parser = _Paragraphs()
        parser.feed(markup)
        parser.close()
        return parser.text()
    if lower.endswith((".txt", ".text")) or "." not in lower:
        return data
    raise _bad_file()
