"""Reads of penalty cases, narrowed to the user's scope: the officer's list with its clocks (a
constant number of statements), one case's file (its timeline and every clock), the counts of
the home card and the moves a user may take."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jiedao.accounts.permissions import SYSTEM, can, get_in_scope, require, scoped
from jiedao.core.localtime import local_today

from . import clocks, documents, policy
from .models import Case, CaseDocument, CaseStep
from .selectors_disclosure import filter_cases
from .services.disclosure import late_q
from .workflow_cases import CASE_TRANSITIONS, OPEN_STATUSES, DisclosureState, case_actions

LEVELS = ("yellow", "red")
DISCLOSURE_FILTERS = ("pending", "late")


def case_list(
    *,
    user: Any,
    status: str = "",
    level: str = "",
    open_only: bool = True,
    disclosure: str = "",
    to_review: bool = False,
) -> QuerySet[Case]:
    """The cases in the user's scope, the most urgent clock first; ``level`` keeps those whose
    running clock is yellow or red now, ``disclosure`` those whose decision awaits publication
    (``pending``, 待公示) or is late (``late``, 公示超期) — closed cases included — and
    ``to_review`` those waiting for the user's legal review (none unless they are a designated
    legal reviewer)."""
    require(user, "enforcement.case_view")
    cases = scoped(user, Case.objects.select_related("target", "department"))
    if disclosure in DISCLOSURE_FILTERS:
        cases = filter_cases(cases, disclosure)
    if to_review:
        cases = cases.filter(policy.reviewable_q(user))
    if status:
        cases = cases.filter(status=status)
    elif open_only and disclosure not in DISCLOSURE_FILTERS:
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


def case_counts(*, user: Any) -> dict[str, int]:
    """The home card's counts in one statement: open cases with a clock yellow (``due``) or red
    (``late``), and decisions awaiting publication (``disclosure_pending``) or late for it
    (``disclosure_late``, 公示超期)."""
    now = timezone.now()
    today = local_today()
    open_cases = Q(status__in=OPEN_STATUSES)
    return scoped(user, Case.objects.all()).aggregate(
        open=Count("pk", filter=open_cases),
        due=Count("pk", filter=open_cases & clocks.level_q("yellow", now)),
        late=Count("pk", filter=open_cases & clocks.level_q("red", now)),
        disclosure_pending=Count("pk", filter=Q(disclosure=DisclosureState.PENDING)),
        disclosure_late=Count("pk", filter=late_q(today)),
    )


def case_level(case: Case, now: datetime | None = None) -> str:
    return clocks.case_level(case, now or timezone.now())


@dataclass(frozen=True)
class DocumentEntry:
    kind: str
    title: str
    number: str


def case_document_list(*, user: Any, case: Case) -> list[DocumentEntry]:
    """The documents the case's steps allow so far, in the order of the procedure, with the number
    of those already issued (empty until the first download): one statement."""
    if not can(user, "enforcement.case_document"):
        return []
    numbers = dict(CaseDocument.objects.filter(case=case).values_list("kind", "number"))
    return [
        DocumentEntry(kind, documents.content.title(case, kind), numbers.get(kind, ""))
        for kind, allowed in documents.available(case).items()
        if allowed
    ]


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
