"""What the reading of a narrative report returns: the repaired text, the figures found in it and
the places the damage made unreadable. Offsets are into the repaired text."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

LOST_BYTES = "lost-bytes"
NUMBER_DAMAGED = "number-damaged"
# What each reason tells the reviewer; the code is what programs compare.
REASONS = {
    LOST_BYTES: _("Garbled bytes were lost here; what they said cannot be recovered."),
    NUMBER_DAMAGED: _(
        "A number here touches garbled bytes and may have lost digits; it is not read."
    ),
}


@dataclass(frozen=True)
class Damage:
    """A span of the repaired text whose original characters could not be recovered."""

    start: int
    end: int
    reason: str


@dataclass(frozen=True)
class Repaired:
    text: str
    damage: list[Damage] = field(default_factory=list)


@dataclass(frozen=True)
class Figure:
    name: str | None
    value: Decimal
    unit: str
    yoy_percent: Decimal | None
    yoy_stated: bool
    sentence: str
    start: int
    end: int

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": decimal_json(self.value),
            "unit": self.unit,
            "yoy_percent": None if self.yoy_percent is None else decimal_json(self.yoy_percent),
            "sentence": self.sentence,
        }


@dataclass(frozen=True)
class Unreadable:
    sentence: str
    start: int
    end: int
    reason: str

    @property
    def explanation(self) -> str:
        """What the reason means, for the reviewer."""
        return str(REASONS[self.reason])

    def as_json(self) -> dict[str, Any]:
        return {
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "reason": self.reason,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class Extraction:
    text: str
    figures: list[Figure]
    unreadable: list[Unreadable]

    def as_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "figures": [figure.as_json() for figure in self.figures],
            "unreadable": [place.as_json() for place in self.unreadable],
        }


def decimal_json(value: Decimal) -> str:
    """A Decimal as exact text (JSON numbers would go through float): 1530000000, 16.6, -3.2."""
    return format(value.normalize(), "f")
