"""Units of indicators: values are stored in base units (元, 件, 立方米, %), shown in the unit a
report uses (亿元, 万元, 万立方米).

A display unit is a base unit with a Chinese multiplier in front (万元 = 10⁴ 元); a value typed in
the display unit is multiplied into base units before it is stored, and divided back for showing,
so 15.3亿元 is stored as 1530000000 元 and shown as 15.3 again.
"""

from decimal import Decimal

MULTIPLIERS: dict[str, Decimal] = {
    "亿": Decimal(100_000_000),
    "千万": Decimal(10_000_000),
    "百万": Decimal(1_000_000),
    "万": Decimal(10_000),
    "千": Decimal(1_000),
    "百": Decimal(100),
}
PERCENT = "%"


def scale_of(display_unit: str, unit: str) -> Decimal | None:
    """How many base units one display unit is (亿元 over 元 → 10⁸); None when the display unit
    is not the base unit with a known multiplier in front."""
    if display_unit == unit:
        return Decimal(1)
    if not unit or not display_unit.endswith(unit):
        return None
    prefix = display_unit[: -len(unit)]
    return MULTIPLIERS.get(prefix)


def to_base(value: Decimal, scale: Decimal) -> Decimal:
    return value * scale


def from_base(value: Decimal, scale: Decimal) -> Decimal:
    """The value in display units, without trailing zeros (1530000000 元 → 15.3 亿元)."""
    shown = value / scale
    normalised = shown.normalize()
    # normalize() writes 100 as 1E+2; quantize back to a plain integer for whole numbers.
    if normalised == normalised.to_integral_value():
        return normalised.quantize(Decimal(1))
    return normalised


def units_match(figure_unit: str, unit: str) -> bool:
    """Whether a figure in ``figure_unit`` (always a base unit, as extraction gives it) can be
    a value of an indicator counted in ``unit``."""
    return figure_unit.strip() == unit.strip()
