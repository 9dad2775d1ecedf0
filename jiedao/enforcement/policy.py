"""Who may do what in enforcement (registered by ``EnforcementConfig``).

Enforcement officers run it: targets, actions, inspections, findings and re-checks. Department
handlers fill their own department's part of the inspections they join. Supervisors and leaders
read everything and alone may override the repeat-inspection guard; dispatchers read.
"""

from typing import Any

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import Level, ScopeRules, can

from .models import Inspection

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
    # Everyone reads only their own notifications.
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
