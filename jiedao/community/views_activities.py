"""Pages of activities and trainings (the lead's and the organisation's: plan, record as held,
cancel), of service facilities (capacity and places in use) and of the figures for a period.
They call the same services and selectors as the API."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.accounts.permissions import can, require
from jiedao.core.errors import ApplicationError
from jiedao.core.http import JiedaoRequest
from jiedao.core.localtime import local_today
from jiedao.web.errors import render_application_errors

from . import activities, selectors
from . import selectors_activities as reads
from .figures import community_figures
from .models import Activity, Facility
from .views import _period
from .workflow import ActivityAction, ActivityStatus, activity_actions


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _activities_page(
    request: JiedaoRequest, *, error: Any = None, form: Any = None
) -> HttpResponse:
    user = request.user
    status = request.GET.get("status") or None
    if status not in ActivityStatus.values:
        status = None
    kind = request.GET.get("kind") or None
    if kind not in Activity.Kind.values:
        kind = None
    can_manage = can(user, "community.activity_manage")
    listed = reads.activity_list(user=user, status=status, kind=kind)
    return render(
        request,
        "community/activities.html",
        {
            "activities": [
                (
                    activity,
                    [
                        (action, ActivityAction(action).label)
                        for action in activity_actions(activity.status, user.role)
                    ]
                    if can_manage
                    else [],
                )
                for activity in listed
            ],
            "status": status,
            "kind": kind,
            "statuses": ActivityStatus.choices,
            "kinds": Activity.Kind.choices,
            "can_manage": can_manage,
            "communities": selectors.community_list(user=user) if can_manage else [],
            "organisers": reads.organisers_for(user) if can_manage else [],
            "projects": reads.projects_for(user) if can_manage else [],
            "today": local_today(),
            "error": error,
            "form": form or {},
        },
        status=422 if error else 200,
    )


@login_required
@render_application_errors
def activity_list(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    if request.method != "POST":
        return _activities_page(request)
    require(user, "community.activity_manage")
    post = request.POST
    try:
        activities.activity_plan(
            actor=user,
            community=selectors.community_for(user=user, community_id=_int(post.get("community"))),
            kind=post.get("kind", ""),
            title=post.get("title", ""),
            organiser=reads.organiser_for(user=user, organisation_id=_int(post.get("organiser"))),
            planned_on=post.get("planned_on", ""),
            project=reads.project_for(user=user, project_id=_int(post.get("project"))),
        )
    except ApplicationError as error:
        if error.status != 422:
            raise
        return _activities_page(request, error=error, form=post)
    messages.success(request, _("The activity is planned."))
    return redirect("community:activities")


@login_required
@require_POST
@render_application_errors
def activity_action(request: JiedaoRequest, activity_id: int) -> HttpResponse:
    user = request.user
    post = request.POST
    try:
        activities.activity_transition(
            actor=user,
            activity=reads.activity_get(user=user, activity_id=activity_id),
            action=post.get("action", ""),
            held_on=post.get("held_on", ""),
            person_times=post.get("person_times", ""),
            reason=post.get("reason", ""),
        )
    except ApplicationError as error:
        if error.status not in (409, 422):
            raise
        return _activities_page(request, error=error)
    return redirect("community:activities")


def _facilities_page(
    request: JiedaoRequest, *, error: Any = None, form: Any = None
) -> HttpResponse:
    user = request.user
    can_manage = can(user, "community.facility_manage")
    return render(
        request,
        "community/facilities.html",
        {
            "facilities": reads.facility_list(user=user),
            "can_manage": can_manage,
            "communities": selectors.community_list(user=user) if can_manage else [],
            "kinds": Facility.Kind.choices,
            "error": error,
            "form": form or {},
        },
        status=422 if error else 200,
    )


@login_required
@render_application_errors
def facility_list(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    if request.method != "POST":
        return _facilities_page(request)
    require(user, "community.facility_manage")
    post = request.POST
    try:
        activities.facility_create(
            actor=user,
            community=selectors.community_for(user=user, community_id=_int(post.get("community"))),
            name=post.get("name", ""),
            kind=post.get("kind", ""),
            capacity=post.get("capacity", ""),
            in_use=post.get("in_use", "") or 0,
        )
    except ApplicationError as error:
        if error.status != 422:
            raise
        return _facilities_page(request, error=error, form=post)
    return redirect("community:facilities")


@login_required
@require_POST
@render_application_errors
def facility_use(request: JiedaoRequest, facility_id: int) -> HttpResponse:
    user = request.user
    try:
        activities.facility_use_set(
            actor=user,
            facility=reads.facility_get(user=user, facility_id=facility_id),
            in_use=request.POST.get("in_use", ""),
        )
    except ApplicationError as error:
        if error.status != 422:
            raise
        return _facilities_page(request, error=error)
    return redirect("community:facilities")


@login_required
@render_application_errors
def figures(request: JiedaoRequest) -> HttpResponse:
    period_form, since, until = _period(request)
    found = community_figures(user=request.user, since=since, until=until)
    labels = {
        "size": _("Fund size (yuan)"),
        "injected": _("Fund injected (yuan)"),
        "committed": _("Fund committed (yuan)"),
        "paid": _("Fund paid (yuan)"),
        "available": _("Fund available (yuan)"),
    }
    return render(
        request,
        "community/figures.html",
        {
            "figures": found,
            "fund": [(labels[key], value) for key, value in found.fund.items()],
            "period_form": period_form,
        },
    )
