"""Who may do what in waste sorting (registered by ``SanitationConfig``).

The inspectors at the collection points are the people who already walk them: grid workers in
their grid, community leads in their community, and the handlers of the department that manages
a compound's sorting (the 城市综合管理队, ``Compound.managing_department``) in the compounds it
manages. They record drop-offs, inspections and recycling weigh-ins and follow the rectification
items. Grid workers and community leads also register households and units and open their
accounts, and hand out rewards (redemptions happen at the community's exchange point). The
administrator configures the compounds, the points rules, the recycling prices and the rewards.
Dispatchers and leaders read everything in the subdistrict. Residents use the portal: their
account number and its code, no sign-in.
"""

from typing import Any

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import Level, ScopeRules, can

INSPECTORS = frozenset({Role.GRID_WORKER, Role.GRID_LEAD, Role.DEPARTMENT_HANDLER})
COMMUNITY_STAFF = frozenset({Role.GRID_WORKER, Role.GRID_LEAD})

ACTIONS: dict[str, frozenset[str]] = {
    "sanitation.view": frozenset(
        {*INSPECTORS, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMINISTRATOR}
    ),
    # Drop-offs, inspections and their findings, recycling weigh-ins, rectification moves.
    "sanitation.record": INSPECTORS,
    # Households, units and their accounts.
    "sanitation.account_manage": frozenset({*COMMUNITY_STAFF, Role.ADMINISTRATOR}),
    "sanitation.redeem": COMMUNITY_STAFF,
    # Householders' and contacts' names and phones unmasked.
    "sanitation.contact": frozenset({Role.GRID_LEAD, Role.ADMINISTRATOR}),
    # Compounds, collection points, smart bins, points rules, recycling prices, rewards.
    "sanitation.configure": frozenset({Role.ADMINISTRATOR}),
}


def _through(prefix: str) -> ScopeRules:
    """The scope of a row that belongs to a compound reached through ``prefix``."""
    return {
        Level.SUBDISTRICT: (prefix + "subdistrict", "subdistrict_id"),
        Level.COMMUNITY: (prefix + "grid__community", "community_id"),
        Level.GRID: (prefix + "grid", "grid_id"),
        Level.DEPARTMENT: (prefix + "managing_department", "department_id"),
    }


def _by_own_grid(prefix: str) -> ScopeRules:
    """Accounts and units carry their own grid (a unit may lie outside any compound); a
    department sees those in the compounds it manages. ``prefix`` reaches the account."""
    return {
        Level.SUBDISTRICT: (prefix + "subdistrict", "subdistrict_id"),
        Level.COMMUNITY: (prefix + "grid__community", "community_id"),
        Level.GRID: (prefix + "grid", "grid_id"),
        Level.DEPARTMENT: (prefix + "compound__managing_department", "department_id"),
    }


# The catalogue (rules, prices, rewards) is the subdistrict's, read by everyone who works in it.
_CATALOGUE: ScopeRules = {
    level: ("subdistrict", "subdistrict_id")
    for level in (Level.SUBDISTRICT, Level.COMMUNITY, Level.GRID, Level.DEPARTMENT)
}

SCOPES: dict[str, ScopeRules] = {
    "sanitation.compound": _through(""),
    "sanitation.collectionpoint": _through("compound__"),
    "sanitation.household": _through("compound__"),
    "sanitation.smartbin": _through("collection_point__compound__"),
    "sanitation.dropoff": _through("compound__"),
    "sanitation.inspection": _through("compound__"),
    "sanitation.finding": _through("inspection__compound__"),
    "sanitation.rectification": _through("compound__"),
    "sanitation.unit": _by_own_grid(""),
    "sanitation.account": _by_own_grid(""),
    "sanitation.weighin": _by_own_grid("account__"),
    "sanitation.pointsentry": _by_own_grid("account__"),
    "sanitation.recyclingmaterial": _CATALOGUE,
    "sanitation.pointsrule": _CATALOGUE,
    "sanitation.reward": _CATALOGUE,
}


def sees_contact(user: Any) -> bool:
    """Whether the user sees householders' names and phones unmasked."""
    return can(user, "sanitation.contact")
