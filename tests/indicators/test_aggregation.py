"""An indicator's figure for a period and its year-on-year change, computed from the values of
the book (no database): aggregation per period, computed against stated changes."""

from decimal import Decimal

from jiedao.indicators.aggregation import Book
from jiedao.indicators.models import Indicator, Value
from jiedao.indicators.periods import PeriodKey

D = Decimal


def indicator(pk: int, aggregation: str = "sum", kind: str = "amount", **parts: int) -> Indicator:
    return Indicator(
        pk=pk,
        code=f"i{pk}",
        name=f"指标{pk}",
        kind=kind,
        unit="%" if kind == "rate" else "元",
        display_unit="%" if kind == "rate" else "万元",
        aggregation=aggregation,
        numerator_id=parts.get("numerator"),
        denominator_id=parts.get("denominator"),
    )


def value(item: Indicator, period: str, amount: str | None, **extra: object) -> Value:
    year, kind, number = period.split(" ")
    return Value(
        indicator_id=item.pk,
        year=int(year),
        period_kind=kind,
        number=int(number),
        value=None if amount is None else D(amount),
        **extra,
    )


def months(item: Indicator, year: int, amounts: list[str]) -> list[Value]:
    return [value(item, f"{year} month {n}", a) for n, a in enumerate(amounts, start=1)]


H1_2022 = PeriodKey(2022, "half", 1)
Q2_2022 = PeriodKey(2022, "quarter", 2)


def test_a_sum_adds_the_months_of_the_period():
    output = indicator(1)
    book = Book.of(months(output, 2022, ["10", "20", "30", "40", "50", "60"]), [output])

    assert (book.figure(output, Q2_2022), book.figure(output, H1_2022)) == (D(150), D(210))


def test_a_missing_month_leaves_the_sum_unknown_rather_than_short():
    output = indicator(1)
    book = Book.of(months(output, 2022, ["10", "20", "30", "40", "50"]), [output])

    assert (book.figure(output, PeriodKey(2022, "quarter", 1)), book.figure(output, H1_2022)) == (
        D(60),
        None,
    )


def test_quarters_make_the_half_when_the_months_are_incomplete():
    output = indicator(1)
    rows = [value(output, "2022 quarter 1", "100"), value(output, "2022 quarter 2", "120")]
    rows += [value(output, "2022 month 1", "30")]
    book = Book.of(rows, [output])

    assert book.figure(output, H1_2022) == D(220)


def test_a_value_entered_for_the_period_itself_wins_over_its_parts():
    output = indicator(1)
    rows = months(output, 2022, ["10", "20", "30", "40", "50", "60"])
    rows.append(value(output, "2022 half 1", "215"))
    book = Book.of(rows, [output])

    assert book.figure(output, H1_2022) == D(215)


def test_last_takes_the_last_month_and_average_the_mean():
    stock = indicator(1, "last")
    mean = indicator(2, "average")
    rows = months(stock, 2022, ["5", "6", "7", "8", "9", "12"])
    rows += months(mean, 2022, ["1", "2", "2", "3", "3", "3"])
    book = Book.of(rows, [stock, mean])

    assert (book.figure(stock, H1_2022), book.figure(mean, H1_2022)) == (D(12), D("2.33"))


def test_a_rate_is_the_ratio_of_its_parts_sums():
    closed = indicator(1, kind="count")
    due = indicator(2, kind="count")
    rate = indicator(3, "ratio", "rate", numerator=1, denominator=2)
    rows = months(closed, 2022, ["9", "10", "8", "10", "10", "10"])
    rows += months(due, 2022, ["10", "10", "10", "10", "10", "10"])
    book = Book.of(rows, [closed, due, rate])

    # 57 of 60, not the average of the monthly rates (95.0 either way here, 95.00 exactly).
    assert book.figure(rate, H1_2022) == D("95.00")


def test_the_change_is_computed_from_last_years_value_of_the_same_period():
    output = indicator(1)
    rows = [
        value(output, "2021 half 1", "1380000000"),
        value(output, "2022 half 1", "1530000000", stated_change=D("99.9")),
    ]
    book = Book.of(rows, [output])

    change = book.change(output, H1_2022)
    assert (change.amount, change.is_stated, change.unit) == (D("10.9"), False, "%")


def test_without_last_years_value_the_stated_change_is_shown_marked_stated():
    digital = indicator(1)
    book = Book.of([value(digital, "2022 half 1", "22370000", stated_change=D("16.6"))], [digital])

    change = book.change(digital, H1_2022)
    assert (change.amount, change.is_stated) == (D("16.6"), True)


def test_without_either_there_is_no_change():
    output = indicator(1)
    book = Book.of([value(output, "2022 half 1", "1530000000")], [output])

    assert book.change(output, H1_2022) is None


def test_a_rate_changes_in_percentage_points():
    rate = indicator(1, "average", "rate")
    rows = [value(rate, "2021 year 1", "96.5"), value(rate, "2022 year 1", "98")]
    book = Book.of(rows, [rate])

    change = book.change(rate, PeriodKey(2022, "year", 1))
    assert (change.amount, change.in_points) == (D("1.5"), True)


def test_last_year_derived_from_its_months_serves_the_computed_change():
    output = indicator(1)
    rows = months(output, 2021, ["10", "10", "10", "10", "10", "10"])
    rows.append(value(output, "2022 half 1", "75"))
    book = Book.of(rows, [output])

    assert book.change(output, H1_2022).amount == D("25.0")
