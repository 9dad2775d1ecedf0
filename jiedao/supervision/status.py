"""A task's status, derived and never typed in.

The rules, applied in this order on a given day ``as_of`` (a date in Asia/Shanghai):

1. **Progress** is measured from the reports of the periods that have begun by ``as_of``:

   * a task with quantitative targets: for each target the latest value reached, as a share of
     the target (capped at 1; a maximum target "≤ N" counts 1 when the value is within it), and
     the mean of these shares — a target nobody reported on counts 0;
   * otherwise, or when no value was ever reported: the lead unit's latest "percent complete";
   * otherwise progress is unknown (reports of text only).

2. **done** — progress is 1 (every target reached, or 100 % reported).
3. **overdue** — ``as_of`` is after the task's deadline and it is not done.
4. **not started** — no report yet.
5. With a measured progress: **behind schedule** when it is below the elapsed share of the
   task's time (序时进度: days from 1 January to ``as_of``, both included, over the days from
   1 January to the deadline), else **on schedule**.
6. With text only: **on schedule** when the lead unit reported for the last period that has
   closed or a later one (or no period has closed yet), else **behind schedule** — a missing report for a
   closed period means nobody can tell that the task is moving.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskStatus(models.TextChoices):
    DONE = "done", _("Done")
    ON_SCHEDULE = "on_schedule", _("On schedule")
    BEHIND = "behind", _("Behind schedule")
    NOT_STARTED = "not_started", _("Not started")
    OVERDUE = "overdue", _("Overdue")


@dataclass(frozen=True)
class TargetFacts:
    id: int
    quantity: Decimal
    comparator: str


@dataclass(frozen=True)
class ReportFacts:
    period_number: int
    percent_complete: int | None = None
    values: dict[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class PeriodFacts:
    number: int
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class StatusResult:
    status: TaskStatus
    progress: float | None
    expected: float

    @property
    def progress_percent(self) -> int | None:
        return None if self.progress is None else round(self.progress * 100)

    @property
    def expected_percent(self) -> int:
        return round(self.expected * 100)


def elapsed_share(*, year_start: date, deadline: date, as_of: date) -> float:
    """The share of the task's time that has passed by the end of ``as_of``."""
    total = (deadline - year_start).days + 1
    passed = (as_of - year_start).days + 1
    return min(max(passed / total, 0.0), 1.0) if total > 0 else 1.0


def _target_share(target: TargetFacts, value: Decimal) -> float:
    if target.comparator == "<=":
        return 1.0 if value <= target.quantity else 0.0
    if target.quantity <= 0:
        return 1.0
    return min(float(value / target.quantity), 1.0)


def measured_progress(
    targets: Sequence[TargetFacts], reports: Sequence[ReportFacts]
) -> float | None:
    """Progress from target values, else from the latest percent; None when only text."""
    ordered = sorted(reports, key=lambda report: report.period_number)
    if targets:
        latest: dict[int, Decimal] = {}
        for report in ordered:
            latest.update(report.values)
        if any(target.id in latest for target in targets):
            shares = [
                _target_share(target, latest[target.id]) if target.id in latest else 0.0
                for target in targets
            ]
            return sum(shares) / len(shares)
    percents = [
        report.percent_complete for report in ordered if report.percent_complete is not None
    ]
    if percents:
        return min(percents[-1], 100) / 100
    return None


def derive_status(
    *,
    year_start: date,
    deadline: date,
    periods: Sequence[PeriodFacts],
    targets: Sequence[TargetFacts],
    reports: Sequence[ReportFacts],
    as_of: date,
) -> StatusResult:
    """The task's status on ``as_of`` (see the module's docstring for the rules)."""
    started = {period.number for period in periods if period.starts_on <= as_of}
    counted = [report for report in reports if report.period_number in started]
    progress = measured_progress(targets, counted)
    expected = elapsed_share(year_start=year_start, deadline=deadline, as_of=as_of)
    if progress is not None and progress >= 1:
        return StatusResult(TaskStatus.DONE, progress, expected)
    if as_of > deadline:
        return StatusResult(TaskStatus.OVERDUE, progress, expected)
    if not counted:
        return StatusResult(TaskStatus.NOT_STARTED, progress, expected)
    if progress is not None:
        status = TaskStatus.BEHIND if progress < expected else TaskStatus.ON_SCHEDULE
        return StatusResult(status, progress, expected)
    closed = [period for period in periods if period.ends_on < as_of]
    if not closed:
        return StatusResult(TaskStatus.ON_SCHEDULE, progress, expected)
    last_closed = max(closed, key=lambda period: period.number)
    reported = any(report.period_number >= last_closed.number for report in counted)
    return StatusResult(
        TaskStatus.ON_SCHEDULE if reported else TaskStatus.BEHIND, progress, expected
    )
