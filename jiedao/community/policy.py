"""Who may do what in the modern community (registered by ``CommunityConfig``).

Community leads run their community's needs list and blow the whistle; grid workers raise needs;
social organisations answer the calls of the communities they serve; the subdistrict's
administrator keeps the fund's ledger; dispatchers and leaders read everything. Needs and calls
are seen by community; the fund belongs to the subdistrict.
"""

from typing import Any

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import Level, ScopeRules, can, scope_of

from .models import Need

ACTIONS: dict[str, frozenset[str]] = {
    "community.view": frozenset(
        {
            Role.GRID_WORKER,
            Role.GRID_LEAD,
            Role.SOCIAL_ORGANISATION,
            Role.DEPARTMENT_HANDLER,
            Role.DISPATCHER,
            Role.SUPERVISOR,
            Role.ADMINISTRATOR,
        }
    ),
    "community.need_raise": frozenset({Role.GRID_WORKER, Role.GRID_LEAD, Role.ADMINISTRATOR}),
    # Assess, match, decline, merge, mark as met: the workflow table names the same roles.
    "community.need_manage": frozenset({Role.GRID_LEAD, Role.ADMINISTRATOR}),
    # Names and phones of residents who raised needs.
    "community.need_contact": frozenset({Role.GRID_LEAD, Role.ADMINISTRATOR}),
    "community.call": frozenset({Role.GRID_LEAD, Role.ADMINISTRATOR}),
    "community.respond": frozenset({Role.SOCIAL_ORGANISATION}),
    # Department staff report in for their department (吹哨报到 of the departments).
    "community.respond_department": frozenset({Role.DEPARTMENT_HANDLER}),
    "community.organisation_manage": frozenset(
        {Role.GRID_LEAD, Role.DISPATCHER, Role.ADMINISTRATOR}
    ),
    "community.fund_view": frozenset(
        {Role.GRID_LEAD, Role.DISPATCHER, Role.SUPERVISOR, Role.ADMINISTRATOR}
    ),
    "community.fund_manage": frozenset({Role.ADMINISTRATOR}),
    # 公益创投: the administrator runs the rounds and the payments, the panel (administrator and
    # leaders) scores, organisations apply.
    "community.grant_manage": frozenset({Role.ADMINISTRATOR}),
    "community.grant_review": frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR}),
    "community.grant_apply": frozenset({Role.SOCIAL_ORGANISATION}),
    # A funded project's milestones and progress: written by its own organisation (the service
    # checks membership), read by everyone who sees the project.
    "community.project_report": frozenset({Role.SOCIAL_ORGANISATION}),
    # Activities and trainings: a community lead for the own community, an organisation for
    # the ones it runs (the service checks membership), the administrator for all.
    "community.activity_manage": frozenset(
        {Role.GRID_LEAD, Role.SOCIAL_ORGANISATION, Role.ADMINISTRATOR}
    ),
    "community.facility_manage": frozenset({Role.GRID_LEAD, Role.ADMINISTRATOR}),
}

_BY_COMMUNITY = {
    Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
    Level.COMMUNITY: ("community", "community_id"),
    Level.GRID: ("community", "community_id"),
}

SCOPES: dict[str, ScopeRules] = {
    "community.need": _BY_COMMUNITY,
    "community.activity": _BY_COMMUNITY,
    "community.facility": _BY_COMMUNITY,
    "community.organisation": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("communities", "community_id"),
        Level.GRID: ("communities", "community_id"),
    },
    # A call keeps its own community and subdistrict (a need's or an event's).
    "community.call": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("community", "community_id"),
        Level.GRID: ("community", "community_id"),
        # A department serves the whole subdistrict: it sees every call there.
        Level.DEPARTMENT: ("subdistrict", "subdistrict_id"),
    },
    "community.callresponse": {
        Level.SUBDISTRICT: ("call__subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("call__community", "community_id"),
        Level.GRID: ("call__community", "community_id"),
        Level.DEPARTMENT: ("call__subdistrict", "subdistrict_id"),
    },
    "community.fund": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("subdistrict", "subdistrict_id"),
    },
    "community.grantround": {
        Level.SUBDISTRICT: ("fund__subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("fund__subdistrict", "subdistrict_id"),
    },
    "community.grantapplication": {
        Level.SUBDISTRICT: ("round__fund__subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("organisation__communities", "community_id"),
    },
    "community.grantscore": {
        Level.SUBDISTRICT: ("application__round__fund__subdistrict", "subdistrict_id"),
    },
    "community.milestone": {
        Level.SUBDISTRICT: ("application__round__fund__subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("application__organisation__communities", "community_id"),
    },
    "community.progressreport": {
        Level.SUBDISTRICT: ("application__round__fund__subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("application__organisation__communities", "community_id"),
    },
    "community.fundentry": {
        Level.SUBDISTRICT: ("fund__subdistrict", "subdistrict_id"),
        Level.COMMUNITY: ("fund__subdistrict", "subdistrict_id"),
    },
}


def sees_contact(user: Any, need: Need) -> bool:
    """Whether the user sees who raised the need unmasked (the community's lead, the admin)."""
    return can(user, "community.need_contact")


def may_call_for(user: Any, event: Any) -> bool:
    """Whether the user may blow the whistle for this event: a community lead of the event's
    community (an administrator for the own subdistrict). The call's own scope rule decides,
    read against the event's place, so no statement runs."""
    if not can(user, "community.call"):
        return False
    scope = scope_of(user)
    rule = SCOPES["community.call"].get(scope.level)
    if not isinstance(rule, tuple):
        return False
    lookup, attribute = rule
    wanted = getattr(scope, attribute)
    return wanted is not None and getattr(event, f"{lookup}_id") == wanted
