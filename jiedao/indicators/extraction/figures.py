"""Finding the figures in a repaired report.

Every number is looked at once. A number beside a lost place is unreadable (a digit may have gone
with the bytes: ``。”6月`` lost its 6), whatever is left of it; a number followed by a date's or
an ordinal's word is not a figure; the others are figures with their unit in base units. A change
written right after a figure (``2.03亿元,同比增长26.4%``) is that figure's stated year-on-year
change, not a figure of its own; a change in percentage points is a figure of its own (its unit is
百分点, not %).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .charclass import LOST, is_han
from .names import CLAUSE_BREAKS, figure_name
from .repair import repair
from .types import LOST_BYTES, NUMBER_DAMAGED, Extraction, Figure, Unreadable
from .units import (
    MULTIPLIERS,
    NUMBER,
    PERCENT,
    PERCENTAGE_POINT,
    UNITS,
    Quantity,
    parse_number,
    quantity_at,
)

_RISE = ("增长", "增加", "提高", "上升", "上涨", "比增", "增")
_FALL = ("下降", "减少", "降低", "回落", "下滑", "比降", "减")
_CHANGE = re.compile(
    r"[,，、\s]*(?:同比|比上年同期|比去年同期|较上年同期|较去年同期|与上年同期相比|比上年|较上年|比去年|"
    r"较去年|累计可比价|按可比价计算|可比价)?\s*(?P<verb>"
    + "|".join(sorted(_RISE + _FALL, key=len, reverse=True))
    + r")了?\s*(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>%|％)"
)
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


@dataclass
class _Place:
    start: int
    end: int
    reason: str


# Digits (and a decimal point) right beside a lost place: what is left of a number it cut.
_FRAGMENT_AFTER = re.compile(r"[.．]?\d(?:[\d.]|,(?=\d))*")
_FRAGMENT_BEFORE = re.compile(r"\d(?:[\d.]|,(?=\d))*[.．]?$")
# What may follow a number's lost digits: its multiplier and unit (15�亿元).
_SUFFIX = re.compile(
    "(?:" + "|".join(MULTIPLIERS) + ")?[余多]?(?:%|％|个百分点|" + "|".join(UNITS) + ")?"
)


def extract(raw: str | bytes) -> Extraction:
    """The repaired text of a report, the figures in it, and the places it could not read."""
    repaired = repair(raw)
    text = repaired.text
    places = _damaged_places(text, [(damage.start, damage.end) for damage in repaired.damage])
    figures: list[Figure] = []
    consumed_until = 0
    clause_start = 0
    for match in NUMBER.finditer(text):
        start, end = match.span()
        if start < consumed_until or any(p.start <= start < p.end for p in places):
            continue
        quantity = quantity_at(text, start, end)
        if quantity is None:
            continue
        lost = _lost_after_unit(text, quantity.end)
        if lost is not None:
            # The unit may have gone on into the lost bytes (15.3亿�, 1.5个百分�, 2.4万立方�):
            # what the figure counts is unknown.
            place = next(p for p in places if p.start <= lost < p.end)
            place.start, place.reason = start, NUMBER_DAMAGED
            consumed_until = place.end
            continue
        segment_start = max(_clause_start(text, start), clause_start)
        yoy, after = _stated_change(text, quantity)
        name, name_end = figure_name(
            text,
            segment_start,
            start,
            after,
            is_rate=quantity.unit in {PERCENT, PERCENTAGE_POINT},
        )
        figures.append(
            Figure(
                name=name,
                value=quantity.value,
                unit=quantity.unit,
                yoy_percent=yoy,
                yoy_stated=yoy is not None,
                sentence=sentence_at(text, start),
                start=start,
                end=after,
            )
        )
        consumed_until = after
        clause_start = max(after, name_end)
    unreadable = [
        Unreadable(
            sentence=sentence_at(text, place.start),
            start=place.start,
            end=place.end,
            reason=place.reason,
        )
        for place in places
    ]
    return Extraction(text=text, figures=figures, unreadable=unreadable)


def _damaged_places(text: str, spans: list[tuple[int, int]]) -> list[_Place]:
    """Each lost place, grown over the digits beside it: a number that touches lost bytes may
    have lost digits (``。”6月`` lost its 6), so what is left of it is not read either."""
    places: list[_Place] = []
    for start, end in spans:
        reason = LOST_BYTES
        before = _FRAGMENT_BEFORE.search(text, max(0, start - 40), start)
        if before:
            start, reason = before.start(), NUMBER_DAMAGED
        after = _FRAGMENT_AFTER.match(text, end)
        if after:
            end, reason = after.end(), NUMBER_DAMAGED
        if reason == NUMBER_DAMAGED:
            # The rest of the damaged figure, and the change stated for it, go unread with it.
            end = _SUFFIX.match(text, end).end()  # type: ignore[union-attr]
            change = _CHANGE.match(text, end)
            if change:
                end = change.end()
        if places and start <= places[-1].end:
            places[-1].end = max(places[-1].end, end)
            places[-1].reason = (
                NUMBER_DAMAGED if NUMBER_DAMAGED in (reason, places[-1].reason) else reason
            )
        else:
            places.append(_Place(start, end, reason))
    return places


# How far past a unit a lost place may still have cut it short (个百分点 is three more).
UNIT_REACH = 3


def _lost_after_unit(text: str, position: int) -> int | None:
    for index in range(position, min(len(text), position + UNIT_REACH)):
        if text[index] == LOST:
            return index
        if text[index] in CLAUSE_BREAKS or not is_han(text[index]):
            return None
    return None


def _is_lost(text: str, position: int) -> bool:
    return position < len(text) and text[position] == LOST


def _clause_start(text: str, position: int) -> int:
    while position > 0 and text[position - 1] not in CLAUSE_BREAKS:
        position -= 1
    return position


def _stated_change(text: str, quantity: Quantity) -> tuple[Decimal | None, int]:
    """The year-on-year change written right after a figure, as a signed percentage, and where
    the figure's words end."""
    if quantity.unit == PERCENT:
        return None, quantity.end
    match = _CHANGE.match(text, quantity.end)
    if match is None or _is_lost(text, match.end()):
        return None, quantity.end
    if match.start("number") > 0 and text[match.start("number") - 1] == LOST:
        return None, quantity.end
    number = parse_number(match.group("number"))
    sign = -1 if match.group("verb") in _FALL else 1
    return sign * number, match.end()


def sentence_at(text: str, position: int) -> str:
    """The sentence around ``position``, as written."""
    start = position
    while start > 0 and not _SENTENCE_END.match(text, start - 1):
        start -= 1
    end_match = _SENTENCE_END.search(text, position)
    end = end_match.end() if end_match else len(text)
    return text[start:end].strip()
