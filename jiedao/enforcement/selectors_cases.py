"""Reads of penalty cases, narrowed to the user's scope: the officer's list with its clocks (a
constant number of statements), one case's file (its timeline and every clock), the counts of
the home card and the moves a user may take."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from jiedao.accounts.permissions import SYSTEM, can, get_in_scope, require, scoped

from . import clocks
from .models import Case, CaseNotification, CaseStep
from .workflow_cases import CASE_TRANSITIONS, OPEN_STATUSES, case_actions

LEVELS = ("yellow", "red")


def case_list(
    *, user: Any, status: str = "", level: str = "", open_only: bool = True
) -> QuerySet[Case]:
    """The cases in the user's scope, the most urgent clock first; ``level`` keeps those whose
    running clock is yellow or red now."""
    require(user, "enforcement.case_view")
    cases = scoped(user, Case.objects.select_related("target", "department"))
    if status:
        cases = cases.filter(status=status)
    elif open_only:
        cases = cases.filter(status__in=OPEN_STATUSES)
    if level in LEVELS:
        cases = cases.filter(clocks.level_q(level, timezone.now()))
    return cases.order_by("clock_due_at", "-lead_at", "pk")


def case_get(*, user: Any, case_id: int) -> Case:
    require(user, "enforcement.case_view")
    return get_in_scope(
        user,
        Case.objects.select_related("target", "department", "event", "rectification__inspection"),
        pk=case_id,
    )


def case_steps(case: Case) -> list[CaseStep]:
    return list(case.steps.select_related("actor").order_by("at", "pk"))


@dataclass(frozen=True)
class ClockView:
    name: str
    label: Any
    due_at: datetime
    done_at: datetime | None
    level: str


def case_clock_views(case: Case, now: datetime | None = None) -> list[ClockView]:
    moment = now or timezone.now()
    return [
        ClockView(c.name, c.label, c.due_at, c.done_at, c.level(moment))
        for c in clocks.case_clocks(case)
    ]


def case_moves(user: Any, case: Case) -> list[str]:
    """The moves of the table from the case's status that the user's role may take."""
    if not can(user, "enforcement.case_view"):
        return []
    role = getattr(user, "role", None)
    return [
        action
        for action in case_actions(case.status)
        if user is SYSTEM or role in CASE_TRANSITIONS[(case.status, action)].roles
    ]


def case_clock_counts(*, user: Any) -> dict[str, int]:
    """Open cases whose running clock is yellow (due soon) or red (late): one statement."""
    now = timezone.now()
    return scoped(user, Case.objects.filter(status__in=OPEN_STATUSES)).aggregate(
        open=Count("pk"),
        due=Count("pk", filter=clocks.level_q("yellow", now)),
        late=Count("pk", filter=clocks.level_q("red", now)),
    )


def case_level(case: Case, now: datetime | None = None) -> str:
    return clocks.case_level(case, now or timezone.now())


def case_notification_list(
    *, user: Any, unread_only: bool = False, limit: int = 50
) -> list[CaseNotification]:
    """The user's own case notifications, newest first, each with its case (one statement)."""
    require(user, "enforcement.view")
    notifications = scoped(user, CaseNotification.objects.select_related("case"))
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return list(notifications.order_by("-created_at", "-pk")[:limit])


def event_cases(*, user: Any, event: Any) -> list[Case]:
    """The cases opened from one event that the user sees (none for those who may not see
    cases), oldest first: one statement."""
    if not can(user, "enforcement.case_view"):
        return []
    return list(
        scoped(user, Case.objects.filter(event_id=event.pk).select_related("department")).order_by(
            "lead_at", "pk"
        )
    )
