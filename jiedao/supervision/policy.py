"""Who may do what in key-task supervision (registered by ``SupervisionConfig``).

Supervisors run it, lead units report, dispatchers and leads read. Department staff see only
the tasks their department leads.
"""

from typing import Any

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import Level, ScopeRules, can, require

from .models import Task

RUNNERS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})

ACTIONS: dict[str, frozenset[str]] = {
    "supervision.view": frozenset(
        {
            Role.SUPERVISOR,
            Role.ADMINISTRATOR,
            Role.DISPATCHER,
            Role.GRID_LEAD,
            Role.DEPARTMENT_HANDLER,
            Role.ENFORCEMENT_OFFICER,
        }
    ),
    "supervision.manage": RUNNERS,
    "supervision.comment": RUNNERS,
    "supervision.export": RUNNERS,
    "supervision.report": frozenset({Role.DEPARTMENT_HANDLER, Role.ENFORCEMENT_OFFICER}),
}

SCOPES: dict[str, ScopeRules] = {
    "supervision.plan": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("subdistrict", "subdistrict_id"),
    },
    "supervision.task": {
        Level.SUBDISTRICT: ("plan__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("lead_unit", "department_id"),
        Level.COMMUNITY: ("plan__subdistrict", "subdistrict_id"),
    },
    "supervision.progressreport": {
        Level.SUBDISTRICT: ("task__plan__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("task__lead_unit", "department_id"),
        Level.COMMUNITY: ("task__plan__subdistrict", "subdistrict_id"),
    },
    "supervision.attachment": {
        Level.SUBDISTRICT: ("report__task__plan__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("report__task__lead_unit", "department_id"),
        Level.COMMUNITY: ("report__task__plan__subdistrict", "subdistrict_id"),
    },
    "supervision.reminder": {
        Level.SUBDISTRICT: ("task__plan__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("department", "department_id"),
        Level.COMMUNITY: ("task__plan__subdistrict", "subdistrict_id"),
    },
}


def require_manage(user: Any) -> None:
    """403 unless the user runs supervision (plans, tasks, imports)."""
    require(user, "supervision.manage")


def can_report(user: Any, task: Task) -> bool:
    """Whether the user may file progress for this task (its lead unit's staff)."""
    return (
        can(user, "supervision.report")
        and task.lead_unit_id is not None
        and task.lead_unit_id == getattr(user, "department_id", None)
    )
