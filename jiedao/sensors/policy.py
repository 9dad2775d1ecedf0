"""Who may do what with sensors (registered by ``SensorsConfig``).

The command centre's dispatchers and the administrators keep the devices; staff who see events
see the alarms of their area (a grid worker their grid, a community lead their community, a
department the devices it owns) and may acknowledge and clear them there.
"""

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import Level, ScopeRules

VIEWERS = frozenset(
    {
        Role.GRID_WORKER,
        Role.GRID_LEAD,
        Role.DISPATCHER,
        Role.DEPARTMENT_HANDLER,
        Role.ENFORCEMENT_OFFICER,
        Role.SUPERVISOR,
        Role.ADMINISTRATOR,
    }
)
HANDLERS = frozenset(
    {
        Role.GRID_WORKER,
        Role.GRID_LEAD,
        Role.DISPATCHER,
        Role.DEPARTMENT_HANDLER,
        Role.ENFORCEMENT_OFFICER,
        Role.ADMINISTRATOR,
    }
)
KEEPERS = frozenset({Role.DISPATCHER, Role.ADMINISTRATOR})

ACTIONS: dict[str, frozenset[str]] = {
    "sensors.view": VIEWERS,
    "sensors.acknowledge": HANDLERS,
    "sensors.clear": HANDLERS,
    "sensors.manage": KEEPERS,
}


def _area(prefix: str) -> ScopeRules:
    return {
        Level.SUBDISTRICT: (f"{prefix}subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: (f"{prefix}department", "department_id"),
        Level.COMMUNITY: (f"{prefix}grid__community", "community_id"),
        Level.GRID: (f"{prefix}grid", "grid_id"),
    }


SCOPES: dict[str, ScopeRules] = {
    "sensors.device": _area(""),
    "sensors.alarm": _area(""),
    "sensors.message": _area("device__"),
}
