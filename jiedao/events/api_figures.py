"""The figures API (``/api/events/figures/``): figures by grouping, monthly rankings, exports.

Scoped like the dashboard: a grid worker gets the figures of their grid, a community lead of
their community, department staff of their department, dispatchers, supervisors and
administrators of the subdistrict; residents and social organisations get 403. The definitions
are in :mod:`jiedao.events.figures`.
"""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from . import exports
from .figures import (
    Figures,
    department_ranking,
    event_figures,
    grid_ranking,
    parse_period,
    ranking_period,
)

router = Router(tags=["event figures"])


class FigureRowOut(Schema):
    key: str
    label: str
    collected: int
    dispatched: int
    self_resolved: int
    rejected: int
    merged: int
    closed: int
    due: int
    on_time_closed: int
    reworked: int
    extended: int
    closure_rate: float | None
    on_time_rate: float | None
    rework_rate: float | None
    extension_rate: float | None
    mean_handling_hours: float | None
    satisfaction_mean: float | None
    satisfaction_count: int


class FiguresOut(Schema):
    since: date
    until: date
    by: str
    rows: list[FigureRowOut]
    total: FigureRowOut


class RankedRowOut(FigureRowOut):
    rank: int


class RankingOut(Schema):
    month: str
    since: date  # the period the rankings cover: the month's first
    until: date  # and last day
    departments: list[RankedRowOut]
    grids: list[RankedRowOut]


def _figures(request: HttpRequest, since: str, until: str, by: str) -> Figures:
    first, last = parse_period(since, until)
    return event_figures(user=request.user, since=first, until=last, by=by)


@router.get("/", response=FiguresOut, summary="Event figures for a period")
def figures(request: HttpRequest, since: str, until: str, by: str = "month") -> dict[str, Any]:
    """Collected, dispatched, resolved on the spot, closed, due for closure (应结案数), 结案率,
    按期结案率, rework and extension rates, mean handling hours (wall clock) and satisfaction
    of the events reported from ``since`` to ``until`` (local dates, both included), one row per
    ``by`` group (grid, community, department, category, source, month) and a total. Rates are
    fractions, ``null`` when their denominator is 0."""
    return _figures(request, since, until, by).as_dict()


@router.get("/ranking", response=RankingOut, summary="Monthly ranking of departments and grids")
def ranking(request: HttpRequest, month: str) -> dict[str, Any]:
    """Departments by 按期结案率, then 结案率 (dispatched work only); grids by events collected,
    then 结案率. Equal scores share a rank. ``month`` like 2022-05."""
    since, until = ranking_period(month)
    return {
        "month": month,
        "since": since,
        "until": until,
        "departments": [
            row.as_dict() for row in department_ranking(user=request.user, month=month)
        ],
        "grids": [row.as_dict() for row in grid_ranking(user=request.user, month=month)],
    }


@router.get("/export.xlsx", summary="Event figures as an Excel workbook")
def export_xlsx(request: HttpRequest, since: str, until: str, by: str = "month") -> HttpResponse:
    result = _figures(request, since, until, by)
    return _download(
        exports.figures_xlsx(result),
        exports.XLSX_CONTENT_TYPE,
        exports.export_filename(result, "xlsx"),
    )


@router.get("/export.csv", summary="Event figures as CSV (UTF-8 with BOM)")
def export_csv(request: HttpRequest, since: str, until: str, by: str = "month") -> HttpResponse:
    result = _figures(request, since, until, by)
    return _download(
        exports.figures_csv(result),
        exports.CSV_CONTENT_TYPE,
        exports.export_filename(result, "csv"),
    )


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
