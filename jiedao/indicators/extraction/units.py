"""Quantities as reports write them: a number, a multiplier, a unit (``15.3亿元``, ``3.8万余条``,
``100%``, ``3.2个百分点``), and their value in the unit's base (1530000000 元)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

MULTIPLIERS = {
    "万亿": Decimal(10) ** 12,
    "亿": Decimal(10) ** 8,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
}

PERCENT = "%"
PERCENTAGE_POINT = "百分点"

# Units written after a number, longest first so that 平方公里 wins over 公里 and 米.
UNITS = sorted(
    [
        "元",
        "美元",
        "件",
        "人",
        "人次",
        "个",
        "立方米",
        "平方米",
        "平方公里",
        "公里",
        "千米",
        "米",
        "亩",
        "公顷",
        "户",
        "家",
        "次",
        "条",
        "名",
        "处",
        "份",
        "项",
        "张",
        "宗",
        "针",
        "剂",
        "幢",
        "栋",
        "座",
        "所",
        "间",
        "套",
        "台",
        "辆",
        "艘",
        "吨",
        "千克",
        "公斤",
        "方",
        "场",
        "批",
        "起",
        "例",
        "只",
        "头",
        "株",
        "棵",
        "盏",
        "块",
        "支",
        "床",
        "笔",
        "篇",
        "册",
        "期",
        "轮",
        "天",
        "小时",
        "千瓦",
        "千瓦时",
    ],
    key=len,
    reverse=True,
)

# 方 alone is too often a word (三方, 双方); 22万方 is cubic metres as builders write them.
NEEDS_MULTIPLIER = frozenset({"方"})

# A unit followed by this is the first character of a word: 2.0项目 is a name, not 2 项.
WORDS_NOT_UNITS = {"项": "目", "家": "庭", "方": "面", "期": "间", "批": "准"}

# What follows a number that makes it a date, a time, an ordinal or a code, not a figure.
NOT_A_QUANTITY = (
    "年",
    "月",
    "日",
    "号",
    "时",
    "点",
    "分",
    "秒",
    "季度",
    "周",
    "岁",
    "类",
    "级",
    "批次",
    "星",
)

# ``1,234.5``: a comma followed by three digits is a thousands separator (reports also use ASCII
# commas between clauses, which are followed by a character).
NUMBER = re.compile(
    r"(?<![\d.A-Za-z])\d{1,3}(?:,\d{3})+(?![\d])(?:\.\d+)?|(?<![\d.A-Za-z])\d+(?:\.\d+)?"
)
_APPROXIMATE = ("余", "多")
_PERCENT_SIGNS = ("%", "％")


@dataclass(frozen=True)
class Quantity:
    """A number with what follows it. ``end`` is past the unit (and past 余/多)."""

    number: Decimal
    multiplier: str
    unit: str
    start: int
    end: int

    @property
    def value(self) -> Decimal:
        """In base units: the multiplier applied, exactly."""
        value = self.number * MULTIPLIERS.get(self.multiplier, Decimal(1))
        return _plain(value)

    @property
    def written(self) -> str:
        return f"{self.number}{self.multiplier}{self.unit}"


def _plain(value: Decimal) -> Decimal:
    """1.35E+4 as 13500; 16.60 stays 16.60's value but without the exponent."""
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return normal.quantize(Decimal(1))
    return normal


def parse_number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def quantity_at(text: str, start: int, end: int) -> Quantity | None:
    """The quantity whose number is ``text[start:end]``; None when what follows makes it a date,
    an ordinal, a code or a bare number with neither multiplier nor unit."""
    number = parse_number(text[start:end])
    if start > 0 and text[start - 1] == "第":
        return None
    position = end
    if text.startswith(("-", "—", "~", "～", "至", "到"), position) and _digit_at(
        text, position + 1
    ):
        # The first end of a range (1-6月): the figure, if any, is the range's other end.
        return None
    multiplier = ""
    for candidate in MULTIPLIERS:
        if text.startswith(candidate, position):
            multiplier = candidate
            position += len(candidate)
            break
    if text.startswith(_APPROXIMATE, position):
        position += 1
    if text.startswith(_PERCENT_SIGNS, position):
        if multiplier:
            return None
        return Quantity(number, "", PERCENT, start, position + 1)
    for prefix in ("个百分点", "百分点"):
        if text.startswith(prefix, position) and not multiplier:
            return Quantity(number, "", PERCENTAGE_POINT, start, position + len(prefix))
    if text.startswith(NOT_A_QUANTITY, position):
        return None
    for unit in UNITS:
        if text.startswith(unit, position):
            after = position + len(unit)
            if unit in NEEDS_MULTIPLIER and not multiplier:
                continue
            if text.startswith(WORDS_NOT_UNITS.get(unit, "\0"), after):
                continue
            if text.startswith(_APPROXIMATE, after):
                after += 1
            return Quantity(number, multiplier, unit, start, after)
    if multiplier:
        # 1000万 with no unit written: the value is known, its unit is not, and none is invented.
        return Quantity(number, multiplier, "", start, position)
    return None


def _digit_at(text: str, position: int) -> bool:
    return position < len(text) and text[position].isdigit()
