"""Repairing a crawled report before its figures are read.

The order undoes the damage in reverse: the mojibake was made last (from the annotated
traditional text), so it is read again first; then the pinyin annotations go, checked against
the characters they follow; then OpenCC converts traditional characters to simplified.
"""

from __future__ import annotations

import re

from .charclass import LOST, to_simplified
from .mojibake import repair_mojibake
from .pinyin import strip_pinyin
from .types import Damage, Repaired

LOST_BYTES = "lost-bytes"


def decode(raw: str | bytes) -> str:
    """The text of a file: UTF-8, else GB18030 (the other encoding government sites use); a byte
    neither can read becomes ``\ufffd``, a place where the text is lost."""
    if isinstance(raw, str):
        text = raw
    else:
        data = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("gb18030")
            except UnicodeDecodeError:
                text = data.decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def repair(raw: str | bytes) -> Repaired:
    """The report's text repaired, and the places (one ``\ufffd`` each) that could not be."""
    text = to_simplified(strip_pinyin(repair_mojibake(decode(raw))))
    damage = [
        Damage(start=match.start(), end=match.end(), reason=LOST_BYTES)
        for match in re.finditer(LOST, text)
    ]
    return Repaired(text=text, damage=damage)
