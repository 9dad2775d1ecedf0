"""The one parser of typed dates and months: errors name the field and show the value."""

from datetime import UTC, date, datetime

import pytest
from django.utils import translation

from jiedao.core.dates import parse_date, parse_month, parse_optional_date
from jiedao.core.errors import InvalidInput


def test_a_date_is_read_from_its_iso_form_or_taken_as_it_is():
    assert parse_date(" 2022-06-30 ", field="since") == date(2022, 6, 30)
    assert parse_date(date(2022, 1, 1), field="since") == date(2022, 1, 1)


@pytest.mark.parametrize(
    "value", ["2022/06/30", "2022-02-30", "", None, datetime(2022, 1, 1, 8, tzinfo=UTC)]
)
def test_anything_else_is_refused_naming_the_field(value):
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        parse_date(value, field="until")

    assert str(raised.value.message) == f"until 应为形如 2022-06-30 的日期，而不是“{value}”。"
    assert raised.value.field == "until"


def test_the_label_names_the_field_when_given():
    with translation.override("en"), pytest.raises(InvalidInput) as raised:
        parse_date("tomorrow", field="from", label="Reported from")

    assert (
        str(raised.value.message) == "Reported from must be a date like 2022-06-30, not “tomorrow”."
    )
    assert raised.value.field == "from"


def test_an_optional_date_may_be_blank():
    assert parse_optional_date("", field="from") is None
    assert parse_optional_date("  ", field="from") is None
    assert parse_optional_date(None, field="from") is None
    assert parse_optional_date("2022-05-01", field="from") == date(2022, 5, 1)


def test_a_month_gives_its_first_and_last_day():
    assert parse_month("2022-05", field="month") == (date(2022, 5, 1), date(2022, 5, 31))
    assert parse_month("2024-02", field="month") == (date(2024, 2, 1), date(2024, 2, 29))
    assert parse_month("2022-12", field="month") == (date(2022, 12, 1), date(2022, 12, 31))


@pytest.mark.parametrize("value", ["2022-13", "May 2022", "", None])
def test_a_bad_month_is_refused_naming_the_field(value):
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as raised:
        parse_month(value, field="month")

    assert str(raised.value.message) == f"month 应为形如 2022-05 的月份，而不是“{value}”。"
    assert raised.value.field == "month"
