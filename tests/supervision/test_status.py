from datetime import date
from decimal import Decimal

import pytest

from jiedao.supervision.periods import period_bounds
from jiedao.supervision.status import (
    PeriodFacts,
    ReportFacts,
    TargetFacts,
    TaskStatus,
    derive_status,
    elapsed_share,
)

YEAR_START = date(2023, 1, 1)
DEADLINE = date(2023, 12, 31)
QUARTERS = [PeriodFacts(n, *period_bounds("quarter", 2023, n)) for n in range(1, 5)]
TARGETS = [TargetFacts(1, Decimal(40), "="), TargetFacts(2, Decimal(4), ">=")]


def status(as_of, *, reports=(), targets=(), deadline=DEADLINE):
    return derive_status(
        year_start=YEAR_START,
        deadline=deadline,
        periods=QUARTERS,
        targets=list(targets),
        reports=list(reports),
        as_of=as_of,
    )


def test_elapsed_share_counts_both_ends():
    assert (
        elapsed_share(year_start=YEAR_START, deadline=DEADLINE, as_of=date(2023, 1, 1)) == 1 / 365
    )
    assert elapsed_share(year_start=YEAR_START, deadline=DEADLINE, as_of=date(2023, 12, 31)) == 1.0
    assert elapsed_share(year_start=YEAR_START, deadline=DEADLINE, as_of=date(2022, 12, 1)) == 0.0


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2023, 9, 30), TaskStatus.ON_SCHEDULE),  # 75 % ≥ 273/365 = 74.8 %
        (date(2023, 10, 1), TaskStatus.BEHIND),  # 75 % < 274/365 = 75.1 %
    ],
)
def test_percent_complete_against_the_schedule_at_the_end_of_q3(as_of, expected):
    result = status(as_of, reports=[ReportFacts(3, percent_complete=75)])
    assert result.status == expected
    assert result.progress == 0.75


def test_target_values_are_cumulative_and_averaged():
    reports = [
        ReportFacts(1, values={1: Decimal(10)}),
        ReportFacts(2, values={1: Decimal(30), 2: Decimal(2)}),
    ]
    result = status(date(2023, 6, 30), reports=reports, targets=TARGETS)
    assert result.progress == (30 / 40 + 2 / 4) / 2
    assert result.status == TaskStatus.ON_SCHEDULE  # 62.5 % ≥ 181/365 = 49.6 %


def test_target_values_win_over_percent_and_reach_done():
    reports = [ReportFacts(2, percent_complete=10, values={1: Decimal(40), 2: Decimal(5)})]
    result = status(date(2023, 6, 30), reports=reports, targets=TARGETS)
    assert (result.status, result.progress) == (TaskStatus.DONE, 1.0)


def test_reports_of_periods_not_yet_begun_do_not_count():
    reports = [ReportFacts(4, percent_complete=100)]
    assert status(date(2023, 9, 30), reports=reports).status == TaskStatus.NOT_STARTED
    assert status(date(2023, 10, 1), reports=reports).status == TaskStatus.DONE


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2023, 12, 31), TaskStatus.BEHIND),
        (date(2024, 1, 1), TaskStatus.OVERDUE),
    ],
)
def test_overdue_only_after_the_deadline(as_of, expected):
    assert status(as_of, reports=[ReportFacts(4, percent_complete=90)]).status == expected


def test_no_report_is_not_started_until_the_deadline_passes():
    assert status(date(2023, 12, 31)).status == TaskStatus.NOT_STARTED
    assert status(date(2024, 1, 1)).status == TaskStatus.OVERDUE


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2023, 3, 31), TaskStatus.ON_SCHEDULE),  # Q1 still open, reported
        (date(2023, 6, 30), TaskStatus.ON_SCHEDULE),  # Q1 closed and reported, Q2 open
        (date(2023, 7, 1), TaskStatus.BEHIND),  # Q2 closed without a report
    ],
)
def test_text_only_reports_follow_the_closed_periods(as_of, expected):
    assert status(as_of, reports=[ReportFacts(1)]).status == expected


def test_a_maximum_target_counts_when_within_it():
    targets = [TargetFacts(1, Decimal(10), "<=")]
    reports = [ReportFacts(1, values={1: Decimal(8)})]
    assert status(date(2023, 3, 1), reports=reports, targets=targets).status == TaskStatus.DONE
