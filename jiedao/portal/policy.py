"""Who may moderate the residents' portal, and which moderation records each scope shows
(registered by ``PortalConfig``). What a follow code allows is the events workflow's: its holder
counts as the event's reporter (see :mod:`jiedao.events.policy`)."""

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import Level, ScopeRules

ACTIONS: dict[str, frozenset[str]] = {
    # Dispatchers and administrators hide reports from public outputs.
    "portal.moderate": frozenset({Role.DISPATCHER, Role.ADMINISTRATOR}),
}

SCOPES: dict[str, ScopeRules] = {
    "portal.publicvisibility": {Level.SUBDISTRICT: ("event__subdistrict", "subdistrict_id")},
}
