"""Pages of the 红黄黑榜: the staff's month (ranking, figures by month, compound and grid,
publishing), the weights and list rule, the black list's rectification tasks; and the public
list of a published month with its Excel sheet (no login, no personal data)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.accounts.permissions import can, require
from jiedao.core.errors import ApplicationError, NotFound
from jiedao.core.http import JiedaoRequest
from jiedao.core.localtime import local_today
from jiedao.portal.views import public_errors
from jiedao.web.errors import render_application_errors

from . import figures_board, lists, selectors_board
from .exports_board import XLSX, ranking_xlsx
from .models.board import ListModeChoice, MetricChoice


def _month(request: HttpRequest) -> str:
    return request.GET.get("month") or f"{local_today():%Y-%m}"


@login_required
@render_application_errors
def month(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    ranking = selectors_board.month_ranking(user=user, month=_month(request))
    figures = figures_board.board_figures(user=user, month=ranking.month)
    month_ended = ranking.month < local_today().replace(day=1)
    return render(
        request,
        "sanitation/board_month.html",
        {
            "ranking": ranking,
            "figures": figures,
            "metrics": MetricChoice.choices,
            "can_publish": (
                can(user, "sanitation.board_publish")
                and ranking.published is None
                and month_ended
                and ranking.has_records
            ),
            "can_manage_rules": can(user, "sanitation.board_rules"),
        },
    )


@login_required
@require_POST
@render_application_errors
def publish(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    require(user, "sanitation.board_publish")
    month_text = request.POST.get("month", "")
    lists.month_list_publish(
        actor=user, subdistrict=selectors_board.board_subdistrict(user=user), month=month_text
    )
    messages.success(request, _("The list for %(month)s is published.") % {"month": month_text})
    return redirect(reverse("sanitation_board:month") + f"?month={month_text}")


@login_required
@render_application_errors
def export(request: JiedaoRequest) -> HttpResponse:
    ranking = selectors_board.month_ranking(user=request.user, month=_month(request))
    response = HttpResponse(ranking_xlsx(ranking), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="list-{ranking.month:%Y-%m}.xlsx"'
    return response


def _rule_values(rules: selectors_board.BoardRules) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for rule in rules.rules:
        values[f"{rule.metric}_weight"] = rule.weight
        values[f"{rule.metric}_benchmark"] = rule.benchmark
    list_rule = rules.list_rule
    for name in (
        "red_min",
        "yellow_below",
        "black_below",
        "red_count",
        "yellow_count",
        "black_count",
    ):
        values[name] = getattr(list_rule, name)
    values["mode"] = str(list_rule.mode)
    values["rectification_days"] = rules.rectification_days
    return values


@login_required
@render_application_errors
def rules(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    require(user, "sanitation.board_view")
    subdistrict = selectors_board.board_subdistrict(user=user)
    current = selectors_board.board_rules(subdistrict_id=subdistrict.pk)
    values = _rule_values(current)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        require(user, "sanitation.board_rules")
        values = {key: request.POST.get(key, "") for key in values}
        try:
            lists.board_rules_save(actor=user, subdistrict=subdistrict, values=values)
        except ApplicationError as error:
            if error.status != 422:
                raise
            for single in error.errors:
                errors.setdefault(single.field or "", []).append(str(single.message))
            status = 422
        else:
            messages.success(request, _("The weights and the list rule are saved."))
            return redirect("sanitation_board:rules")
    return render(
        request,
        "sanitation/board_rules.html",
        {
            "metrics": [
                (value, label, values[f"{value}_weight"], values[f"{value}_benchmark"])
                for value, label in MetricChoice.choices
            ],
            "values": values,
            "modes": ListModeChoice.choices,
            "errors": errors,
            "can_edit": can(user, "sanitation.board_rules"),
        },
        status=status,
    )


@login_required
@render_application_errors
def tasks(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "sanitation/board_tasks.html",
        {
            "tasks": selectors_board.black_list_tasks(user=user),
            "can_complete": can(user, "sanitation.board_task"),
        },
    )


@login_required
@require_POST
@render_application_errors
def task_complete(request: JiedaoRequest, task_id: int) -> HttpResponse:
    try:
        lists.black_list_task_complete(
            actor=request.user, task_id=task_id, notes=request.POST.get("notes", "")
        )
    except ApplicationError as error:
        if error.status != 422:
            raise
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The rectification is recorded."))
    return redirect("sanitation_board:tasks")


# --- Public -------------------------------------------------------------------------------------


def _public_subdistrict(request: HttpRequest) -> Any:
    subdistricts = selectors_board.public_subdistricts()
    code = request.GET.get("subdistrict")
    chosen = next(
        (s for s in subdistricts if s.code == code), subdistricts[0] if subdistricts else None
    )
    return subdistricts, chosen


@public_errors
def public_list(request: HttpRequest) -> HttpResponse:
    subdistricts, subdistrict = _public_subdistrict(request)
    months = selectors_board.public_months(subdistrict=subdistrict) if subdistrict else []
    ranking = None
    if months:
        wanted = request.GET.get("month") or months[0]
        ranking = selectors_board.public_ranking(subdistrict=subdistrict, month=wanted)
    return render(
        request,
        "sanitation/board_public.html",
        {
            "subdistricts": subdistricts,
            "subdistrict": subdistrict,
            "months": months,
            "ranking": ranking,
            "metrics": MetricChoice.choices,
        },
    )


@public_errors
def public_export(request: HttpRequest, month: str) -> HttpResponse:
    _subdistricts, subdistrict = _public_subdistrict(request)
    if subdistrict is None:
        raise NotFound()
    ranking = selectors_board.public_ranking(subdistrict=subdistrict, month=month)
    response = HttpResponse(ranking_xlsx(ranking), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="list-{ranking.month:%Y-%m}.xlsx"'
    return response
