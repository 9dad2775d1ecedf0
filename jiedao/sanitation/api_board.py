"""The 红黄黑榜's API: the month's ranking (the same selector as the page and
`jiedao sanitation ranking`), the figures by month, compound and grid, the weights and the list
rule, publishing, the black list's tasks, and the published lists for anyone."""

from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema, Status

from jiedao.accounts.permissions import require
from jiedao.core.errors import NotFound
from jiedao.core.http import JiedaoRequest

from . import figures_board, lists, selectors_board
from .exports_board import XLSX, ranking_xlsx

router = Router(tags=["sanitation list"])


class CompoundOut(Schema):
    compound_id: int
    name: str
    community: str
    grid: str
    grid_id: int
    score: str | None
    rank: int | None
    colour: str | None
    parts: dict[str, str]
    counts: dict[str, Any]


class ColoursOut(Schema):
    red: int
    yellow: int
    black: int


class RankingOut(Schema):
    month: str
    subdistrict: str
    published: bool
    published_at: str | None
    has_records: bool
    colours: ColoursOut
    compounds: list[CompoundOut]


class PublicCompoundOut(Schema):
    name: str
    community: str
    score: str | None
    rank: int | None
    colour: str | None


class PublicRankingOut(Schema):
    month: str
    subdistrict: str
    published_at: str | None
    compounds: list[PublicCompoundOut]


class PublishIn(Schema):
    month: str


class RulesIn(Schema):
    """Weights in percent (adding up to 100) and benchmarks per measure, and the list rule."""

    participation_weight: str
    participation_benchmark: str
    accuracy_weight: str
    accuracy_benchmark: str
    recycling_weight: str
    recycling_benchmark: str
    findings_weight: str
    findings_benchmark: str
    rectification_weight: str
    rectification_benchmark: str
    mode: str
    red_min: str
    yellow_below: str
    black_below: str
    red_count: str
    yellow_count: str
    black_count: str
    rectification_days: str


class TaskOut(Schema):
    id: int
    compound: str
    month: str
    score: str | None
    deadline: str
    status: str
    done_at: str | None
    done_notes: str


class TaskDoneIn(Schema):
    notes: str


@router.get("/ranking", response=RankingOut, summary="Every compound's score, rank and colour")
def ranking(request: JiedaoRequest, month: str) -> dict[str, Any]:
    """The month's list (YYYY-MM): the published one when the month has one, otherwise computed
    now from the records. The same as `jiedao sanitation ranking --month`."""
    return selectors_board.month_ranking(user=request.user, month=month).as_dict()


@router.get("/ranking.xlsx", summary="The month's list as Excel")
def ranking_excel(request: JiedaoRequest, month: str) -> HttpResponse:
    found = selectors_board.month_ranking(user=request.user, month=month)
    response = HttpResponse(ranking_xlsx(found), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="list-{found.month:%Y-%m}.xlsx"'
    return response


@router.get("/figures", summary="Figures by month, grid and compound")
def figures(request: JiedaoRequest, month: str) -> dict[str, Any]:
    """The twelve months up to `month` (YYYY-MM), and that month by grid and by compound."""
    return figures_board.board_figures(user=request.user, month=month).as_dict()


@router.get("/rules", summary="The weights and the list rule in force")
def rules_get(request: JiedaoRequest) -> dict[str, Any]:
    require(request.user, "sanitation.board_view")
    subdistrict = selectors_board.board_subdistrict(user=request.user)
    return selectors_board.board_rules(subdistrict_id=subdistrict.pk).as_dict()


@router.put("/rules", summary="Save the weights and the list rule")
def rules_put(request: JiedaoRequest, payload: RulesIn) -> dict[str, Any]:
    """All of it or nothing: every problem is listed in `extra.errors`."""
    require(request.user, "sanitation.board_rules")
    subdistrict = selectors_board.board_subdistrict(user=request.user)
    lists.board_rules_save(actor=request.user, subdistrict=subdistrict, values=payload.dict())
    return selectors_board.board_rules(subdistrict_id=subdistrict.pk).as_dict()


@router.post("/lists", response={201: RankingOut}, summary="Publish a month's list")
def publish(request: JiedaoRequest, payload: PublishIn) -> Status[dict[str, Any]]:
    """Derives every compound's place from the records and gives each black-listed compound a
    rectification task; a month is published once, after it has ended."""
    user = request.user
    require(user, "sanitation.board_publish")
    lists.month_list_publish(
        actor=user,
        subdistrict=selectors_board.board_subdistrict(user=user),
        month=payload.month,
    )
    return Status(201, selectors_board.month_ranking(user=user, month=payload.month).as_dict())


def task_out(task: Any) -> dict[str, Any]:
    return {
        "id": task.pk,
        "compound": task.compound.name,
        "month": f"{task.entry.monthly_list.month:%Y-%m}",
        "score": None if task.entry.score is None else str(task.entry.score),
        "deadline": task.deadline.isoformat(),
        "status": task.status,
        "done_at": task.done_at.isoformat() if task.done_at else None,
        "done_notes": task.done_notes,
    }


@router.get("/tasks", response=list[TaskOut], summary="The black list's rectification tasks")
def tasks(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [task_out(task) for task in selectors_board.black_list_tasks(user=request.user)]


@router.post("/tasks/{task_id}/done", response=TaskOut, summary="Record a task rectified")
def task_done(request: JiedaoRequest, task_id: int, payload: TaskDoneIn) -> dict[str, Any]:
    lists.black_list_task_complete(actor=request.user, task_id=task_id, notes=payload.notes)
    found = next(t for t in selectors_board.black_list_tasks(user=request.user) if t.pk == task_id)
    return task_out(found)


@router.get(
    "/public/{month}",
    response=PublicRankingOut,
    auth=None,
    summary="A published month's list, for anyone",
)
def public(request: JiedaoRequest, month: str, subdistrict: str | None = None) -> dict[str, Any]:
    """Compounds, communities, scores, ranks and colours only: no household, no person."""
    subdistricts = selectors_board.public_subdistricts()
    chosen = next(
        (s for s in subdistricts if s.code == subdistrict),
        subdistricts[0] if subdistricts else None,
    )
    if chosen is None:
        raise NotFound()
    found = selectors_board.public_ranking(subdistrict=chosen, month=month)
    data = found.as_dict()
    return {
        "month": data["month"],
        "subdistrict": data["subdistrict"],
        "published_at": data["published_at"],
        "compounds": data["compounds"],
    }
