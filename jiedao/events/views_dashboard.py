"""The events dashboard (一网统管 figures): KPI cards, trends, sources, categories, rankings.

One page and its HTMX partial (the period selector swaps the body), plus the Excel and CSV
downloads. Everything comes from :mod:`jiedao.events.figures`, scoped to the user: residents and
social organisations get 403 (``events.figures``). A period that cannot be shown keeps the reader
on the dashboard with what they typed, each problem beside its date.
"""

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from jiedao.core.errors import InvalidInput
from jiedao.core.http import JiedaoRequest
from jiedao.core.localtime import local_today
from jiedao.web.errors import render_application_errors

from . import exports
from .figures import (
    COUNT_COLUMNS,
    GROUPING_LABELS,
    GROUPINGS,
    Figures,
    Grouping,
    department_ranking,
    event_figures,
    figures_queryset,
    grid_ranking,
    parse_grouping,
    parse_period,
    ranking_period,
)

TOP_CATEGORIES = 10
TOP_GRIDS = 10


def default_period(today: date) -> tuple[date, date]:
    """The last six months up to today (from the first day of the month five months ago)."""
    first = today.replace(day=1)
    for _month in range(5):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, today


def _period_typed(request: JiedaoRequest) -> dict[str, str]:
    """The period as typed, the default period for what was left out."""
    since_default, until_default = default_period(local_today())
    return {
        "since": request.GET.get("since") or since_default.isoformat(),
        "until": request.GET.get("until") or until_default.isoformat(),
    }


def _period(request: JiedaoRequest) -> tuple[date, date]:
    typed = _period_typed(request)
    return parse_period(typed["since"], typed["until"])


def _period_refused(
    request: JiedaoRequest, typed: dict[str, str], refused: InvalidInput
) -> HttpResponse:
    """The dashboard again with what was typed and each problem beside its date (all of them
    name a date), and no figures. The whole page keeps the refusal's status; an HTMX answer is
    200, as HTMX swaps nothing in from an error status."""
    period_errors: dict[str, list[str]] = {}
    for single in refused.errors:
        field = single.field if single.field in typed else "since"
        period_errors.setdefault(field, []).append(str(single.message))
    context = {"period": typed, "period_errors": period_errors}
    if request.htmx:
        return render(request, "events/_dashboard_swap.html", context)
    return render(request, "events/dashboard.html", context, status=refused.status)


def _chart(figures: Figures) -> dict[str, Any]:
    return {
        "labels": [row.label for row in figures.rows],
        "collected": [row.collected for row in figures.rows],
        "dispatched": [row.dispatched for row in figures.rows],
        "self_resolved": [row.self_resolved for row in figures.rows],
        "closed": [row.closed for row in figures.rows],
        "closure_rate": [row.closure_rate for row in figures.rows],
    }


@login_required
@render_application_errors
def dashboard(request: JiedaoRequest) -> HttpResponse:
    """The dashboard for a period (``since``/``until``, local dates); the ranking is for the
    period's last month. An HTMX request gets the body, and the period form out of band."""
    figures_queryset(user=request.user)  # 403 before any work for roles without figures
    typed = _period_typed(request)
    try:
        since, until = parse_period(typed["since"], typed["until"])
    except InvalidInput as refused:
        return _period_refused(request, typed, refused)
    by_month = event_figures(user=request.user, since=since, until=until, by=Grouping.MONTH)
    by_source = event_figures(user=request.user, since=since, until=until, by=Grouping.SOURCE)
    by_category = event_figures(user=request.user, since=since, until=until, by=Grouping.CATEGORY)
    top_categories = sorted(by_category.rows, key=lambda row: (-row.collected, row.key))
    month = until.strftime("%Y-%m")
    ranking_since, ranking_until = ranking_period(month)
    context = {
        "period": {"since": since.isoformat(), "until": until.isoformat()},
        "since": since,
        "until": until,
        "month": month,
        # The rankings cover the whole month of ``until``, which may differ from the period.
        "ranking_since": ranking_since,
        "ranking_until": ranking_until,
        "total": by_month.total,
        "charts": {
            "trend": _chart(by_month),
            "sources": {
                "labels": [row.label for row in by_source.rows],
                "collected": [row.collected for row in by_source.rows],
            },
            "categories": {
                "labels": [row.label for row in top_categories[:TOP_CATEGORIES]],
                "collected": [row.collected for row in top_categories[:TOP_CATEGORIES]],
            },
        },
        "departments": department_ranking(user=request.user, month=month),
        "grids": grid_ranking(user=request.user, month=month)[:TOP_GRIDS],
        "groupings": [(value, GROUPING_LABELS[value]) for value in GROUPINGS],
        "count_columns": COUNT_COLUMNS,
    }
    template = "events/_dashboard_swap.html" if request.htmx else "events/dashboard.html"
    return render(request, template, context)


def _export(request: JiedaoRequest) -> Figures:
    since, until = _period(request)
    by = parse_grouping(request.GET.get("by") or Grouping.MONTH)
    return event_figures(user=request.user, since=since, until=until, by=by)


@login_required
@render_application_errors
def export_xlsx(request: JiedaoRequest) -> HttpResponse:
    figures = _export(request)
    response = HttpResponse(exports.figures_xlsx(figures), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.export_filename(figures, "xlsx")}"'
    )
    return response


@login_required
@render_application_errors
def export_csv(request: JiedaoRequest) -> HttpResponse:
    figures = _export(request)
    response = HttpResponse(exports.figures_csv(figures), content_type=exports.CSV_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.export_filename(figures, "csv")}"'
    )
    return response
