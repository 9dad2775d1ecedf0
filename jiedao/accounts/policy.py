"""Who may manage accounts, and whose accounts each scope shows (registered by
``AccountsConfig``)."""

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import ALL_ROLES, Level, ScopeRules

ACTIONS: dict[str, frozenset[str]] = {
    "accounts.manage": frozenset({Role.ADMINISTRATOR}),
    "accounts.view_self": ALL_ROLES,
}

SCOPES: dict[str, ScopeRules] = {
    "accounts.user": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("department", "department_id"),
        Level.COMMUNITY: ("community", "community_id"),
        Level.GRID: ("grid", "grid_id"),
    },
}
