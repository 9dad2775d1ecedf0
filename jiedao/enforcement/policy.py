"""Who may do what in enforcement (registered by ``EnforcementConfig``).

Enforcement officers run it: targets, actions, inspections, findings and re-checks. Department
handlers fill their own department's part of the inspections they join. Supervisors and leaders
read everything and alone may override the repeat-inspection guard; dispatchers read.

The legal review (法制审核) of a case is done by a designated legal reviewer (``LegalReviewer``):
an enforcement officer or a leader whom an administrator or a leader designated, who did not
handle the case themself (separation of duties). ``can_review`` is the rule for one case and
``reviewable_q`` the same rule as a filter; both are built on ``handled_q``.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import SYSTEM, Level, ScopeRules, can

from .models import Case, CaseStep, Inspection, LegalReviewer
from .workflow_cases import LEGAL_REVIEW, CaseStatus

READERS = frozenset(
    {
        Role.ENFORCEMENT_OFFICER,
        Role.DEPARTMENT_HANDLER,
        Role.SUPERVISOR,
        Role.DISPATCHER,
        Role.ADMINISTRATOR,
    }
)
OFFICERS = frozenset({Role.ENFORCEMENT_OFFICER})

ACTIONS: dict[str, frozenset[str]] = {
    "enforcement.view": READERS,
    "enforcement.target_manage": frozenset({Role.ENFORCEMENT_OFFICER, Role.ADMINISTRATOR}),
    "enforcement.catalogue_manage": frozenset({Role.ENFORCEMENT_OFFICER, Role.ADMINISTRATOR}),
    "enforcement.plan": OFFICERS,
    "enforcement.check": frozenset({Role.ENFORCEMENT_OFFICER, Role.DEPARTMENT_HANDLER}),
    "enforcement.rectify": OFFICERS,
    "enforcement.override": frozenset({Role.SUPERVISOR}),
    # Cases: officers run them; the office's leaders do the legal review (法制审核) and approve
    # extensions (the table in workflow_cases says which step is whose).
    "enforcement.case_view": frozenset(
        {Role.ENFORCEMENT_OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR}
    ),
    "enforcement.case_manage": OFFICERS,
    # 双公示: the handling department's officers publish a decision, as may the office's
    # supervisors, who alone withdraw a publication.
    "enforcement.disclosure_publish": frozenset({Role.ENFORCEMENT_OFFICER, Role.SUPERVISOR}),
    "enforcement.disclosure_withdraw": frozenset({Role.SUPERVISOR}),
    # Whoever may see a case may download its documents (the first download issues a number).
    "enforcement.case_document": frozenset(
        {Role.ENFORCEMENT_OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR}
    ),
    # The roles that may hold a designation as legal reviewer and, holding one, do the legal
    # review of the cases they did not handle (can_review).
    "enforcement.case_review": frozenset({Role.ENFORCEMENT_OFFICER, Role.SUPERVISOR}),
    # Designating and withdrawing legal reviewers.
    "enforcement.reviewer_manage": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR}),
}

_SUBDISTRICT: ScopeRules = {
    Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
    Level.DEPARTMENT: ("subdistrict", "subdistrict_id"),
}
_INSPECTION = "inspection__"

SCOPES: dict[str, ScopeRules] = {
    # A department's officers see their department's cases; the office sees them all.
    "enforcement.case": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("department", "department_id"),
    },
    "enforcement.casestep": {
        Level.SUBDISTRICT: ("case__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("case__department", "department_id"),
    },
    "enforcement.disclosure": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("department", "department_id"),
    },
    # The office sees every designation; an officer those of the own department.
    "enforcement.legalreviewer": {
        Level.SUBDISTRICT: ("user__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("user__department", "department_id"),
    },
    "enforcement.target": _SUBDISTRICT,
    "enforcement.inspectionmatter": _SUBDISTRICT,
    "enforcement.guardrule": _SUBDISTRICT,
    "enforcement.action": _SUBDISTRICT,
    # A department sees the inspections it leads or joins; the office sees them all.
    "enforcement.inspection": {
        Level.SUBDISTRICT: ("action__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: [
            ("lead_department", "department_id"),
            ("joining_departments", "department_id"),
        ],
    },
    "enforcement.checklistitem": {
        Level.SUBDISTRICT: (_INSPECTION + "action__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: [
            (_INSPECTION + "lead_department", "department_id"),
            (_INSPECTION + "joining_departments", "department_id"),
        ],
    },
    "enforcement.rectification": {
        Level.SUBDISTRICT: (_INSPECTION + "action__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: [
            (_INSPECTION + "lead_department", "department_id"),
            (_INSPECTION + "joining_departments", "department_id"),
        ],
    },
    # A photo is seen by whoever sees its inspection.
    "enforcement.inspectionphoto": {
        Level.SUBDISTRICT: (_INSPECTION + "action__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: [
            (_INSPECTION + "lead_department", "department_id"),
            (_INSPECTION + "joining_departments", "department_id"),
        ],
    },
}


def takes_part(user: Any, inspection: Inspection, joining_ids: set[int]) -> bool:
    """Whether the user's department leads or joins the inspection."""
    department_id = getattr(user, "department_id", None)
    return department_id is not None and (
        department_id == inspection.lead_department_id or department_id in joining_ids
    )


