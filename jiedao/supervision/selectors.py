"""Reads of key-task supervision, already narrowed to the user's scope, with derived status."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import get_in_scope, require, scoped
from jiedao.core.errors import InvalidInput
from jiedao.core.localtime import local_today
from jiedao.geo.models import Department

from .models import Attachment, Comment, Period, Plan, ProgressReport, Reminder, Target, Task
from .periods import period_number_on

# Moved to policy.py; still importable from here for callers that have not moved.
from .policy import can_report, require_manage  # noqa: F401
from .status import (
    PeriodFacts,
    ReportFacts,
    StatusResult,
    TargetFacts,
    TaskStatus,
    derive_status,
)


@dataclass
class TaskRow:
    """A task with its status on a day and the report of the period shown."""

    task: Task
    status: StatusResult
    reports: list[ProgressReport]
    period_report: ProgressReport | None = None


@dataclass
class TargetProgress:
    target: Target
    value: Decimal | None


@dataclass
class TimelineEntry:
    kind: str  # "report" or "comment"
    at: datetime
    period: Period | None
    report: ProgressReport | None = None
    comment: Comment | None = None


@dataclass
class TaskDetail:
    task: Task
    status: StatusResult
    as_of: date
    periods: list[Period]
    targets: list[TargetProgress]
    timeline: list[TimelineEntry] = field(default_factory=list)


def require_export(user: Any) -> None:
    require(user, "supervision.export")


def report_get(*, user: Any, report_id: int) -> ProgressReport:
    require(user, "supervision.view")
    return get_in_scope(
        user, ProgressReport.objects.select_related("task__plan", "period"), pk=report_id
    )


def plan_list(*, user: Any) -> QuerySet[Plan]:
    require(user, "supervision.view")
    return scoped(user, Plan.objects.all())


def plan_get(*, user: Any, plan_id: int) -> Plan:
    require(user, "supervision.view")
    return get_in_scope(user, Plan.objects.select_related("subdistrict"), pk=plan_id)


def period_list(plan: Plan) -> list[Period]:
    return list(plan.periods.select_related("plan").order_by("number"))


def default_period(plan: Plan, periods: list[Period], today: date | None = None) -> Period:
    """The period a page shows first: the current one during the plan's year; after it, the
    latest period anyone reported for (or the last); before it, the first."""
    today = today or local_today()
    if today.year == plan.year:
        number = period_number_on(plan.period_kind, today)
        return next(period for period in periods if period.number == number)
    if today.year < plan.year:
        return periods[0]
    reported = set(
        ProgressReport.objects.filter(task__plan=plan).values_list("period__number", flat=True)
    )
    with_reports = [period for period in periods if period.number in reported]
    return with_reports[-1] if with_reports else periods[-1]


def as_of_for(period: Period, today: date | None = None) -> date:
    """Status is shown at the end of the period, or today while the period runs."""
    today = today or local_today()
    return min(today, period.ends_on)


def _period_facts(periods: list[Period]) -> list[PeriodFacts]:
    return [PeriodFacts(p.number, p.starts_on, p.ends_on) for p in periods]


def task_status(
    task: Task, *, periods: list[Period], reports: list[ProgressReport], as_of: date
) -> StatusResult:
    """The derived status of a task whose targets and reports' values are prefetched."""
    targets = [TargetFacts(t.pk, t.quantity, t.comparator) for t in task.targets.all()]
    numbers = {period.pk: period.number for period in periods}
    facts = [
        ReportFacts(
            period_number=numbers[report.period_id],
            percent_complete=report.percent_complete,
            values={value.target_id: value.value for value in report.values.all()},
        )
        for report in reports
    ]
    return derive_status(
        year_start=date(task.plan.year, 1, 1),
        deadline=task.deadline,
        periods=_period_facts(periods),
        targets=targets,
        reports=facts,
        as_of=as_of,
    )


def _tasks_with_reports(user: Any) -> QuerySet[Task]:
    return (
        scoped(user, Task.objects.all())
        .select_related("plan", "section", "lead_unit")
        .prefetch_related(
            "targets",
            Prefetch(
                "reports",
                queryset=ProgressReport.objects.select_related("period", "reported_by")
                .prefetch_related("values", "attachments")
                .order_by("period__number", "reported_at", "pk"),
            ),
        )
    )


