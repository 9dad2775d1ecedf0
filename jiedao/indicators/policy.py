"""Who may do what with indicators (registered by ``IndicatorsConfig``).

Lead departments enter the values of the indicators they are responsible for and see only
those; leaders and administrators read all of the subdistrict's; the supervision office (a
supervisor) uploads narrative reports and confirms or rejects the figures read out of them, which
writes values for any indicator; administrators and supervisors keep the catalogue.
"""

from typing import Any

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import Level, ScopeRules, can

from .models import Indicator

LEAD_DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_HANDLER, Role.ENFORCEMENT_OFFICER})

ACTIONS: dict[str, frozenset[str]] = {
    "indicators.view": frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR, *LEAD_DEPARTMENT_ROLES}),
    "indicators.enter": LEAD_DEPARTMENT_ROLES,
    "indicators.review": frozenset({Role.SUPERVISOR}),
    "indicators.manage": frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
}

SCOPES: dict[str, ScopeRules] = {
    "indicators.indicator": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("department", "department_id"),
    },
    "indicators.value": {
        Level.SUBDISTRICT: ("indicator__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("indicator__department", "department_id"),
    },
    "indicators.report": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
    },
    "indicators.figure": {
        Level.SUBDISTRICT: ("report__subdistrict", "subdistrict_id"),
    },
}


def can_enter(user: Any, indicator: Indicator) -> bool:
    """Whether the user may enter values of this indicator: its lead department's staff."""
    return can(user, "indicators.enter") and indicator.department_id == getattr(
        user, "department_id", None
    )
