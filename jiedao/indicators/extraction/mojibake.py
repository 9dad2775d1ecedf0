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
span is kept as it is or read again, whichever costs least. Rare characters cost (mojibake is
made of them, :mod:`.charclass`), each lost place costs, and where a span shows damage a reading
that explains more of its characters as mojibake gains; question marks that cannot be text (two
together, one before a digit, one that finishes a character's UTF-8 bytes) cost more kept than
marked. The costs were set against reports damaged both ways at every place
(``tests/indicators/extraction/test_never_invents.py``). Every place where bytes were lost
becomes one ``\ufffd`` in the text, never a guess of what was there.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import NamedTuple

from .charclass import (
    COMMON_PUNCTUATION,
    LOST,
    RARE,
    UNCOMMON,
    is_han,
    is_pinyin_letter,
    is_plausible,
    rarity,
)
from .pinyin import is_toned_syllable as _is_toned_syllable

# Longest spans tried in one step; longer damage is repaired as a chain of steps, since 3 GBK
# characters (6 bytes) are exactly 2 Han characters of UTF-8 and the reading stays in step.
UTF8_WINDOW = 9
REALIGN_WINDOW = 14
# A reading again must win by more than this, so that clean text is never "repaired" on a tie.
READING_PENALTY = 0.25
MARKER_COST = UNCOMMON
# A question mark marked lost on its own, with nothing read again around it, costs more than one
# that a reading explains (鍊? read as a character that lost its last byte), and less than
# keeping a question mark that cannot be text.
LONE_MARKER_COST = 1.0
# Of two readings that lose the same, the one that puts fewer surviving bytes in lost
# characters (a comma after the damage stays a comma).
ABSORBED_COST = 0.01
# A lost byte that no surviving byte of its character accounts for (a lost character all by
# itself) is a weaker reading than one that completes a character begun by surviving bytes.
UNEXPLAINED_COST = 0.25
# What each GBK character explained as mojibake gains, in a span that shows damage.
EXPLAINED_BONUS = 0.3
# A GBK character whose second byte is ASCII, read as UTF-8, leaves a letter or sign behind.
ASCII_TRAIL_COST = 0.5
# Keeping a question mark that stands for replaced bytes (see _swallowed).
SUSPECT = 1.5
# A question mark and the annotation it broke (``?fù)``), marked lost together: dearer than a
# reading of the character before it that the question mark finishes (鍊? for 個).
ORPHAN_COST = 0.9

_LOST_BYTE = -1
_ANCHOR = re.compile(r"[?\ufffd][?!\ufffd]*")
# A pinyin annotation whose opening parenthesis and character went with the damage: ``?fù)Q``.
_ORPHAN_PINYIN = re.compile(r"[a-zàáâǎāèéêěēìíǐīòóǒōùúǔūüǖǘǚǜńňḿ]+\)(?:[@-~](?=[\u4e00-\u9fff]))?")


_ANNOTATION_AFTER_LETTER = re.compile(r"([A-Za-z])\(([a-zàáâǎāèéêěēìíǐīòóǒōùúǔūüǖǘǚǜńňḿ]+)\)")


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
        if _may_start_utf8(char):
            for end, reading, cost in _utf8_readings(text, start):
                _relax(best, step, start, end, here + cost, reading)
    pieces: list[str] = []
    position = size
    while position > 0:
        previous, reading = step[position]
        pieces.append(reading)
        position = previous
    return _merge_markers("".join(reversed(pieces)))


def _may_start_utf8(char: str) -> bool:
    """Whether ``char`` may be the first of a stretch of UTF-8 read as GBK: its first byte must
    be able to start a UTF-8 character."""
    if char in "?\ufffd":
        return True
    data = _gbk_bytes(char)
    return data is not None and len(data) == 2 and 0xC2 <= data[0] <= 0xF4


def _relax(
    best: list[float], step: list[tuple[int, str]], start: int, end: int, cost: float, reading: str
) -> None:
    if cost < best[end] - 1e-9:
        best[end] = cost
        step[end] = (start, reading)


def _merge_markers(text: str) -> str:
    return re.sub("\ufffd+", LOST, text)


def _keep_costs(text: str) -> list[float]:
    """The cost of leaving each character as it is: its rarity, more for a Han character that is
    a pinyin letter read as GBK or a letter before an annotation, and for question marks that
    cannot be text (two together as in ``研?!?月``, one before a stray annotation, one that
    :func:`_swallowed` a byte)."""
    costs = [rarity(char) for char in text]
    for index in range(1, len(text) - 1):
        # A Han character inside a word of Latin letters (``(sh铆)``, ``(茅)``) whose two GBK
        # bytes are a pinyin letter in UTF-8 is that letter read as GBK.
        if (
            is_han(text[index])
            and (_latin(text[index - 1]) or text[index - 1] in "(?\ufffd")
            and (_latin(text[index + 1]))
            and _reads_as_pinyin_letter(text[index])
        ):
            costs[index] = RARE
    for match in _ANNOTATION_AFTER_LETTER.finditer(text):
        # Pinyin follows Han characters only: a letter before it is the stray second byte of a
        # character read out of step (``鲳B(yǎng)`` for 養(yǎng)).
        if _is_toned_syllable(match.group(2)):
            costs[match.start()] = RARE
    for match in _ANCHOR.finditer(text):
        cluster = match.group()
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if cluster.count("?") >= 2 or LOST in cluster or _ORPHAN_PINYIN.match(text, match.end()):
            cost = RARE
        elif _swallowed(before, after):
            cost = SUSPECT
        else:
            continue
        for index in range(match.start(), match.end()):
            costs[index] = cost
    return costs


def _swallowed(before: str, after: str) -> bool:
    """Whether a question mark stands for replaced bytes: before a digit (a number right after
    it may have lost its first digits: ``?!?5家`` was ``。”15家``), between a Han character and
    a letter, after a character that is itself rare (``浠?``) or whose bytes begin a UTF-8
    character that the question mark would finish."""
    if after.isascii() and after.isdigit():
        return True
    if not before or before.isascii():
        return False
    return (
        (is_han(before) and after.isascii() and after.isalpha())
        or rarity(before) > 0
        or _begins_utf8(before)
        or (bool(after) and not after.isascii() and rarity(after) > 0 and _ends_on_lead(before))
    )


def _ends_on_lead(char: str) -> bool:
    """Whether ``char``'s second GBK byte could start a UTF-8 character (拌 is B0 E8): with a
    rare character after the question mark, the question mark is that character's lost rest."""
    data = _gbk_bytes(char)
    return data is not None and len(data) == 2 and 0xC2 <= data[1] <= 0xF4


def _begins_utf8(char: str) -> bool:
    """Whether ``char``'s GBK bytes are the start of a UTF-8 character that needs more bytes
    (鍊 is E5 80: a question mark after it is the byte that would have finished 值)."""
    data = _gbk_bytes(char)
    return (
        data is not None and len(data) == 2 and 0xE0 <= data[0] <= 0xF4 and 0x80 <= data[1] <= 0xBF
    )


def _reads_as_pinyin_letter(char: str) -> bool:
    data = _gbk_bytes(char)
    if data is None:
        return False
    try:
        letter = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return len(letter) == 1 and not letter.isascii() and is_pinyin_letter(letter)


def _latin(char: str) -> bool:
    return char.isascii() and (char.isalpha() or char == ")")


def _anchored_readings(text: str, start: int) -> list[tuple[int, str, float]]:
    """Readings of a replaced place that knocked the GBK stream out of step."""
    anchor = _ANCHOR.match(text, start)
    if anchor is None:
        return []
    end = anchor.end()
    readings = [(end, LOST, LONE_MARKER_COST)]
    orphan = _ORPHAN_PINYIN.match(text, end)
    if orphan:
        readings.append((orphan.end(), LOST, ORPHAN_COST))
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
        damaged = any(char in "?\ufffd" or rarity(char) > 0 for char in span)
        # A GBK character whose second byte is ASCII (區 is 0x85 0x5E) read as UTF-8 turns that
        # byte into a letter or a sign (^): possible, but only where UTF-8 had ASCII there.
        ascii_trails = sum(
            1
            for char in span
            if not char.isascii() and (_gbk_bytes(char) or b"\x80\x80")[-1] < 0x80
        )
        candidates, extendable = _utf8_candidates(span)
        for decoded in candidates:
            reading = decoded.text
            markers = len(re.findall(f"{LOST}+", reading))
            cost = (
                READING_PENALTY
                + MARKER_COST * markers
                + ABSORBED_COST * decoded.absorbed
                + UNEXPLAINED_COST * decoded.unexplained
                + ASCII_TRAIL_COST * ascii_trails
                + sum(rarity(char) for char in reading if char != LOST)
            )
            if damaged:
                # Three GBK characters that are two of UTF-8: in a span that shows damage, a
                # reading that explains more characters as mojibake is the likelier one, even
                # where the mojibake happens to be common characters (鐐广 for 点。).
                cost -= EXPLAINED_BONUS * (_wide(span) - _wide(reading))
            if best is None or cost < best[1]:
                best = (reading, cost)
        if best is not None:
            readings.append((stop, best[0], best[1]))
        if not extendable:
            # The bytes went wrong before the end of the span: no longer span reads either.
            break
    return readings


def _wide(text: str) -> int:
    """Characters that mojibake is made of (Han and symbols, not the report's punctuation or
    pinyin letters), a run of lost ones counting once."""
    return sum(
        not char.isascii()
        and char != LOST
        and char not in COMMON_PUNCTUATION
        and not is_pinyin_letter(char)
        for char in text
    ) + len(re.findall(f"{LOST}+", text))


_INVALID = "invalid"
_INCOMPLETE = "incomplete"


class _Decoded(NamedTuple):
    text: str
    # Surviving bytes put in lost characters, and lost characters with no surviving byte.
    absorbed: int
    unexplained: int


def _utf8_candidates(span: str) -> tuple[list[_Decoded], bool]:
    """Each way of reading ``span``'s GBK bytes as UTF-8, with how many surviving bytes it puts
    in lost characters. A ``?`` stands for one lost byte, or for a lost byte and the ASCII byte
    it swallowed. Also whether a longer span might still be read."""
    parts: list[list[list[int]]] = []
    for char in span:
        if char == LOST:
            parts.append([[_LOST_BYTE]])
        elif char == "?":
            parts.append([[_LOST_BYTE], [_LOST_BYTE, _LOST_BYTE]])
        elif char.isascii():
            parts.append([[ord(char)]])
        else:
            data = _gbk_bytes(char)
            if data is None:
                return [], False
            parts.append([list(data)])
    if sum(len(options) > 1 for options in parts) > 2:
        return [], False
    if all(char.isascii() or char == LOST for char in span):
        # Nothing here was read as GBK: question marks alone are no mojibake to read again.
        return [], True
    candidates = []
    extendable = False
    for combination in itertools.product(*parts):
        units = [unit for part in combination for unit in part]
        decoded = _decode_utf8(units)
        if isinstance(decoded, _Decoded):
            candidates.append(decoded)
            extendable = True
        elif decoded == _INCOMPLETE:
            extendable = True
    return candidates, extendable


def _decode_utf8(units: list[int]) -> _Decoded | str:
    """UTF-8 with lost bytes: a character with a lost byte becomes ``\ufffd``; also how many
    surviving bytes went into such characters. ``_INVALID`` when the bytes are not UTF-8,
    ``_INCOMPLETE`` when they end inside a character."""
    out: list[str] = []
    absorbed = 0
    unexplained = 0
    position = 0
    while position < len(units):
        unit = units[position]
        if unit == _LOST_BYTE:
            # A lost first byte: the continuation bytes after it were its character's.
            position += 1
            following = 0
            while position < len(units) and following < 3 and 0x80 <= units[position] <= 0xBF:
                position += 1
                following += 1
            absorbed += following
            unexplained += following == 0
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
            return _INVALID
        sequence = units[position : position + need + 1]
        if any(item != _LOST_BYTE and not 0x80 <= item <= 0xBF for item in sequence[1:]):
            return _INVALID
        if len(sequence) < need + 1:
            return _INCOMPLETE
        position += need + 1
        if _LOST_BYTE in sequence:
            absorbed += sum(item != _LOST_BYTE for item in sequence)
            out.append(LOST)
            continue
        try:
            char = bytes(sequence).decode("utf-8")
        except UnicodeDecodeError:
            return _INVALID
        if not is_plausible(char):
            return _INVALID
        out.append(char)
    return _Decoded("".join(out), absorbed, unexplained)
