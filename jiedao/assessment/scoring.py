"""Counting a month of the members' work records: one aggregate query per kind of record.

Every measure of :mod:`jiedao.assessment.measures` is defined here once, as the set of records
behind it (:func:`records`); the team's counts (:func:`member_counts`) group the same sets by
member. Whatever the number of members and records, counting a month is five statements.

Who a record belongs to:

* **events** — the step's actor: a report back (处置反馈) or an on-the-spot resolution by the
  member is an event handled; on time when it came no later than the event's handling deadline
  (an event without a deadline, and a resolution on the spot, are on time). The deadline is the
  one the event has now, extensions included; reopening an event starts a new one, so close the
  month (which stores the counts) once its ratings and reopenings are in. A return (退回) is
  the returning member's. A failed verification (返工), a reopening (重办) and a rating belong to
  the member who made the latest report back of that event before them — the one whose work was
  judged. Each counts in the month the step happened (local time, Asia/Shanghai).
  The demo's back-dated history is recorded by the system (no person), so it counts for nobody.
* **enforcement** — inspections the member completed, rectification items the member re-checked.
* **supervision** — key-task progress reports the member filed.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from jiedao.core.localtime import local_days
from jiedao.enforcement.models import Inspection, Rectification
from jiedao.enforcement.workflow import InspectionStatus, RectificationStatus
from jiedao.events.models import Event, EventStep
from jiedao.events.workflow import Action
from jiedao.supervision.models import ProgressReport

from .measures import MEASURE_KEYS

HANDLING_ACTIONS = (Action.REPORT_BACK, Action.SELF_RESOLVE)
JUDGING_ACTIONS = (Action.VERIFY_FAIL, Action.REOPEN, Action.RATE)
ON_TIME = (
    Q(action=Action.SELF_RESOLVE)
    | Q(event__handle_due_at__isnull=True)
    | Q(created_at__lte=F("event__handle_due_at"))
)
REWORK = Q(action__in=[Action.VERIFY_FAIL, Action.REOPEN])
SATISFIED = Q(action=Action.RATE, data__satisfaction__gte=4)
DISSATISFIED = Q(action=Action.RATE, data__satisfaction__lte=2)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[start, end) of the local calendar month that starts on ``month``."""
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    start, _end = local_days(month, month)
    end, _after = local_days(following, following)
    return start, end


def _steps(start: datetime, end: datetime) -> QuerySet[EventStep]:
    return EventStep.objects.filter(created_at__gte=start, created_at__lt=end).order_by()


def judged_steps(subdistrict_ids: Iterable[int], start: datetime, end: datetime) -> QuerySet:
    """The month's verifications failed, reopenings and ratings, each with ``handler``: the
    actor of the latest report back of its event before it."""
    latest_report_back = (
        EventStep.objects.filter(
            event_id=OuterRef("event_id"),
            action=Action.REPORT_BACK,
            created_at__lte=OuterRef("created_at"),
        )
        .order_by("-created_at", "-id")
        .values("actor_id")[:1]
    )
    return (
        _steps(start, end)
        .filter(action__in=JUDGING_ACTIONS, event__subdistrict_id__in=list(subdistrict_ids))
        .annotate(handler=Subquery(latest_report_back))
    )


def step_records(
    measure: str, member_id: int, subdistrict_id: int, start: datetime, end: datetime
) -> QuerySet[EventStep]:
    """The event steps behind one member's count of an events measure."""
    if measure in ("handled", "on_time"):
        steps = _steps(start, end).filter(actor_id=member_id, action__in=HANDLING_ACTIONS)
        return steps.filter(ON_TIME) if measure == "on_time" else steps
    if measure == "returned":
        return _steps(start, end).filter(actor_id=member_id, action=Action.RETURN)
    condition = {"reworked": REWORK, "satisfied": SATISFIED, "dissatisfied": DISSATISFIED}[measure]
    return judged_steps([subdistrict_id], start, end).filter(condition, handler=member_id)


def records(
    measure: str, member_id: int, subdistrict_id: int, start: datetime, end: datetime
) -> QuerySet[Any]:
    """The records behind one member's count of ``measure`` in [start, end): events,
    inspections, rectification items or progress reports (not yet narrowed to a viewer)."""
    if measure in ("handled", "on_time", "returned", "reworked", "satisfied", "dissatisfied"):
        steps = step_records(measure, member_id, subdistrict_id, start, end)
        return Event.objects.filter(pk__in=steps.values("event_id"))
    if measure == "inspections":
        return Inspection.objects.filter(
            completed_by_id=member_id,
            completed_at__gte=start,
            completed_at__lt=end,
            status=InspectionStatus.COMPLETED,
        )
    if measure == "rechecks":
        return Rectification.objects.filter(
            rechecked_by_id=member_id,
            rechecked_at__gte=start,
            rechecked_at__lt=end,
            status__in=[RectificationStatus.CLOSED, RectificationStatus.ESCALATED],
        )
    if measure == "task_reports":
        return ProgressReport.objects.filter(
            reported_by_id=member_id, reported_at__gte=start, reported_at__lt=end
        )
    raise KeyError(measure)


def member_counts(
    member_ids: Iterable[int], subdistrict_ids: Iterable[int], month: date
) -> dict[int, dict[str, int]]:
    """member id → measure → count for the local month starting on ``month``. Five statements,
    whatever the number of members and records."""
    ids = sorted(set(member_ids))
    counts: dict[int, dict[str, int]] = {member: dict.fromkeys(MEASURE_KEYS, 0) for member in ids}
    if not ids:
        return counts
    start, end = month_bounds(month)
    own_steps = (
        _steps(start, end)
        .filter(actor_id__in=ids, action__in=[*HANDLING_ACTIONS, Action.RETURN])
        .values("actor_id")
        .annotate(
            handled=Count("event_id", distinct=True, filter=Q(action__in=HANDLING_ACTIONS)),
            on_time=Count(
                "event_id", distinct=True, filter=Q(action__in=HANDLING_ACTIONS) & ON_TIME
            ),
            returned=Count("pk", filter=Q(action=Action.RETURN)),
        )
    )
    for row in own_steps:
        counts[row["actor_id"]].update(
            handled=row["handled"], on_time=row["on_time"], returned=row["returned"]
        )
    judged = (
        judged_steps(subdistrict_ids, start, end)
        .filter(handler__in=ids)
        .values("handler")
        .annotate(
            reworked=Count("pk", filter=REWORK),
            satisfied=Count("pk", filter=SATISFIED),
            dissatisfied=Count("pk", filter=DISSATISFIED),
        )
    )
    for row in judged:
        counts[row["handler"]].update(
            reworked=row["reworked"],
            satisfied=row["satisfied"],
            dissatisfied=row["dissatisfied"],
        )
    for measure, queryset, field in (
        (
            "inspections",
            Inspection.objects.filter(
                completed_at__gte=start, completed_at__lt=end, status=InspectionStatus.COMPLETED
            ),
            "completed_by_id",
        ),
        (
            "rechecks",
            Rectification.objects.filter(
                rechecked_at__gte=start,
                rechecked_at__lt=end,
                status__in=[RectificationStatus.CLOSED, RectificationStatus.ESCALATED],
            ),
            "rechecked_by_id",
        ),
        (
            "task_reports",
            ProgressReport.objects.filter(reported_at__gte=start, reported_at__lt=end),
            "reported_by_id",
        ),
    ):
        grouped = (
            queryset.filter(**{f"{field}__in": ids})
            .order_by()
            .values(field)
            .annotate(number=Count("pk"))
        )
        for row in grouped:
            counts[row[field]][measure] = row["number"]
    return counts
