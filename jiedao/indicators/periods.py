"""Reporting periods of indicators: a month, a quarter, a half or a year of a calendar year.

A period is a plain value (:class:`PeriodKey`), written and read the way the subdistrict's
reports and tables write it: 2022年6月, 2022年第二季度, 2022年上半年, 2022年. Which finer periods make
up a coarser one is what aggregation (:mod:`jiedao.indicators.aggregation`) needs.
"""

import re
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF = "half", _("Half year")
    YEAR = "year", _("Year")


# How many periods of each kind a year has, and how many months each lasts.
COUNT = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2, PeriodKind.YEAR: 1}
MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}
# Finest first: the order in which a coarser period looks for the values that make it up.
FINEST_FIRST = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR)
CHINESE_NUMBERS = "一二三四"


@dataclass(frozen=True, order=True)
class PeriodKey:
    year: int
    kind: str
    number: int

    def __post_init__(self) -> None:
        if self.kind not in COUNT or not 1 <= self.number <= COUNT[PeriodKind(self.kind)]:
            raise ValueError(f"no period {self.kind} {self.number}")

    @property
    def label(self) -> str:
        """The period as Chinese reports write it."""
        kind = PeriodKind(self.kind)
        if kind is PeriodKind.MONTH:
            return f"{self.year}年{self.number}月"
        if kind is PeriodKind.QUARTER:
            return f"{self.year}年第{CHINESE_NUMBERS[self.number - 1]}季度"
        if kind is PeriodKind.HALF:
            return f"{self.year}年{'上' if self.number == 1 else '下'}半年"
        return f"{self.year}年"

    @property
    def code(self) -> str:
        """A short stable spelling for URLs and the API: 2022-M06, 2022-Q2, 2022-H1, 2022."""
        kind = PeriodKind(self.kind)
        if kind is PeriodKind.YEAR:
            return str(self.year)
        letter = {PeriodKind.MONTH: "M", PeriodKind.QUARTER: "Q", PeriodKind.HALF: "H"}[kind]
        width = 2 if kind is PeriodKind.MONTH else 1
        return f"{self.year}-{letter}{self.number:0{width}d}"

    @property
    def first_month(self) -> int:
        return (self.number - 1) * MONTHS[PeriodKind(self.kind)] + 1

    @property
    def last_month(self) -> int:
        return self.number * MONTHS[PeriodKind(self.kind)]

    def last_year(self) -> "PeriodKey":
        return PeriodKey(self.year - 1, self.kind, self.number)

    def parents(self) -> list["PeriodKey"]:
        """The coarser periods this one lies in (a month: its quarter, half and year)."""
        size = MONTHS[PeriodKind(self.kind)]
        return [
            PeriodKey(self.year, kind, (self.first_month - 1) // MONTHS[kind] + 1)
            for kind in FINEST_FIRST
            if MONTHS[kind] > size
        ]

    def children(self, kind: str) -> list["PeriodKey"]:
        """The periods of ``kind`` that make up this one, in order; none when ``kind`` is not
        finer."""
        size = MONTHS[PeriodKind(kind)]
        if size >= MONTHS[PeriodKind(self.kind)]:
            return []
        first = (self.first_month - 1) // size + 1
        last = self.last_month // size
        return [PeriodKey(self.year, kind, number) for number in range(first, last + 1)]


_CODE = re.compile(r"^(\d{4})(?:-([MQH])(\d{1,2}))?$")
_MONTH = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:份)?$")
_QUARTER = re.compile(r"^(\d{4})\s*年\s*(?:第)?\s*([一二三四1-4])\s*季度$")
_HALF = re.compile(r"^(\d{4})\s*年\s*([上下])半年$")
_YEAR = re.compile(r"^(\d{4})\s*年?(?:全年|度)?$")


def parse_period(text: str) -> PeriodKey | None:
    """The period ``text`` names (2022年上半年, 2022-H1, 2022年第二季度, 2022年6月, 2022), or None."""
    text = text.strip().replace(" ", "")
    try:
        if match := _CODE.match(text):
            year, letter, number = match.groups()
            if letter is None:
                return PeriodKey(int(year), PeriodKind.YEAR, 1)
            kind = {"M": PeriodKind.MONTH, "Q": PeriodKind.QUARTER, "H": PeriodKind.HALF}[letter]
            return PeriodKey(int(year), kind, int(number))
        if match := _MONTH.match(text):
            return PeriodKey(int(match[1]), PeriodKind.MONTH, int(match[2]))
        if match := _QUARTER.match(text):
            number = match[2]
            value = CHINESE_NUMBERS.index(number) + 1 if number in CHINESE_NUMBERS else int(number)
            return PeriodKey(int(match[1]), PeriodKind.QUARTER, value)
        if match := _HALF.match(text):
            return PeriodKey(int(match[1]), PeriodKind.HALF, 1 if match[2] == "上" else 2)
        if match := _YEAR.match(text):
            return PeriodKey(int(match[1]), PeriodKind.YEAR, 1)
    except ValueError:
        return None
    return None
