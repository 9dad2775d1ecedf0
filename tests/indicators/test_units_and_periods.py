from decimal import Decimal

import pytest

from jiedao.indicators.periods import PeriodKey, parse_period
from jiedao.indicators.units import from_base, scale_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022年上半年", PeriodKey(2022, "half", 1)),
        ("2022年下半年", PeriodKey(2022, "half", 2)),
        ("2022-H1", PeriodKey(2022, "half", 1)),
        ("2022年第二季度", PeriodKey(2022, "quarter", 2)),
        ("2022年4季度", PeriodKey(2022, "quarter", 4)),
        ("2022-Q3", PeriodKey(2022, "quarter", 3)),
        ("2022年6月", PeriodKey(2022, "month", 6)),
        ("2022-M06", PeriodKey(2022, "month", 6)),
        ("2022年", PeriodKey(2022, "year", 1)),
        ("2022", PeriodKey(2022, "year", 1)),
        ("2022年13月", None),
        ("2022-Q5", None),
        ("上半年", None),
        ("", None),
    ],
)
def test_periods_are_read_as_reports_write_them(text, expected):
    assert parse_period(text) == expected


def test_a_period_knows_its_label_code_and_parts():
    half = PeriodKey(2022, "half", 2)

    assert (half.label, half.code, [q.code for q in half.children("quarter")]) == (
        "2022年下半年",
        "2022-H2",
        ["2022-Q3", "2022-Q4"],
    )
    assert (PeriodKey(2022, "quarter", 1).label, PeriodKey(2022, "month", 6).code) == (
        "2022年第一季度",
        "2022-M06",
    )


@pytest.mark.parametrize(
    ("display", "unit", "scale"),
    [
        ("亿元", "元", Decimal(100_000_000)),
        ("万元", "元", Decimal(10_000)),
        ("万立方米", "立方米", Decimal(10_000)),
        ("千人", "人", Decimal(1_000)),
        ("件", "件", Decimal(1)),
        ("%", "%", Decimal(1)),
        ("美元", "元", None),
        ("亿件", "元", None),
    ],
)
def test_a_display_unit_is_the_base_unit_with_a_multiplier(display, unit, scale):
    assert scale_of(display, unit) == scale


def test_base_values_show_in_the_display_unit_without_trailing_zeros():
    assert [
        str(from_base(Decimal("1530000000.0000"), Decimal(100_000_000))),
        str(from_base(Decimal("22370000.0000"), Decimal(10_000))),
        str(from_base(Decimal("100.0000"), Decimal(1))),
    ] == ["15.3", "2237", "100"]


def test_a_month_lies_in_its_quarter_half_and_year():
    assert [key.code for key in PeriodKey(2022, "month", 8).parents()] == [
        "2022-Q3",
        "2022-H2",
        "2022",
    ]
    assert PeriodKey(2022, "year", 1).parents() == []
