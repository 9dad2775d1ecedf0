"""The team assessment pages: the teams, a team's ranking for a month (the leader's page), a
member's score and what it came from, the records behind each count, the weight table, closing
a month and the Excel sheet. Every page calls the selectors and services the API calls."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.accounts.permissions import can
from jiedao.core.errors import InvalidInput
from jiedao.core.http import JiedaoRequest
from jiedao.web.errors import render_application_errors

from . import measures, scoring, selectors, services
from .api import xlsx_response
from .policy import sees_whole_team


def _month(request: JiedaoRequest) -> Any:
    return selectors.parse_month_value(request.GET.get("month"))


@login_required
@render_application_errors
def home(request: JiedaoRequest) -> HttpResponse:
    """The teams the user sees, with this month's average (for whole-team viewers) or their own
    score."""
    user = request.user
    manages = can(user, "assessment.manage")
    return render(
        request,
        "assessment/home.html",
        {
            "teams": selectors.teams_this_month(user=user),
            "can_manage": manages,
            "leaders": selectors.leader_candidates(user=user) if manages else [],
        },
    )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@require_POST
@render_application_errors
def team_new(request: JiedaoRequest) -> HttpResponse:
    """Create a team (supervisors and administrators); a refusal shows its message."""
    try:
        created = services.team_create(
            actor=request.user,
            name=request.POST.get("name", ""),
            leader_id=_int(request.POST.get("leader")) or 0,
        )
    except InvalidInput as error:
        for single in error.errors:
            messages.error(request, str(single.message))
        return redirect("assessment:home")
    messages.success(request, _("The team was created."))
    return redirect("assessment:team", team_id=created.pk)


@login_required
@require_POST
@render_application_errors
def member_add(request: JiedaoRequest, team_id: int) -> HttpResponse:
    try:
        services.team_member_add(
            actor=request.user, team_id=team_id, user_id=_int(request.POST.get("user")) or 0
        )
    except InvalidInput as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The member was added."))
    return redirect("assessment:team", team_id=team_id)


@login_required
@require_POST
@render_application_errors
def member_remove(request: JiedaoRequest, team_id: int, user_id: int) -> HttpResponse:
    services.team_member_remove(actor=request.user, team_id=team_id, user_id=user_id)
    messages.success(request, _("The member was removed from the team."))
    return redirect("assessment:team", team_id=team_id)


@login_required
@render_application_errors
def team(request: JiedaoRequest, team_id: int) -> HttpResponse:
    """A team's month: every member's score and its parts, ranked (a member sees their row)."""
    user = request.user
    found = selectors.team_get(user=user, team_id=team_id)
    month = _month(request)
    scores = selectors.team_month(user=user, team=found, month=month)
    _start, end = scoring.month_bounds(month)
    return render(
        request,
        "assessment/team.html",
        {
            "scores": scores,
            "measures": measures.MEASURES,
            "whole_team": sees_whole_team(user, found),
            "can_manage": can(user, "assessment.manage"),
            "can_close": can(user, "assessment.close")
            and not scores.is_closed
            and end <= timezone.now(),
            "closed_months": selectors.month_results(user=user, team=found),
            "candidates": selectors.member_candidates(user=user, team=found)
            if can(user, "assessment.manage")
            else [],
        },
    )


@login_required
@render_application_errors
def member(request: JiedaoRequest, team_id: int, user_id: int) -> HttpResponse:
    """One member's month: each measure's count (linking to its records), weight and points."""
    user = request.user
    found = selectors.team_get(user=user, team_id=team_id)
    month = _month(request)
    scores, row = selectors.member_row(user=user, team=found, month=month, member_id=user_id)
    lines = [
        {
            "measure": measure,
            "count": row.counts[measure.key],
            "weight": scores.weights[measure.key],
            "points": row.parts[measure.key],
        }
        for measure in measures.MEASURES
    ]
    return render(
        request,
        "assessment/member.html",
        {"team": found, "month": month, "row": row, "lines": lines, "scores": scores},
    )


@login_required
@render_application_errors
def records(request: JiedaoRequest, team_id: int, user_id: int, measure: str) -> HttpResponse:
    """The records behind one count, those the viewer may open, each linking to its page."""
    user = request.user
    found = selectors.team_get(user=user, team_id=team_id)
    month = _month(request)
    page = selectors.member_records(
        user=user, team=found, month=month, member_id=user_id, measure=measure
    )
    _scores, row = selectors.member_row(user=user, team=found, month=month, member_id=user_id)
    links = [selectors.record_link(measure, record) for record in page.records]
    return render(
        request,
        "assessment/records.html",
        {
            "team": found,
            "month": month,
            "row": row,
            "page": page,
            "links": links,
            "hidden": page.total - len(links),
        },
    )


@login_required
@render_application_errors
def export(request: JiedaoRequest, team_id: int) -> HttpResponse:
    found = selectors.team_get(user=request.user, team_id=team_id)
    return xlsx_response(selectors.team_month(user=request.user, team=found, month=_month(request)))


@login_required
@render_application_errors
def weights(request: JiedaoRequest, team_id: int) -> HttpResponse:
    """The weight table; supervisors and administrators change it."""
    user = request.user
    found = selectors.team_get(user=user, team_id=team_id)
    values = {key: str(value) for key, value in found.weights.as_dict().items()}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = {key: request.POST.get(key, "") for key in measures.MEASURE_KEYS}
        try:
            services.weights_update(actor=user, team_id=found.pk, values=values)
        except InvalidInput as error:
            errors = {single.field or "": str(single.message) for single in error.errors}
            status = 422
        else:
            messages.success(request, _("The weights were saved."))
            return redirect("assessment:weights", team_id=found.pk)
    lines = [
        {"measure": measure, "value": values[measure.key], "error": errors.get(measure.key, "")}
        for measure in measures.MEASURES
    ]
    return render(
        request,
        "assessment/weights.html",
        {"team": found, "lines": lines, "can_manage": can(user, "assessment.manage")},
        status=status,
    )


@login_required
@require_POST
@render_application_errors
def close(request: JiedaoRequest, team_id: int) -> HttpResponse:
    month = selectors.parse_month_value(request.POST.get("month"))
    services.month_close(actor=request.user, team_id=team_id, month=month)
    messages.success(
        request, _("%(month)s is closed: its scores are stored.") % {"month": f"{month:%Y-%m}"}
    )
    return redirect(f"{reverse('assessment:team', args=[team_id])}?month={month:%Y-%m}")
