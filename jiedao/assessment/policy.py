"""Who may see and run the team assessment (registered by ``AssessmentConfig``).

The subdistrict's leaders (supervisors) and administrators see every team of their subdistrict
and run the assessment: teams, members, weights, closing a month. A team's leader — whatever
their role — sees the whole team's ranking. A member sees their own score only. Every other
role sees nothing: dispatchers, grid and community leads, social organisations, residents.

Scope is relational for members and leaders: the rules match the user's own id (``user_id``
of the Scope) against the team's leader or the member row, so that a handler of the city
management department sees neither a colleague's score nor another team.
"""

from typing import Any

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import SYSTEM, Level, ScopeRules, can

from .models import Team

RUNNERS = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})
# The roles a member (or a leader who is not a supervisor) of a team can have: the people whose
# work the events, enforcement and supervision apps record by name.
MEMBER_ROLES = frozenset({Role.DEPARTMENT_HANDLER, Role.ENFORCEMENT_OFFICER, Role.GRID_WORKER})

ACTIONS: dict[str, frozenset[str]] = {
    "assessment.view": RUNNERS | MEMBER_ROLES,
    "assessment.manage": RUNNERS,
    "assessment.close": RUNNERS,
}

_SELF = [("leader", "user_id"), ("members__user", "user_id")]
_MEMBER_SELF = [("team__leader", "user_id"), ("user", "user_id")]
_SCORE_SELF = [("result__team__leader", "user_id"), ("user", "user_id")]

SCOPES: dict[str, ScopeRules] = {
    "assessment.team": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: _SELF,
        Level.GRID: _SELF,
    },
    "assessment.teammember": {
        Level.SUBDISTRICT: ("team__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: _MEMBER_SELF,
        Level.GRID: _MEMBER_SELF,
    },
    "assessment.weighttable": {
        Level.SUBDISTRICT: ("team__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: [("team__leader", "user_id"), ("team__members__user", "user_id")],
        Level.GRID: [("team__leader", "user_id"), ("team__members__user", "user_id")],
    },
    "assessment.monthresult": {
        Level.SUBDISTRICT: ("team__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: [("team__leader", "user_id"), ("team__members__user", "user_id")],
        Level.GRID: [("team__leader", "user_id"), ("team__members__user", "user_id")],
    },
    "assessment.memberscore": {
        Level.SUBDISTRICT: ("result__team__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: _SCORE_SELF,
        Level.GRID: _SCORE_SELF,
    },
}


def sees_whole_team(user: Any, team: Team) -> bool:
    """Whether the user sees every member's score of ``team`` (its ranking): the system, the
    subdistrict's runners, and the team's leader. Others see their own row at most."""
    if user is SYSTEM:
        return True
    if not can(user, "assessment.view"):
        return False
    if user.role in RUNNERS:
        return user.subdistrict_id == team.subdistrict_id
    return team.leader_id == user.pk
