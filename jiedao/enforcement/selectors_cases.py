"""Reads of penalty cases, narrowed to the user's scope: the officer's list with its clocks (a
constant number of statements), one case's file (its timeline and every clock), the counts of
the home card and the moves a user may take."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from jiedao.accounts.permissions import SYSTEM, can, get_in_scope, require, scoped

from . import clocks, policy
from .models import Case, CaseNotice, CaseStep
from .workflow_cases import CASE_TRANSITIONS, OPEN_STATUSES, case_actions

LEVELS = ("yellow", "red")


def case_list(
    *,
    user: Any,
    status: str = "",
    level: str = "",
    open_only: bool = True,
    to_review: bool = False,
) -> QuerySet[Case]:
    """The cases in the user's scope, the most urgent clock first; ``level`` keeps those whose
    running clock is yellow or red now, ``to_review`` those waiting for the user's legal
    review (none unless they are a designated legal reviewer)."""
    require(user, "enforcement.case_view")
    cases = scoped(user, Case.objects.select_related("target", "department"))
    if to_review:
        cases = cases.filter(policy.reviewable_q(user))
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
    """The moves of the table from the case's status that the user's role may take and whose
    guard they pass (the predicate the service asks)."""
    if not can(user, "enforcement.case_view"):
        return []
    role = getattr(user, "role", None)
    moves = []
    for action in case_actions(case.status):
        move = CASE_TRANSITIONS[(case.status, action)]
        if user is not SYSTEM and role not in move.roles:
            continue
        if policy.guard_refusal(move.guard, user, case) is None:
            moves.append(action)
    return moves


def case_review_waiting(*, user: Any) -> int | None:
    """How many cases in the user's scope wait for their legal review; None when they are not
    a designated legal reviewer (two statements)."""
    if not can(user, "enforcement.case_view") or not policy.is_legal_reviewer(user):
        return None
    return scoped(user, Case.objects.filter(policy.waiting_q(user))).count()


def case_notices(*, user: Any, limit: int = 20) -> list[CaseNotice]:
    """The user's unread notices about cases, newest first, with their case (one statement)."""
    if not can(user, "enforcement.case_view"):
        return []
    notices = scoped(user, CaseNotice.objects.filter(read_at__isnull=True))
    return list(notices.select_related("case__target").order_by("-created_at", "-pk")[:limit])


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
