"""Removing the pinyin that crawled reports carry after characters: ``機(jī)遇`` → ``機遇``.

Only a parenthesis that holds the pinyin of the characters right before it is an annotation;
``高新區(濱江)`` or ``(一)`` are text and stay. The readings come from pypinyin (every reading of
the character, and of its simplified form), so a heteronym read either way is recognised.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from pypinyin import Style, pinyin
from pypinyin.pinyin_dict import pinyin_dict

from .charclass import LOST, is_han, to_simplified

_ANNOTATION = re.compile(
    r"[(（]\s*([a-zA-Z\u00c0-\u024f\u1e3f\u0300-\u036f]+(?:\s+[a-zA-Z\u00c0-\u024f\u1e3f\u0300-\u036f]+)*)\s*[)）]"
)


def _normal(syllable: str) -> str:
    return syllable.replace("ü", "v")


@functools.lru_cache(maxsize=8192)
def readings(char: str) -> frozenset[str]:
    """Every reading of ``char`` (and of its simplified form), with tone marks."""
    found: set[str] = set()
    for form in {char, to_simplified(char)[:1]}:
        if form and is_han(form):
            result = pinyin(form, heteronym=True, style=Style.TONE, errors="ignore")
            if result:
                found.update(result[0])
    return frozenset(_normal(unicodedata.normalize("NFC", item)) for item in found)


@functools.cache
def _all_syllables() -> frozenset[str]:
    syllables: set[str] = set()
    for value in pinyin_dict.values():
        syllables.update(_normal(item) for item in value.split(","))
    return frozenset(syllables)


def _without_tone(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable.replace("v", "ü"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _normal(unicodedata.normalize("NFC", bare))


def _matches(char: str, syllable: str) -> bool:
    syllable = _normal(unicodedata.normalize("NFC", syllable.lower()))
    known = readings(char)
    if syllable in known:
        return True
    # Written without tone marks (``ji``): compare without them, as long as it has none.
    return syllable == _without_tone(syllable) and syllable in {_without_tone(r) for r in known}


def is_toned_syllable(syllable: str) -> bool:
    syllable = _normal(unicodedata.normalize("NFC", syllable.lower()))
    return syllable in _all_syllables() and syllable != _without_tone(syllable)


# What is left of an annotation whose opening parenthesis was lost with its character: ``�wǎng)``.
_ORPHAN = re.compile(LOST + r"([a-zA-Z\u00c0-\u024f\u1e3f]+)\)")


def strip_pinyin(text: str) -> str:
    """``text`` without the annotations that spell the characters before them."""
    text = _ORPHAN.sub(
        lambda match: LOST if is_toned_syllable(match.group(1)) else match.group(), text
    )
    pieces: list[str] = []
    position = 0
    for match in _ANNOTATION.finditer(text):
        syllables = match.group(1).split()
        before = text[max(0, match.start() - len(syllables)) : match.start()]
        if len(before) == len(syllables) and _annotates(before, syllables):
            pieces.append(text[position : match.start()])
            position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


def _annotates(chars: str, syllables: list[str]) -> bool:
    for char, syllable in zip(chars, syllables, strict=True):
        if char == LOST:
            # The character was lost to the damage; its annotation is still recognisable as
            # pinyin (tone marks and all), and it tells nothing that may be put back.
            if not is_toned_syllable(syllable):
                return False
        elif not is_han(char) or not _matches(char, syllable):
            return False
    return True
