"""Reads of the team assessment, already narrowed to what the user may see.

:func:`team_month` is the one answer to "the scores of this team in this month": the page, the
API, the Excel sheet, the command, the home cards and the cockpit all call it. A closed month
is read from its stored rows; any other month is computed live from the records
(:func:`jiedao.assessment.scoring.member_counts`). Both run a constant number of statements.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from jiedao.accounts.models import User
from jiedao.accounts.permissions import get_in_scope, require, scoped
from jiedao.core.dates import parse_month
from jiedao.core.errors import NotFound
from jiedao.core.localtime import local_today

from . import measures, scoring
from .models import MemberScore, MonthResult, Team, TeamMember
from .policy import MEMBER_ROLES, RUNNERS, sees_whole_team

MONTH_LABEL = pgettext_lazy("assessment", "Month")


def parse_month_value(value: Any) -> date:
    """ "2026-11" → 2026-11-01; the current local month when nothing is given; 422 otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return local_today().replace(day=1)
    if isinstance(value, date):
        return value.replace(day=1)
    first, _last = parse_month(value, field="month", label=MONTH_LABEL)
    return first


@dataclass
class ScoreRow:
    user_id: int
    name: str
    is_synthetic: bool
    counts: dict[str, int]
    parts: dict[str, Decimal]
    score: Decimal
    rank: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "user_id": self.user_id,
            "name": self.name,
            "is_synthetic": self.is_synthetic,
            "rank": self.rank,
            "score": str(self.score),
            "counts": self.counts,
            "parts": {key: str(value) for key, value in self.parts.items()},
        }


@dataclass
class TeamMonth:
    team: Team
    month: date
    is_closed: bool
    weights: dict[str, Decimal]
    rows: list[ScoreRow]
    closed_at: datetime | None = None
    member_count: int = 0  # the whole team's, even when the viewer sees only their own row
    average: Decimal | None = field(default=None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "team": {"id": self.team.pk, "name": self.team.name},
            "month": f"{self.month:%Y-%m}",
            "is_closed": self.is_closed,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "weights": {key: str(value) for key, value in self.weights.items()},
            "member_count": self.member_count,
            "average": None if self.average is None else str(self.average),
            "rows": [row.as_dict() for row in self.rows],
        }


def team_list(*, user: Any) -> QuerySet[Team]:
    """The teams the user may see, with their weights and leader."""
    require(user, "assessment.view")
    return (
        scoped(user, Team.objects.select_related("weights", "leader", "department"))
        .annotate(member_count=Count("members", distinct=True))
        .order_by("name", "pk")
    )


def team_get(*, user: Any, team_id: int) -> Team:
    require(user, "assessment.view")
    return get_in_scope(
        user, Team.objects.select_related("weights", "leader", "department"), pk=team_id
    )


def member_list(*, user: Any, team: Team) -> QuerySet[TeamMember]:
    """The members of ``team`` the user may see: all of them for its leader and the runners,
    their own membership for a member."""
    return scoped(user, team.members.select_related("user")).order_by("user__full_name", "pk")


def member_candidates(*, user: Any, team: Team) -> QuerySet[User]:
    """The users a runner may add to ``team``: active staff of its subdistrict with a member's
    role who are not in it yet."""
    require(user, "assessment.manage")
    return (
        User.objects.filter(
            subdistrict_id=team.subdistrict_id, role__in=sorted(MEMBER_ROLES), is_active=True
        )
        .exclude(pk__in=team.members.values("user_id"))
        .order_by("full_name", "username")
    )


def leader_candidates(*, user: Any) -> QuerySet[User]:
    """The users a runner may make a team's leader: active staff of their subdistrict with a
    member's or a runner's role."""
    require(user, "assessment.manage")
    subdistrict_id: int = getattr(user, "subdistrict_id", None) or 0
    return User.objects.filter(
        subdistrict_id=subdistrict_id,
        role__in=sorted(MEMBER_ROLES | RUNNERS),
        is_active=True,
    ).order_by("full_name", "username")


def _average(rows: list[ScoreRow]) -> Decimal | None:
    if not rows:
        return None
    return (sum((row.score for row in rows), Decimal(0)) / len(rows)).quantize(measures.CENT)


def _ranked(entries: list[tuple[int, str, bool, dict[str, int]]], weights: dict) -> list[ScoreRow]:
    totals = [measures.total(counts, weights) for _id, _name, _synthetic, counts in entries]
    places = measures.ranks(totals)
    rows = [
        ScoreRow(
            user_id=user_id,
            name=name,
            is_synthetic=synthetic,
            counts=counts,
            parts=measures.parts(counts, weights),
            score=score,
            rank=rank,
        )
        for (user_id, name, synthetic, counts), score, rank in zip(
            entries, totals, places, strict=True
        )
    ]
    return sorted(rows, key=lambda row: (row.rank, row.name, row.user_id))


