"""Who may issue Open311 API keys, and which keys each scope shows (registered by
``Open311Config``)."""

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import Level, ScopeRules

ACTIONS: dict[str, frozenset[str]] = {
    "open311.manage_keys": frozenset({Role.ADMINISTRATOR}),
}

SCOPES: dict[str, ScopeRules] = {
    "open311.open311apikey": {Level.SUBDISTRICT: ("subdistrict", "subdistrict_id")},
}