def task_rows(
    *,
    user: Any,
    plan: Plan,
    as_of: date,
    period: Period | None = None,
    status: str = "",
    section_id: int | None = None,
    lead_unit_id: int | None = None,
) -> list[TaskRow]:
    """The plan's tasks the user may see, with their status on ``as_of``; filters narrow them."""
    require(user, "supervision.view")
    periods = period_list(plan)
    tasks = _tasks_with_reports(user).filter(plan=plan).order_by("sequence")
    if section_id:
        tasks = tasks.filter(section_id=section_id)
    if lead_unit_id:
        tasks = tasks.filter(lead_unit_id=lead_unit_id)
    rows = []
    for task in tasks:
        reports = list(task.reports.all())
        in_period = [r for r in reports if period is not None and r.period_id == period.pk]
        row = TaskRow(
            task=task,
            status=task_status(task, periods=periods, reports=reports, as_of=as_of),
            reports=reports,
            period_report=in_period[-1] if in_period else None,
        )
        if status and row.status.status != status:
            continue
        rows.append(row)
    return rows


def status_counts(rows: list[TaskRow]) -> list[tuple[str, str, int]]:
    """(status, label, number of tasks) for every status, in a fixed order."""
    return [
        (status.value, str(status.label), sum(1 for row in rows if row.status.status == status))
        for status in TaskStatus
    ]


def task_get(*, user: Any, task_id: int) -> Task:
    require(user, "supervision.view")
    return get_in_scope(
        user, Task.objects.select_related("plan", "section", "lead_unit"), pk=task_id
    )


def task_detail(*, user: Any, task_id: int, today: date | None = None) -> TaskDetail:
    """A task with its targets, status and the timeline of reports and comments."""
    require(user, "supervision.view")
    task = get_in_scope(user, _tasks_with_reports(user), pk=task_id)
    periods = period_list(task.plan)
    as_of = as_of_for(default_period(task.plan, periods, today), today)
    reports = list(task.reports.all())
    latest: dict[int, Decimal] = {}
    for report in reports:
        latest.update({value.target_id: value.value for value in report.values.all()})
    timeline = [
        TimelineEntry("report", report.reported_at, report.period, report=report)
        for report in reports
    ]
    timeline += [
        TimelineEntry("comment", comment.created_at, comment.period, comment=comment)
        for comment in task.comments.select_related("author", "period__plan")
    ]
    timeline.sort(key=lambda entry: (entry.period.number if entry.period else 99, entry.at))
    return TaskDetail(
        task=task,
        status=task_status(task, periods=periods, reports=reports, as_of=as_of),
        as_of=as_of,
        periods=periods,
        targets=[TargetProgress(t, latest.get(t.pk)) for t in task.targets.all()],
        timeline=timeline,
    )


def period_get(*, plan: Plan, number: int) -> Period:
    return plan.periods.select_related("plan").get(number=number)


def behind_schedule(*, user: Any, today: date | None = None) -> list[tuple[Plan, Period, TaskRow]]:
    """Tasks behind schedule or overdue in every plan the user sees, each plan at its default
    period (the supervisor's list)."""
    require(user, "supervision.view")
    found = []
    for plan in plan_list(user=user):
        periods = period_list(plan)
        period = default_period(plan, periods, today)
        for row in task_rows(user=user, plan=plan, as_of=as_of_for(period, today), period=period):
            if row.status.status in (TaskStatus.BEHIND, TaskStatus.OVERDUE):
                found.append((plan, period, row))
    return found


def reminder_list(*, user: Any) -> QuerySet[Reminder]:
    """Open reminders (no report filed since) for the tasks the user may see."""
    require(user, "supervision.view")
    reminders = scoped(user, Reminder.objects.all()).select_related(
        "task__plan", "period__plan", "department"
    )
    return reminders.order_by("due_on", "task__sequence")


def attachment_get(*, user: Any, attachment_id: int) -> Attachment:
    require(user, "supervision.view")
    return get_in_scope(user, Attachment.objects.select_related("report"), pk=attachment_id)


def reportable_periods(periods: list[Period], today: date | None = None) -> list[Period]:
    today = today or local_today()
    return [period for period in periods if period.starts_on <= today]


def lead_unit_choices(*, task: Task) -> QuerySet[Department]:
    """The departments that may lead ``task``: the active ones of its plan's subdistrict."""
    return Department.objects.filter(
        subdistrict_id=task.plan.subdistrict_id, is_active=True
    ).order_by("code")


def lead_unit_department(*, user: Any, task: Task, code: str | None) -> Department | None:
    """The department ``code`` names as ``task``'s lead unit, for the page and the API alike:
    None for no code (the task then has no lead unit); a code that is not a department of the
    task's subdistrict (unknown, or another subdistrict's) is a 422 naming the field."""
    require(user, "supervision.manage")
    code = (code or "").strip()
    if not code:
        return None
    department = Department.objects.filter(
        subdistrict_id=task.plan.subdistrict_id, code=code
    ).first()
    if department is None:
        raise InvalidInput(
            _(
                "Lead unit: “%(code)s” is not a department of this subdistrict; choose one "
                "from the list."
            )
            % {"code": code},
            code="unknown_department",
            field="department_code",
        )
    return department
