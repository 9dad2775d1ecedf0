"""Undoing bytes of UTF-8 that were read as GBK, and marking where bytes were lost for good.

Two kinds of damage arrive in crawled reports:

* **UTF-8 read as GBK**: each two bytes of a stretch of UTF-8 became one GBK character
  (``调研`` → ``璋冪爺``). Where all the bytes survive, encoding the stretch in GBK again and
  decoding it as UTF-8 gives the text back. A byte GBK could not read was replaced (``\ufffd``,
  or ``?`` once the text was written out again), sometimes with the ASCII byte after it: the
  character it belonged to is lost, and a digit right after it may be too.
* **A GBK stream knocked out of step**: a closing quote's bytes were replaced (``?!``, ``??``)
  and one byte of the next character went with them, so the following characters were read one
  byte late (``住進`` → ``弊∵M``) until an ASCII byte put the reading back in step. Dropping the
  orphan byte and reading again gives the characters back; the replaced ones stay lost.

A reading is chosen for the whole text at once (dynamic programming over the characters): each
span is kept as it is or read again, whichever leaves the fewest rare characters
(:mod:`.charclass`). Every place where bytes were lost becomes one ``\ufffd`` in the text, never a
guess of what was there.
"""

from __future__ import annotations

import functools
import itertools
import re

from .charclass import LOST, RARE, UNCOMMON, is_han, is_plausible, rarity

# Longest spans tried in one step; longer damage is repaired as a chain of steps, since 3 GBK
# characters (6 bytes) are exactly 2 Han characters of UTF-8 and the reading stays in step.
UTF8_WINDOW = 9
REALIGN_WINDOW = 14
# A reading again must win by more than this, so that clean text is never "repaired" on a tie.
READING_PENALTY = 0.25
MARKER_COST = UNCOMMON

_LOST_BYTE = -1
_ANCHOR = re.compile(r"[?\ufffd][?!\ufffd]*")
# A pinyin annotation whose opening parenthesis and character went with the damage: ``?fù)Q``.
_ORPHAN_PINYIN = re.compile(r"[a-zàáâǎāèéêěēìíǐīòóǒōùúǔūüǖǘǚǜńňḿ]+\)(?:[@-~](?=[\u4e00-\u9fff]))?")


@functools.lru_cache(maxsize=16384)
def _gbk_bytes(char: str) -> bytes | None:
    if char == "€":
        # Windows' code page 936 reads the byte 0x80 as the euro sign.
        return b"\x80"
    try:
        return char.encode("gbk")
    except UnicodeEncodeError:
        return None


def repair_mojibake(text: str) -> str:
    """``text`` with its mojibake read again and each unrecoverable place as one ``\ufffd``."""
    keep = _keep_costs(text)
    size = len(text)
    best = [float("inf")] * (size + 1)
    step: list[tuple[int, str]] = [(0, "")] * (size + 1)
    best[0] = 0.0
    for start in range(size):
        here = best[start]
        if here == float("inf"):
            continue
        char = text[start]
        _relax(best, step, start, start + 1, here + keep[start], char)
        if char.isascii() and char != "?":
            continue
        if char in "?\ufffd":
            for end, reading, cost in _anchored_readings(text, start):
                _relax(best, step, start, end, here + cost, reading)
        if rarity(char) > 0 or char == "?":
            for end, reading, cost in _utf8_readings(text, start):
                _relax(best, step, start, end, here + cost, reading)
    pieces: list[str] = []
    position = size
    while position > 0:
        previous, reading = step[position]
        pieces.append(reading)
        position = previous
    return _merge_markers("".join(reversed(pieces)))


def _relax(
    best: list[float], step: list[tuple[int, str]], start: int, end: int, cost: float, reading: str
) -> None:
    if cost < best[end] - 1e-9:
        best[end] = cost
        step[end] = (start, reading)


def _merge_markers(text: str) -> str:
    return re.sub("\ufffd+", LOST, text)


def _keep_costs(text: str) -> list[float]:
    """The cost of leaving each character as it is. A question mark is text unless it cannot be:
    two of them between Han characters (``研?!?月``), or one before a stray annotation."""
    costs = [rarity(char) for char in text]
    for index in range(1, len(text) - 1):
        # A Han character inside a word of Latin letters (``(sh铆)``) is a pinyin letter's two
        # bytes read as one GBK character.
        if is_han(text[index]) and _latin(text[index - 1]) and _latin(text[index + 1]):
            costs[index] = RARE
    for match in _ANCHOR.finditer(text):
        cluster = match.group()
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        beside_han = is_han(before) or is_han(after)
        broken = cluster.count("?") >= 2 or LOST in cluster
        orphan = bool(_ORPHAN_PINYIN.match(text, match.end()))
        if beside_han and (broken or orphan) or LOST in cluster:
            for index in range(match.start(), match.end()):
                costs[index] = RARE
    return costs


