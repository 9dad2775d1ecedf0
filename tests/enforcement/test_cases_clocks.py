"""The statutory clocks of a case across the 2024 National Day holiday (1–7 October off, Sunday
29 September and Saturday 12 October worked: the calendar seeded from chinese-calendar), the
late-payment surcharge of Art. 72 and the limitation of Art. 36."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.test import override_settings

from jiedao.core.localtime import local_zone
from jiedao.enforcement import clocks

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=local_zone())


@pytest.mark.parametrize(
    ("name", "start", "due", "warn"),
    [
        # 15 working days: 29 Sep (make-up Sunday), 30 Sep, then from 8 Oct with Sat 12 Oct.
        (
            "filing",
            date(2024, 9, 27),
            at(date(2024, 10, 23), 17, 30),
            at(date(2024, 10, 18), 16, 18),
        ),
        # 90 calendar days end on 3 October, a holiday: the period runs to 8 October.
        ("decision", date(2024, 7, 5), at(date(2024, 10, 9), 0), at(date(2024, 9, 19), 21, 12)),
        # 5 working days: 29 Sep, 30 Sep, 8, 9, 10 Oct.
        (
            "hearing_request",
            date(2024, 9, 27),
            at(date(2024, 10, 10), 17, 30),
            at(date(2024, 10, 9), 16, 18),
        ),
        # 7 working days: 27 Sep, 29 Sep, 30 Sep, 8–11 Oct.
        (
            "service",
            date(2024, 9, 26),
            at(date(2024, 10, 11), 17, 30),
            at(date(2024, 10, 10), 11, 48),
        ),
        # From Friday 11 October the make-up Saturday 12 October is the first working day.
        (
            "service",
            date(2024, 10, 11),
            at(date(2024, 10, 21), 17, 30),
            at(date(2024, 10, 18), 11, 48),
        ),
        # 15 calendar days end on 5 October, a holiday: the period runs to 8 October.
        ("payment", date(2024, 9, 20), at(date(2024, 10, 9), 0), at(date(2024, 10, 5), 6, 48)),
    ],
)
def test_every_clock_across_national_day(name, start, due, warn):
    clock = clocks.clock(name, at(start))

    assert (clock.due_at, clock.warn_at) == (due, warn)


def test_the_hearing_is_notified_seven_working_days_before_it():
    # 8, 9, 10, 11, 12 (make-up Saturday), 14, 15 October.
    assert clocks.last_day(date(2024, 9, 30), 7, working=True) == date(2024, 10, 15)


def test_an_extension_moves_the_decision_clock_by_calendar_days():
    clock = clocks.clock("decision", at(date(2024, 7, 5)), extra=30)

    # 120 days end on Saturday 2 November: the period runs to Monday 4 November.
    assert clock.due_at == at(date(2024, 11, 5), 0)


def test_warning_levels_of_a_running_and_of_a_finished_clock():
    running = clocks.clock("service", at(date(2024, 9, 26)))
    met = clocks.clock("service", at(date(2024, 9, 26)), done_at=at(date(2024, 10, 11), 17))
    late = clocks.clock("service", at(date(2024, 9, 26)), done_at=at(date(2024, 10, 12), 9))

    assert [
        running.level(at(date(2024, 10, 10), 11, 47)),
        running.level(at(date(2024, 10, 10), 11, 48)),
        running.level(at(date(2024, 10, 11), 17, 30)),
        running.level(at(date(2024, 10, 11), 17, 31)),
        met.level(at(date(2024, 12, 1))),
        late.level(at(date(2024, 12, 1))),
    ] == ["none", "yellow", "yellow", "red", "met", "late"]


@override_settings(ENFORCEMENT_CASE_CLOCKS={"filing": (10, True), "payment": (30, False)})
def test_the_clocks_are_configurable():
    assert (
        clocks.clock("filing", at(date(2024, 9, 27))).due_at,
        clocks.clock("payment", at(date(2024, 9, 20))).due_at,
        clocks.clock("service", at(date(2024, 9, 26))).due_at,
    ) == (
        at(date(2024, 10, 16), 17, 30),
        at(date(2024, 10, 22), 0),  # 30 days end on Sunday 20 October: Monday 21 counts
        at(date(2024, 10, 11), 17, 30),
    )


@pytest.mark.parametrize(
    ("fine", "paid_on", "surcharge"),
    [
        ("1000", date(2024, 10, 8), "0.00"),  # on the last day: nothing
        ("1000", date(2024, 10, 1), "0.00"),  # early: nothing
        ("1000", date(2024, 10, 9), "30.00"),  # one day late: 3 %
        ("1000", date(2024, 10, 10), "60.00"),
        ("1000", date(2024, 11, 10), "990.00"),  # 33 days
        ("1000", date(2024, 11, 11), "1000.00"),  # 34 days: 1,020 capped at the fine
        ("1000", date(2025, 10, 8), "1000.00"),
        ("333.33", date(2024, 10, 9), "10.00"),  # 9.9999 rounded to the fen
        ("200", date(2024, 10, 15), "42.00"),  # 7 days
    ],
)
def test_the_late_surcharge(fine, paid_on, surcharge):
    assert clocks.late_surcharge(Decimal(fine), date(2024, 10, 8), paid_on) == Decimal(surcharge)


@pytest.mark.parametrize(
    ("occurred_on", "grave", "ends"),
    [
        (date(2022, 10, 8), False, date(2024, 10, 8)),
        (date(2022, 10, 8), True, date(2027, 10, 8)),
        (date(2024, 2, 29), False, date(2026, 2, 28)),
        (date(2024, 2, 29), True, date(2029, 2, 28)),
    ],
)
def test_the_limitation(occurred_on, grave, ends):
    assert clocks.limitation_ends(occurred_on, grave) == ends
