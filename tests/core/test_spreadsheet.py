"""The one rule every spreadsheet and CSV export follows for cell values."""

from datetime import date
from decimal import Decimal

import pytest

from jiedao.core.spreadsheet import safe_cell, safe_row


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+1+1", "'+1+1"),
        ("-1+1", "'-1+1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("完成 = 100%", "完成 = 100%"),
        ("", ""),
        ("'=already quoted", "'=already quoted"),
    ],
)
def test_text_starting_like_a_formula_gets_a_leading_quote(value: str, expected: str) -> None:
    assert safe_cell(value) == expected


def test_numbers_dates_and_none_stay_what_they_are() -> None:
    assert safe_row([-3, -2.5, Decimal("-1.5"), date(2023, 1, 1), None]) == [
        -3,
        -2.5,
        Decimal("-1.5"),
        date(2023, 1, 1),
        None,
    ]
