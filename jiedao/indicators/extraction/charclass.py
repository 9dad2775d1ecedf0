"""How ordinary a character is in a Chinese report, which is how the repair tells damage from text.

Mojibake is made of characters a report hardly ever uses: bytes of UTF-8 read as GBK fall on
GB2312's second level and on GBK's extensions, on kana and on symbols. So a reading of a span that
turns rare characters into the common ones (GB2312 level 1, compared after conversion to
simplified, since the reports arrive in traditional characters) is the better reading.
"""

from __future__ import annotations

import functools
import unicodedata

import opencc

LOST = "\ufffd"

# Punctuation that Chinese reports use; everything else outside letters, digits and Han is a
# symbol that mojibake produces (∵, €, ‚, box drawing …).
COMMON_PUNCTUATION = frozenset("，。、；：？！“”‘’（）《》〈〉【】—…·「」『』〔〕％＋－／～　・")

# Cost of keeping a character as it is: 0 common, 0.5 GB2312's second level, 1 rare or damage.
COMMON = 0.0
UNCOMMON = 0.5
RARE = 1.0


@functools.cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return str(_converter().convert(text))


def is_han(char: str) -> bool:
    code = ord(char)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
    )


def is_pinyin_letter(char: str) -> bool:
    """A Latin letter of a pinyin annotation (with or without its tone mark)."""
    if char.isascii():
        return char.isalpha()
    name = unicodedata.name(char, "")
    return name.startswith("LATIN SMALL LETTER") and unicodedata.decomposition(char) != ""


def _gb2312_level(char: str) -> int:
    """1 or 2 for the two levels of GB2312's Han characters, 0 outside them."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return 0
    if len(encoded) != 2:
        return 0
    lead = encoded[0]
    if 0xB0 <= lead <= 0xD7:
        return 1
    if 0xD8 <= lead <= 0xF7:
        return 2
    return 0


@functools.lru_cache(maxsize=16384)
def rarity(char: str) -> float:
    """The cost of reading ``char`` as it stands (see the module's docstring)."""
    if char == LOST:
        return RARE
    if char.isascii():
        return COMMON
    if char in COMMON_PUNCTUATION or is_pinyin_letter(char):
        return COMMON
    if is_han(char):
        level = max(_gb2312_level(char), _gb2312_level(to_simplified(char)[:1]))
        if level == 1:
            return COMMON
        if level == 2:
            return UNCOMMON
        return RARE
    if unicodedata.category(char) == "Zs":
        return COMMON
    return RARE


def is_plausible(char: str) -> bool:
    """Whether a character may appear in a repaired report: Han, common punctuation, ASCII,
    pinyin letters. A reading that produces Cyrillic or box drawing is not a repair."""
    return (
        char == LOST
        or (char.isascii() and (char.isprintable() or char in "\n\r\t"))
        or char in COMMON_PUNCTUATION
        or is_han(char)
        or is_pinyin_letter(char)
        or unicodedata.category(char) == "Zs"
    )