def _latin(char: str) -> bool:
    return char.isascii() and (char.isalpha() or char == ")")


def _anchored_readings(text: str, start: int) -> list[tuple[int, str, float]]:
    """Readings of a replaced place that knocked the GBK stream out of step."""
    anchor = _ANCHOR.match(text, start)
    if anchor is None:
        return []
    end = anchor.end()
    readings = [(end, LOST, MARKER_COST)]
    orphan = _ORPHAN_PINYIN.match(text, end)
    if orphan:
        readings.append((orphan.end(), LOST, MARKER_COST))
    for stop in range(end + 1, min(len(text), end + REALIGN_WINDOW) + 1):
        reading = _realigned(text[end:stop])
        if reading is not None:
            cost = MARKER_COST + READING_PENALTY + sum(rarity(char) for char in reading)
            readings.append((stop, LOST + reading, cost))
    return readings


def _realigned(span: str) -> str | None:
    """``span`` read again one byte later, or None when that is no reading."""
    lost_last = span.endswith(LOST)
    body = span[:-1] if lost_last else span
    if not body or LOST in body or body[0].isascii():
        return None
    encoded = bytearray()
    for char in body:
        data = _gbk_bytes(char)
        if data is None:
            return None
        encoded += data
    encoded = encoded[1:]
    tail = ""
    if lost_last:
        # The lost byte was the trail of the last character: that character is lost too.
        if not encoded or encoded[-1] < 0x81:
            return None
        encoded = encoded[:-1]
        tail = LOST
    try:
        reading = bytes(encoded).decode("gbk")
    except UnicodeDecodeError:
        return None
    if not reading or not all(is_plausible(char) for char in reading):
        return None
    return reading + tail


def _utf8_readings(text: str, start: int) -> list[tuple[int, str, float]]:
    """Readings of spans starting at ``start`` as UTF-8 bytes that were read as GBK."""
    readings = []
    for stop in range(start + 1, min(len(text), start + UTF8_WINDOW) + 1):
        span = text[start:stop]
        if "\n" in span:
            break
        best: tuple[str, float] | None = None
        for reading in _utf8_candidates(span):
            cost = READING_PENALTY + sum(
                MARKER_COST if char == LOST else rarity(char) for char in reading
            )
            if best is None or cost < best[1]:
                best = (reading, cost)
        if best is not None:
            readings.append((stop, best[0], best[1]))
    return readings


def _utf8_candidates(span: str) -> list[str]:
    """Each way of reading ``span``'s GBK bytes as UTF-8. A ``?`` may stand for one lost byte,
    for a lost byte and the ASCII byte it swallowed, or for itself."""
    parts: list[list[list[int]]] = []
    for char in span:
        if char == LOST:
            parts.append([[_LOST_BYTE]])
        elif char == "?":
            parts.append([[_LOST_BYTE], [_LOST_BYTE, _LOST_BYTE], [0x3F]])
        elif char.isascii():
            parts.append([[ord(char)]])
        else:
            data = _gbk_bytes(char)
            if data is None:
                return []
            parts.append([list(data)])
    if sum(len(options) > 1 for options in parts) > 2:
        return []
    candidates = []
    for combination in itertools.product(*parts):
        units = [unit for part in combination for unit in part]
        reading = _decode_utf8(units)
        if reading is not None and any(not char.isascii() for char in reading):
            candidates.append(reading)
    return candidates


def _decode_utf8(units: list[int]) -> str | None:
    """UTF-8 with lost bytes: a character with a lost byte becomes ``\ufffd``. None when the
    bytes are not UTF-8 or end inside a character."""
    out: list[str] = []
    position = 0
    while position < len(units):
        unit = units[position]
        if unit == _LOST_BYTE:
            position += 1
            while position < len(units) and 0x80 <= units[position] <= 0xBF:
                position += 1
            out.append(LOST)
            continue
        if unit < 0x80:
            out.append(chr(unit))
            position += 1
            continue
        if 0xC2 <= unit <= 0xDF:
            need = 1
        elif 0xE0 <= unit <= 0xEF:
            need = 2
        elif 0xF0 <= unit <= 0xF4:
            need = 3
        else:
            return None
        sequence = units[position : position + need + 1]
        if len(sequence) < need + 1:
            return None
        if any(item != _LOST_BYTE and not 0x80 <= item <= 0xBF for item in sequence[1:]):
            return None
        position += need + 1
        if _LOST_BYTE in sequence:
            out.append(LOST)
            continue
        try:
            char = bytes(sequence).decode("utf-8")
        except UnicodeDecodeError:
            return None
        if not is_plausible(char):
            return None
        out.append(char)
    return "".join(out)
