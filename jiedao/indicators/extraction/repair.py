"""Repairing a crawled report before its figures are read.

The order undoes the damage in reverse: the mojibake was made last (from the annotated
traditional text), so it is read again first; then the pinyin annotations go, checked against
the characters they follow; then OpenCC converts traditional characters to simplified.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import InvalidInput

from .charclass import LOST, to_simplified
from .mojibake import repair_mojibake
from .pinyin import strip_pinyin
from .types import LOST_BYTES, Damage, Repaired

FIELD = "file"
FIELD_LABEL = _("Report file")
# Above this share of unreadable characters the file is not a damaged report but not text at all
# (a PDF, a Word file, a picture); a few lost bytes are damage, whatever the share.
MOST_LOST = 0.05
FEW_LOST = 16


def decode(raw: str | bytes) -> str:
    """The text of a file: UTF-8, else GB18030 (the other encoding government sites use); a byte
    neither can read becomes ``\ufffd``, a place where the text is lost.

    Raises :class:`InvalidInput` for an empty file and for one that is not text.
    """
    if isinstance(raw, str):
        text = raw
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = raw.decode("utf-16", errors="replace")
    elif b"\x00" in raw:
        raise _not_text()
    else:
        text = _decode_bytes(raw.removeprefix(b"\xef\xbb\xbf"))
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InvalidInput(
            _("%(field)s is empty: choose the report's text file."),
            field=FIELD,
            params={"field": FIELD_LABEL},
        )
    return text


def _decode_bytes(data: bytes) -> str:
    # A report is saved as UTF-8 or, from older Chinese systems, GBK (read as its superset).
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    text = data.decode("utf-8", errors="replace")
    # Lost places already in the text were damage before this file was written; only the bytes
    # that neither encoding reads say whether it is text at all.
    unread = text.count(LOST) - data.count(LOST.encode())
    visible = sum(not char.isspace() for char in text)
    if unread > FEW_LOST and unread > MOST_LOST * visible:
        raise _not_text()
    return text


def _not_text() -> InvalidInput:
    return InvalidInput(
        _(
            "%(field)s is not a text file: save the report as plain text (UTF-8 or GBK) and try again."
        ),
        field=FIELD,
        params={"field": FIELD_LABEL},
    )


def repair(raw: str | bytes) -> Repaired:
    """The report's text repaired, and the places (one ``\ufffd`` each) that could not be.

    Raises :class:`InvalidInput` (field ``file``) when ``raw`` is empty or not text.
    """
    text = to_simplified(strip_pinyin(repair_mojibake(decode(raw))))
    # Lost places that only an annotation kept apart are one place.
    text = re.sub(f"{LOST}+", LOST, text)
    damage = [
        Damage(start=match.start(), end=match.end(), reason=LOST_BYTES)
        for match in re.finditer(LOST, text)
    ]
    return Repaired(text=text, damage=damage)
