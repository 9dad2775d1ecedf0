"""Who may see and change the geography and the organisation (registered by ``GeoConfig``).

Department staff see the geography of their whole subdistrict: they act anywhere in it.
"""

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import STAFF_ROLES, Level, ScopeRules

ACTIONS: dict[str, frozenset[str]] = {
    "geo.view": STAFF_ROLES,
    "geo.manage": frozenset({Role.ADMINISTRATOR}),
}

SCOPES: dict[str, ScopeRules] = {
    "geo.subdistrict": {
        Level.SUBDISTRICT: ("pk", "subdistrict_id"),
        Level.DEPARTMENT: ("pk", "subdistrict_id"),
        Level.COMMUNITY: ("pk", "subdistrict_id"),
        Level.GRID: ("pk", "subdistrict_id"),
    },
    "geo.community": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("pk", "community_id"),
        Level.GRID: ("pk", "community_id"),
    },
    "geo.grid": {
        Level.SUBDISTRICT: ("community__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("community__subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("community", "community_id"),
        Level.GRID: ("pk", "grid_id"),
    },
    "geo.department": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: ("subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("subdistrict", "subdistrict_id"),
        Level.GRID: ("subdistrict", "subdistrict_id"),
    },
}
