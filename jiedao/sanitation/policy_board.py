"""Who may do what with the monthly compound scores and the 红黄黑榜 (registered from
``SanitationConfig.ready`` through :mod:`jiedao.sanitation.board_apps`, under its own owner so
that the sanitation policy and this one stay two declarations).

Everyone who works for the subdistrict reads the month's live ranking and the figures; the
ranking compares every compound of the subdistrict, so it is read subdistrict-wide. The
administrator sets the weights and the list's thresholds; the administrator and the leaders
publish a month's list; the black list's rectification tasks are closed by the compound's
community lead, its managing department's handlers, or the administrator, each in their scope.
The published list itself is public (no login, no personal data).
"""

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import Level, ScopeRules

ACTIONS: dict[str, frozenset[str]] = {
    "sanitation.board_view": frozenset(
        {
            Role.GRID_WORKER,
            Role.GRID_LEAD,
            Role.DISPATCHER,
            Role.DEPARTMENT_HANDLER,
            Role.ENFORCEMENT_OFFICER,
            Role.SUPERVISOR,
            Role.ADMINISTRATOR,
        }
    ),
    "sanitation.board_rules": frozenset({Role.ADMINISTRATOR}),
    "sanitation.board_publish": frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
    "sanitation.board_task": frozenset(
        {Role.GRID_LEAD, Role.DEPARTMENT_HANDLER, Role.ADMINISTRATOR}
    ),
}

_SUBDISTRICT_WIDE = {
    Level.GRID: ("subdistrict", "subdistrict_id"),
    Level.COMMUNITY: ("subdistrict", "subdistrict_id"),
    Level.DEPARTMENT: ("subdistrict", "subdistrict_id"),
    Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
}

SCOPES: dict[str, ScopeRules] = {
    "sanitation.scorerule": _SUBDISTRICT_WIDE,
    "sanitation.listrule": _SUBDISTRICT_WIDE,
    "sanitation.monthlylist": _SUBDISTRICT_WIDE,
    "sanitation.listentry": {
        level: ("monthly_list__subdistrict", "subdistrict_id") for level in _SUBDISTRICT_WIDE
    },
    "sanitation.blacklisttask": {
        Level.GRID: ("compound__grid", "grid_id"),
        Level.COMMUNITY: ("compound__grid__community", "community_id"),
        Level.DEPARTMENT: ("compound__managing_department", "department_id"),
        Level.SUBDISTRICT: ("compound__subdistrict", "subdistrict_id"),
    },
}
