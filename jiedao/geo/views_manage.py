"""The administrator's pages for communities and villages, grids (with the GeoJSON upload,
its preview on the map and the confirmation) and departments, each through the services the
API and the admin call."""

import json
import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.accounts.permissions import require
from jiedao.core.errors import InvalidInput
from jiedao.core.fielderrors import form_add_errors
from jiedao.core.http import JiedaoRequest
from jiedao.web.errors import render_application_errors

from . import selectors, services
from .forms import BoundaryConfirmForm, BoundaryUploadForm, DepartmentForm, GridForm, NameForm

_FEATURE_FIELD = re.compile(r"features\[(\d+)\]")


def _map_settings() -> dict[str, str]:
    return {
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def _manager(request: JiedaoRequest) -> Any:
    require(request.user, "geo.manage")
    return request.user


@login_required
@render_application_errors
def places(request: JiedaoRequest) -> HttpResponse:
    """The communities and villages, retired ones included, with their active grids."""
    user = _manager(request)
    return render(
        request,
        "geo/manage/places.html",
        {"communities": list(selectors.community_list(user=user, include_retired=True))},
    )


@login_required
@render_application_errors
def community(request: JiedaoRequest, code: str) -> HttpResponse:
    user = _manager(request)
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
        {"place": place, "form": form, "grid_list": grids},
    )


@require_POST
@login_required
@render_application_errors
def community_set_active(request: JiedaoRequest, code: str) -> HttpResponse:
    user = _manager(request)
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
    user = _manager(request)
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
            **_map_settings(),
        },
    )


@require_POST
@login_required
@render_application_errors
def grid_set_active(request: JiedaoRequest, code: str) -> HttpResponse:
    user = _manager(request)
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
def grids_geojson(request: JiedaoRequest) -> HttpResponse:
    """The active grids as a file to edit and upload again."""
    user = _manager(request)
    response = JsonResponse(
        selectors.grids_feature_collection(user=user), json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Disposition"] = 'attachment; filename="grids.geojson"'
    return response


def _feature_errors(error: InvalidInput, data: Any) -> list[str]:
    """Each error of an upload, introduced by the feature it is about (number, code, name)."""
    found = error.extra.get("errors") or {error.field or "": str(error.message)}
    features = data.get("features") if isinstance(data, dict) else None
    lines = []
    for field, message in found.items():
        match = _FEATURE_FIELD.match(field or "")
        if match is None or not isinstance(features, list):
            lines.append(str(message))
            continue
        number = int(match.group(1))
        feature = features[number] if number < len(features) else None
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = properties if isinstance(properties, dict) else {}
        lines.append(
            _("Feature %(number)s (code %(code)s, %(name)s): %(message)s")
            % {
                "number": number + 1,
                "code": properties.get("code") or "—",
                "name": properties.get("name") or "—",
                "message": message,
            }
        )
    return lines


def _preview(request: JiedaoRequest, user: Any, data: Any) -> HttpResponse:
    planned = services.grids_import_plan(actor=user, subdistrict=user.subdistrict, data=data)
    existing = selectors.grids_feature_collection(user=user)
    return render(
        request,
        "geo/manage/import_preview.html",
        {
            "planned": planned,
            "counts": {
                change: sum(1 for plan in planned if plan.change == change)
                for change in ("new", "changed", "unchanged")
            },
            "existing": existing,
            "communities": selectors.communities_feature_collection(user=user),
            "uploaded": {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": plan.fields["boundary"],
                        "properties": {"code": plan.fields["code"], "name": plan.fields["name"]},
                    }
                    for plan in planned
                ],
            },
            "confirm": BoundaryConfirmForm(
                initial={"geojson": json.dumps(data, ensure_ascii=False)}
            ),
            **_map_settings(),
        },
    )


@login_required
@render_application_errors
def grids_import(request: JiedaoRequest) -> HttpResponse:
    """Upload → preview on the map over the existing grids → confirm. Nothing is written before
    the confirmation, which checks the file again."""
    user = _manager(request)
    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    upload_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"]
        try:
            return _preview(request, user, data)
        except InvalidInput as error:
            upload_errors = _feature_errors(error, data)
    return render(
        request,
        "geo/manage/import.html",
        {"form": form, "upload_errors": upload_errors},
    )


@require_POST
@login_required
@render_application_errors
def grids_import_confirm(request: JiedaoRequest) -> HttpResponse:
    user = _manager(request)
    form = BoundaryConfirmForm(request.POST)
    upload_errors: list[str] = []
    if form.is_valid():
        data = form.cleaned_data["geojson"]
        try:
            result = services.grids_import_geojson(
                actor=user, subdistrict=user.subdistrict, data=data
            )
        except InvalidInput as error:
            upload_errors = _feature_errors(error, data)
        else:
            messages.success(
                request,
                _("Boundaries saved: %(created)s new grids, %(updated)s grids changed.") % result,
            )
            return redirect("geo_manage:places")
    else:
        upload_errors = [str(message) for message in form.errors.get("geojson", [])]
    return render(
        request,
        "geo/manage/import.html",
        {"form": BoundaryUploadForm(), "upload_errors": upload_errors},
    )


@login_required
@render_application_errors
def departments(request: JiedaoRequest) -> HttpResponse:
    user = _manager(request)
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
    user = _manager(request)
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
    user = _manager(request)
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
