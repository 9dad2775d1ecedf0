"""The assessment on the role homes and on the leaders' cockpit (registered by
``AssessmentConfig``), and the audit trail's words for its entries."""

import datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import can
from jiedao.web.cards import Card
from jiedao.web.cockpit import Kpi, Panel, Ranking

from . import selectors
from .models import Team
from .policy import sees_whole_team

AUDIT_LABELS = {
    "assessment.team.create": _("Assessment team created"),
    "assessment.weights.create": _("Assessment weights created"),
    "assessment.weights.update": _("Assessment weights changed"),
    "assessment.member.create": _("Team member added"),
    "assessment.member.delete": _("Team member removed"),
    "assessment.month.close": _("Assessment month closed"),
    "assessment.month.scores": _("Assessment scores stored"),
}
TOP_MEMBERS = 5


def home_cards(user: Any) -> list[Card]:
    """A member's score this month; a leader's (or runner's) team ranking. Nothing for the other
    roles, and for a member of no team. At most eight statements whatever the data."""
    if not can(user, "assessment.view"):
        return []
    found: list[Card] = []
    for scores in selectors.teams_this_month(user=user):
        team, month = scores.team, scores.month
        url = reverse("assessment:team", args=[team.pk]) + f"?month={month:%Y-%m}"
        if sees_whole_team(user, team):
            leader = scores.rows[0] if scores.rows else None
            found.append(
                Card(
                    title=_("Team ranking: %(team)s") % {"team": team.name},
                    url=url,
                    description=_("This month's leader: %(name)s, %(score)s points.")
                    % {"name": leader.name, "score": leader.score}
                    if leader
                    else _("No member in the team yet."),
                    count=scores.member_count,
                    count_label=_("members ranked"),
                    order=60,
                )
            )
            continue
        for row in scores.rows:
            found.append(
                Card(
                    title=_("My score this month"),
                    url=reverse("assessment:member", args=[team.pk, row.user_id])
                    + f"?month={month:%Y-%m}",
                    description=_("%(score)s points in %(team)s, from my work records.")
                    % {"score": row.score, "team": team.name},
                    count=row.rank,
                    count_label=_("rank of %(count)s") % {"count": scores.member_count},
                    order=60,
                )
            )
    return found


def cockpit_panel(today: datetime.date) -> Panel | None:
    """This month's average score over every team member and the top members. Seven statements
    whatever the number of teams and members; None when there is no team."""
    teams = list(Team.objects.select_related("weights").order_by("pk"))
    if not teams:
        return None
    month = today.replace(day=1)
    rows = [row for team_rows in selectors.live_rows(teams, month).values() for row in team_rows]
    average = (
        (sum((row.score for row in rows), Decimal(0)) / len(rows)).quantize(Decimal("0.01"))
        if rows
        else None
    )
    best = sorted(rows, key=lambda row: (-row.score, row.name, row.user_id))[:TOP_MEMBERS]
    return Panel(
        title=_("Team assessment"),
        kpis=[
            Kpi(
                key="assessment.average",
                label=_("Team members' average score this month"),
                value=average,
                unit=_("points"),
                url_name="assessment:home",
            ),
            Kpi(key="assessment.members", label=_("Members assessed"), value=len(rows)),
        ],
        rankings=[
            Ranking(
                title=_("Top team members this month"),
                rows=[(row.name, row.score) for row in best],
                unit=_("points"),
            )
        ],
        order=60,
    )


__all__ = ["cockpit_panel", "home_cards"]