def live_rows(teams: list[Team], month: date) -> dict[int, list[ScoreRow]]:
    """team id → its ranked rows computed from the records: six statements for any number of
    teams (the members, then the five counts of :func:`scoring.member_counts`)."""
    members = list(TeamMember.objects.filter(team__in=teams).select_related("user").order_by("pk"))
    counts = scoring.member_counts(
        [member.user_id for member in members], {team.subdistrict_id for team in teams}, month
    )
    result: dict[int, list[ScoreRow]] = {}
    for team in teams:
        entries = [
            (m.user_id, m.user.display_name, m.is_synthetic, counts[m.user_id])
            for m in members
            if m.team_id == team.pk
        ]
        result[team.pk] = _ranked(entries, team.weights.as_dict())
    return result


def team_month(*, user: Any, team: Team, month: date) -> TeamMonth:
    """The scores of ``team`` in ``month``, ranked; the rows the user may see (the whole team
    for its leader and the runners, their own row for a member)."""
    require(user, "assessment.view")
    closed = (
        MonthResult.objects.filter(team=team, month=month)
        .prefetch_related(Prefetch("scores", queryset=MemberScore.objects.order_by("rank", "name")))
        .first()
    )
    if closed is not None:
        weights = {key: Decimal(value) for key, value in closed.weights.items()}
        rows = [
            ScoreRow(
                user_id=score.user_id,
                name=score.name,
                is_synthetic=score.is_synthetic,
                counts=score.counts(),
                parts=measures.parts(score.counts(), weights),
                score=score.score,
                rank=score.rank,
            )
            for score in closed.scores.all()
        ]
    else:
        weights = team.weights.as_dict()
        rows = live_rows([team], month)[team.pk]
    return _visible(user, team, month, weights, rows, closed)


def _visible(
    user: Any,
    team: Team,
    month: date,
    weights: dict[str, Decimal],
    rows: list[ScoreRow],
    closed: MonthResult | None,
) -> TeamMonth:
    whole = sees_whole_team(user, team)
    return TeamMonth(
        team=team,
        month=month,
        is_closed=closed is not None,
        weights=weights,
        rows=rows if whole else [row for row in rows if row.user_id == getattr(user, "pk", None)],
        closed_at=closed.closed_at if closed else None,
        member_count=len(rows),
        average=_average(rows) if whole else None,
    )


def teams_this_month(*, user: Any) -> list[TeamMonth]:
    """Every team the user sees with its scores of the current month, as :func:`team_month`
    gives them. A month cannot be closed before it ends, so the current one is always live:
    seven statements for any number of teams."""
    month = parse_month_value(None)
    teams = list(team_list(user=user))
    rows = live_rows(teams, month) if teams else {}
    return [
        _visible(user, team, month, team.weights.as_dict(), rows[team.pk], None) for team in teams
    ]


def member_row(*, user: Any, team: Team, month: date, member_id: int) -> tuple[TeamMonth, ScoreRow]:
    """One member's row of the month with the month it belongs to: 404 when the user may not
    see it (a colleague's, or a former member's row of an open month)."""
    get_in_scope(user, TeamMember.objects.filter(team=team), user_id=member_id)
    scores = team_month(user=user, team=team, month=month)
    for row in scores.rows:
        if row.user_id == member_id:
            return scores, row
    raise NotFound()


@dataclass
class RecordPage:
    measure: measures.Measure
    records: list[Any]
    total: int  # every record behind the count, including those outside the viewer's scope


def member_records(
    *, user: Any, team: Team, month: date, member_id: int, measure: str
) -> RecordPage:
    """The records behind one member's count of ``measure``, narrowed to the viewer's scope in
    the app they belong to (an event the viewer may not open is counted, not listed)."""
    if measure not in measures.BY_KEY:
        raise NotFound()
    get_in_scope(user, TeamMember.objects.filter(team=team), user_id=member_id)
    start, end = scoring.month_bounds(month)
    behind = scoring.records(measure, member_id, team.subdistrict_id, start, end)
    related = {
        "events": ("category",),
        "enforcement": (),
        "supervision": ("task", "period"),
    }[measures.BY_KEY[measure].source]
    if measure == "inspections":
        related = ("target",)
    elif measure == "rechecks":
        related = ("inspection__target",)
    visible = scoped(user, behind.select_related(*related)).order_by("pk")
    return RecordPage(measure=measures.BY_KEY[measure], records=list(visible), total=behind.count())


def month_results(*, user: Any, team: Team) -> QuerySet[MonthResult]:
    """The team's closed months, newest first."""
    return scoped(user, MonthResult.objects.filter(team=team)).order_by("-month")


def record_link(measure: str, record: Any) -> tuple[str, str]:
    """(label, url) of one record behind a count: the page of its own app."""
    source = measures.BY_KEY[measure].source
    if source == "events":
        return (
            f"{record.number} {record.category.name}",
            reverse("events:detail", args=[record.number]),
        )
    if measure == "inspections":
        return (
            f"{record.target.name} {record.planned_on:%Y-%m-%d}",
            reverse("enforcement:inspection", args=[record.pk]),
        )
    if measure == "rechecks":
        return (
            f"{record.inspection.target.name}: {record.description[:40]}",
            reverse("enforcement:inspection", args=[record.inspection_id]),
        )
    return f"{record.task} · {record.period}", reverse("supervision:task", args=[record.task_id])
