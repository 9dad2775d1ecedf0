"""The administrator's pages for communities and villages (created, renamed, retired), grids
and departments, each through the services the API and the admin call. The uploads of whole
files of boundaries are :mod:`.views_boundaries`."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.accounts.permissions import require
from jiedao.core.errors import ApplicationError, InvalidInput
from jiedao.core.fielderrors import form_add_errors
from jiedao.core.http import JiedaoRequest
from jiedao.web.errors import render_application_errors

from . import selectors, services
from .forms import CommunityForm, DepartmentForm, GridForm, NameForm


def map_settings() -> dict[str, str]:
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def manager(request: JiedaoRequest) -> Any:
    require(request.user, "geo.manage")
    return request.user


@login_required
@render_application_errors
def places(request: JiedaoRequest) -> HttpResponse:
    """The communities and villages, retired ones included, with their active grids."""
    user = manager(request)
    return render(
        request,
        "geo/manage/places.html",
        {"communities": list(selectors.community_list(user=user, include_retired=True))},
    )


def _add_errors(form: CommunityForm, error: ApplicationError) -> None:
    """The service's problems beside their fields, except where the form has already said
    what is wrong with the field (a file that is not JSON is not also "required")."""
    found = error.extra.get("errors") or {error.field or "": str(error.message)}
    for field, message in found.items():
        if field not in form.errors:
            form.add_error(field if field in form.fields else None, str(message))


@login_required
@render_application_errors
def community_new(request: JiedaoRequest) -> HttpResponse:
    """A new community or village: its name, kind, code and boundary file, every problem shown
    at once beside its field."""
    user = manager(request)
    posted = request.method == "POST"
    form = CommunityForm(request.POST, request.FILES) if posted else CommunityForm()
    if posted:
        form.is_valid()
        data = form.cleaned_data
        # The service is asked even when the form refused a field, so that the other fields'
        # problems show at the same time: a refused field reaches it empty, which it refuses in
        # turn, so nothing is written.
        try:
            place = services.community_create(
                actor=user,
                subdistrict=user.subdistrict,
                name=data.get("name", ""),
                kind=data.get("kind", ""),
                code=data.get("code", ""),
                boundary=data.get("boundary"),
            )
        except InvalidInput as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("“%(name)s” is created: it has no grids yet.") % {"name": place.name}
            )
            return redirect("geo_manage:community", code=place.code)
    return render(
        request,
        "geo/manage/community_new.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@login_required
@render_application_errors
def community(request: JiedaoRequest, code: str) -> HttpResponse:
    user = manager(request)
    place = selectors.community_get(user=user, code=code)
    form = NameForm(request.POST or None, initial={"name": place.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.community_update(actor=user, community=place, name=form.cleaned_data["name"])
        except InvalidInput as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("geo_manage:community", code=place.code)
    grids = list(selectors.grid_list(user=user, community_code=code, include_retired=True))
    return render(
        request,
        "geo/manage/community.html",
        {
            "place": place,
            "form": form,
            "grid_list": grids,
            "grids": {
                "type": "FeatureCollection",
                "features": [selectors.grid_feature(grid) for grid in grids if grid.is_active],
            },
            "communities": {
                "type": "FeatureCollection",
                "features": [selectors.community_feature(place)],
            },
            **map_settings(),
        },
    )


@require_POST
@login_required
@render_application_errors
def community_set_active(request: JiedaoRequest, code: str) -> HttpResponse:
    user = manager(request)
    place = selectors.community_get(user=user, code=code)
    active = request.POST.get("active") == "1"
    services.community_set_active(actor=user, community=place, active=active)
    messages.success(
        request,
        (_("“%(name)s” is reinstated.") if active else _("“%(name)s” and its grids are retired."))
        % {"name": place.name},
    )
    return redirect("geo_manage:community", code=place.code)


@login_required
@render_application_errors
def grid(request: JiedaoRequest, code: str) -> HttpResponse:
    user = manager(request)
    place = selectors.grid_get(user=user, code=code)
    form = GridForm(request.POST or None, initial={"name": place.name, "code": place.code})
    if request.method == "POST" and form.is_valid():
        try:
            services.grid_update(
                actor=user,
                grid=place,
                name=form.cleaned_data["name"],
                code=form.cleaned_data["code"],
            )
        except InvalidInput as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("geo_manage:grid", code=form.cleaned_data["code"])
    return render(
        request,
        "geo/manage/grid.html",
        {
            "place": place,
            "form": form,
            "grids": {"type": "FeatureCollection", "features": [selectors.grid_feature(place)]},
            "communities": {
                "type": "FeatureCollection",
                "features": [selectors.community_feature(place.community)],
            },
            **map_settings(),
        },
    )


@require_POST
@login_required
@render_application_errors
def grid_set_active(request: JiedaoRequest, code: str) -> HttpResponse:
    user = manager(request)
    place = selectors.grid_get(user=user, code=code)
    active = request.POST.get("active") == "1"
    try:
        services.grid_set_active(actor=user, grid=place, active=active)
    except InvalidInput as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            (_("“%(name)s” is reinstated.") if active else _("“%(name)s” is retired."))
            % {"name": place.name},
        )
    return redirect("geo_manage:grid", code=place.code)


@login_required
@render_application_errors
def departments(request: JiedaoRequest) -> HttpResponse:
    user = manager(request)
    form = DepartmentForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            department = services.department_create(
                actor=user, subdistrict=user.subdistrict, **form.cleaned_data
            )
        except InvalidInput as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Department “%(name)s” created.") % {"name": department})
            return redirect("geo_manage:departments")
    return render(
        request,
        "geo/manage/departments.html",
        {
            "form": form,
            "department_list": list(
                selectors.department_list(user=user, include_retired=True).order_by(
                    "-is_active", "name"
                )
            ),
        },
    )


@login_required
@render_application_errors
def department(request: JiedaoRequest, pk: int) -> HttpResponse:
    user = manager(request)
    unit = selectors.department_get(user=user, pk=pk)
    initial = {"name": unit.name, "kind": unit.kind, "duties": unit.duties, "phone": unit.phone}
    form = DepartmentForm(request.POST or None, initial=initial, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            services.department_update(actor=user, department=unit, **form.cleaned_data)
        except InvalidInput as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("geo_manage:department", pk=unit.pk)
    return render(request, "geo/manage/department.html", {"unit": unit, "form": form})


@require_POST
@login_required
@render_application_errors
def department_set_active(request: JiedaoRequest, pk: int) -> HttpResponse:
    user = manager(request)
    unit = selectors.department_get(user=user, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.department_set_active(actor=user, department=unit, active=active)
    except InvalidInput as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            (_("“%(name)s” is reinstated.") if active else _("“%(name)s” is retired."))
            % {"name": unit.name},
        )
    return redirect("geo_manage:department", pk=unit.pk)
