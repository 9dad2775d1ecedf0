"""The team assessment API: teams, a month's scores (the same selector as the page and the
command), the records behind a count, the weight table, closing a month, the Excel sheet."""

from typing import Any

from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from jiedao.core.http import JiedaoRequest

from . import measures, selectors, services
from .exports import XLSX_CONTENT_TYPE, export_filename, month_xlsx
from .schemas import (
    MeasureOut,
    MemberIn,
    MemberOut,
    MonthClosedOut,
    RecordsOut,
    TeamIn,
    TeamMonthOut,
    TeamOut,
    WeightsIn,
)

router = Router(tags=["assessment"])


class MonthQuery(Schema):
    month: str | None = Field(None, description="YYYY-MM; the current month when omitted")


def team_out(team: Any) -> dict[str, Any]:
    return {
        "id": team.pk,
        "name": team.name,
        "leader": team.leader.display_name,
        "department": team.department.name if team.department else None,
        "member_count": team.member_count,
    }


@router.get("/teams", response=list[TeamOut])
def teams(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [team_out(team) for team in selectors.team_list(user=request.user)]


@router.post("/teams", response={201: TeamOut})
def team_create(request: JiedaoRequest, body: TeamIn) -> Status:
    """A team of the caller's subdistrict with its leader and the default weights (supervisors
    and administrators)."""
    team = services.team_create(
        actor=request.user,
        name=body.name,
        leader_id=body.leader_id,
        department_id=body.department_id,
    )
    return Status(201, team_out(selectors.team_list(user=request.user).get(pk=team.pk)))


@router.get("/teams/{team_id}/members", response=list[MemberOut])
def members(request: JiedaoRequest, team_id: int) -> list[dict[str, Any]]:
    """The members the caller may see: all for the leader and the runners, themself otherwise."""
    team = selectors.team_get(user=request.user, team_id=team_id)
    return [
        {"user_id": m.user_id, "name": m.user.display_name, "is_synthetic": m.is_synthetic}
        for m in selectors.member_list(user=request.user, team=team)
    ]


@router.post("/teams/{team_id}/members", response={201: MemberOut})
def member_add(request: JiedaoRequest, team_id: int, body: MemberIn) -> Status:
    member = services.team_member_add(actor=request.user, team_id=team_id, user_id=body.user_id)
    return Status(
        201,
        {
            "user_id": member.user_id,
            "name": member.user.display_name,
            "is_synthetic": member.is_synthetic,
        },
    )


@router.delete("/teams/{team_id}/members/{user_id}", response={204: None})
def member_remove(request: JiedaoRequest, team_id: int, user_id: int) -> Status:
    """Take a member out of the team; the closed months keep their score."""
    services.team_member_remove(actor=request.user, team_id=team_id, user_id=user_id)
    return Status(204, None)


@router.get("/teams/{team_id}/scores", response=TeamMonthOut)
def scores(request: JiedaoRequest, team_id: int, query: Query[MonthQuery]) -> dict[str, Any]:
    """The team's scores of the month, ranked: the whole team for its leader, supervisors and
    administrators; a member's own row for a member."""
    team = selectors.team_get(user=request.user, team_id=team_id)
    month = selectors.parse_month_value(query.month)
    return selectors.team_month(user=request.user, team=team, month=month).as_dict()


@router.get("/teams/{team_id}/scores.xlsx", response={200: None})
def scores_xlsx(request: JiedaoRequest, team_id: int, query: Query[MonthQuery]) -> HttpResponse:
    team = selectors.team_get(user=request.user, team_id=team_id)
    month = selectors.parse_month_value(query.month)
    return xlsx_response(selectors.team_month(user=request.user, team=team, month=month))


def xlsx_response(scores: selectors.TeamMonth) -> HttpResponse:
    response = HttpResponse(month_xlsx(scores), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{export_filename(scores)}"'
    return response


@router.get("/teams/{team_id}/members/{user_id}/records/{measure}", response=RecordsOut)
def records(
    request: JiedaoRequest, team_id: int, user_id: int, measure: str, query: Query[MonthQuery]
) -> dict[str, Any]:
    """The records behind one member's count, those the caller may open."""
    team = selectors.team_get(user=request.user, team_id=team_id)
    month = selectors.parse_month_value(query.month)
    page = selectors.member_records(
        user=request.user, team=team, month=month, member_id=user_id, measure=measure
    )
    return {
        "measure": measure,
        "total": page.total,
        "records": [
            dict(zip(("label", "url"), selectors.record_link(measure, record), strict=True))
            | {"id": record.pk}
            for record in page.records
        ],
    }


@router.get("/teams/{team_id}/weights", response=list[MeasureOut])
def weights(request: JiedaoRequest, team_id: int) -> list[dict[str, Any]]:
    team = selectors.team_get(user=request.user, team_id=team_id)
    return measure_rows(team.weights.as_dict())


def measure_rows(weights: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": measure.key,
            "label": str(measure.label),
            "description": str(measure.description),
            "sign": measure.sign,
            "weight": str(weights[measure.key]),
        }
        for measure in measures.MEASURES
    ]


@router.put("/teams/{team_id}/weights", response=list[MeasureOut])
def weights_update(request: JiedaoRequest, team_id: int, body: WeightsIn) -> list[dict[str, Any]]:
    """Replace the team's weights: every measure, each from 0 to 1000, at least one above 0."""
    table = services.weights_update(actor=request.user, team_id=team_id, values=body.model_dump())
    return measure_rows(table.as_dict())


@router.post("/teams/{team_id}/months/{month}/close", response={201: MonthClosedOut})
def close(request: JiedaoRequest, team_id: int, month: str) -> Status:
    """Close a month that has ended: its scores are stored and no longer recomputed."""
    result = services.month_close(
        actor=request.user, team_id=team_id, month=selectors.parse_month_value(month)
    )
    return Status(
        201,
        {
            "id": result.pk,
            "team_id": result.team_id,
            "month": f"{result.month:%Y-%m}",
            "closed_at": result.closed_at.isoformat(),
        },
    )