def can_check(user: Any, inspection: Inspection, department_id: int, joining_ids: set[int]) -> bool:
    """Whether the user may record the result of an item of ``department_id``'s checklist: the
    lead department's officers record every item, a joining department its own."""
    if not can(user, "enforcement.check") or not takes_part(user, inspection, joining_ids):
        return False
    own = getattr(user, "department_id", None)
    return own == inspection.lead_department_id or own == department_id


# The steps whose actor handled the case (opened, filed or investigated it): they may not also
# review it. The case's creator counts too (``created_by``).
HANDLER_STEPS = ("open", "file", "submit_review")


def handled_q(user: Any) -> Q:
    """The cases ``user`` handled, as a filter on cases; none for the installation."""
    user_id = getattr(user, "pk", None)
    if user is SYSTEM or user_id is None:
        return Q(pk__in=[])
    steps = CaseStep.objects.filter(actor_id=user_id, action__in=HANDLER_STEPS)
    return Q(created_by_id=user_id) | Q(pk__in=steps.values("case_id"))


def is_legal_reviewer(user: Any) -> bool:
    """Whether the user holds an active designation and a role that may use it."""
    if user is SYSTEM:
        return True
    if not can(user, "enforcement.case_review"):
        return False
    return LegalReviewer.objects.filter(user_id=user.pk, withdrawn_at__isnull=True).exists()


def review_refusal(user: Any, case: Case) -> Promise | None:
    """Why ``user`` may not do the legal review of ``case``; None when they may."""
    if user is SYSTEM:
        return None
    if not is_legal_reviewer(user):
        return _("Only a designated legal reviewer (法制审核人员) may do the legal review.")
    if Case.objects.filter(handled_q(user), pk=case.pk).exists():
        return _(
            "You handled this case: its legal review (法制审核) is done by another legal reviewer."
        )
    return None


def can_review(user: Any, case: Case) -> bool:
    """Whether ``user`` may do the legal review of ``case``."""
    return review_refusal(user, case) is None


def waiting_q(user: Any) -> Q:
    """The cases in review that ``user`` did not handle, as a filter on cases; the designation
    is the caller's to check (``is_legal_reviewer``)."""
    return Q(status=CaseStatus.REVIEW) & ~handled_q(user)


def reviewable_q(user: Any) -> Q:
    """The cases waiting for ``user``'s legal review, as a filter on cases (the user's scope is
    the selector's): in review and not handled by them; none without a designation."""
    if not is_legal_reviewer(user):
        return Q(pk__in=[])
    return waiting_q(user)


# The guards the case table names (Transition.guard) → why (user, case) fails it, or None.
GUARDS: dict[str, Callable[[Any, Case], Promise | None]] = {LEGAL_REVIEW: review_refusal}


def guard_refusal(guard: str, user: Any, case: Case) -> Promise | None:
    """Why ``user`` fails the table's ``guard`` on ``case``; None when they pass (or there is
    no guard)."""
    return GUARDS[guard](user, case) if guard else None
