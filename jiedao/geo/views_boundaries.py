"""The administrator's uploads of boundaries, of grids or of communities and villages: upload →
preview on the map over what is there now → confirm. Nothing is written before the
confirmation, which checks the file again. Both levels share these pages; :class:`Upload` says
what differs."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jiedao.core.errors import InvalidInput
from jiedao.core.http import JiedaoRequest
from jiedao.web.errors import render_application_errors

from . import selectors, services
from .forms import BoundaryConfirmForm, BoundaryUploadForm
from .views_manage import manager, map_settings

_FEATURE_FIELD = re.compile(r"features\[(\d+)\]")


@dataclass(frozen=True)
class Upload:
    """One level's upload: its services, its pages' addresses and words, and the layers of its
    preview (what the file replaces, in grey, and the outlines that frame it)."""

    level: str  # "grid" or "community", as the codes name the levels
    plan: Callable[..., list[services.PlannedPlace]]
    save: Callable[..., dict[str, int]]
    title: Promise
    saved: Promise  # with %(created)s and %(updated)s
    upload_url: str
    confirm_url: str
    download_url: str
    download_name: str
    existing: Callable[[Any], dict[str, Any]]
    outlines: Callable[[Any], dict[str, Any]]


GRIDS = Upload(
    level="grid",
    plan=services.grids_import_plan,
    save=services.grids_import_geojson,
    title=gettext_lazy("Upload grid boundaries"),
    saved=gettext_lazy("Boundaries saved: %(created)s new grids, %(updated)s grids changed."),
    upload_url="geo_manage:grids_import",
    confirm_url="geo_manage:grids_import_confirm",
    download_url="geo_manage:grids_geojson",
    download_name="grids.geojson",
    existing=lambda user: selectors.grids_feature_collection(user=user),
    outlines=lambda user: selectors.communities_feature_collection(user=user),
)
COMMUNITIES = Upload(
    level="community",
    plan=services.communities_import_plan,
    save=services.communities_import_geojson,
    title=gettext_lazy("Upload community and village boundaries"),
    saved=gettext_lazy(
        "Boundaries saved: %(created)s new communities or villages, %(updated)s changed."
    ),
    upload_url="geo_manage:communities_import",
    confirm_url="geo_manage:communities_import_confirm",
    download_url="geo_manage:communities_geojson",
    download_name="communities.geojson",
    existing=lambda user: selectors.communities_feature_collection(user=user),
    outlines=lambda user: selectors.grids_feature_collection(user=user),
)


def _download(request: JiedaoRequest, upload: Upload) -> HttpResponse:
    """What is there now as a file to edit and upload again (the import format)."""
    user = manager(request)
    response = JsonResponse(upload.existing(user), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{upload.download_name}"'
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


def _preview(request: JiedaoRequest, user: Any, upload: Upload, data: Any) -> HttpResponse:
    planned = upload.plan(actor=user, subdistrict=user.subdistrict, data=data)
    return render(
        request,
        "geo/manage/import_preview.html",
        {
            "upload": upload,
            "planned": planned,
            "counts": {
                change: sum(1 for plan in planned if plan.change == change)
                for change in ("new", "changed", "unchanged")
            },
            "existing": upload.existing(user),
            "outlines": upload.outlines(user),
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
            **map_settings(),
        },
    )


def _upload_page(
    request: JiedaoRequest, upload: Upload, form: BoundaryUploadForm, upload_errors: list[str]
) -> HttpResponse:
    return render(
        request,
        "geo/manage/import.html",
        {"upload": upload, "form": form, "upload_errors": upload_errors},
    )


def _upload(request: JiedaoRequest, upload: Upload) -> HttpResponse:
    user = manager(request)
    form = BoundaryUploadForm(request.POST or None, request.FILES or None, level=upload.level)
    upload_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"]
        try:
            return _preview(request, user, upload, data)
        except InvalidInput as error:
            upload_errors = _feature_errors(error, data)
    return _upload_page(request, upload, form, upload_errors)


def _confirm(request: JiedaoRequest, upload: Upload) -> HttpResponse:
    user = manager(request)
    form = BoundaryConfirmForm(request.POST)
    upload_errors: list[str] = []
    if form.is_valid():
        data = form.cleaned_data["geojson"]
        try:
            result = upload.save(actor=user, subdistrict=user.subdistrict, data=data)
        except InvalidInput as error:
            upload_errors = _feature_errors(error, data)
        else:
            messages.success(request, upload.saved % result)
            return redirect("geo_manage:places")
    else:
        upload_errors = [str(message) for message in form.errors.get("geojson", [])]
    return _upload_page(request, upload, BoundaryUploadForm(level=upload.level), upload_errors)


@login_required
@render_application_errors
def grids_geojson(request: JiedaoRequest) -> HttpResponse:
    return _download(request, GRIDS)


@login_required
@render_application_errors
def grids_import(request: JiedaoRequest) -> HttpResponse:
    return _upload(request, GRIDS)


@require_POST
@login_required
@render_application_errors
def grids_import_confirm(request: JiedaoRequest) -> HttpResponse:
    return _confirm(request, GRIDS)


@login_required
@render_application_errors
def communities_geojson(request: JiedaoRequest) -> HttpResponse:
    return _download(request, COMMUNITIES)


@login_required
@render_application_errors
def communities_import(request: JiedaoRequest) -> HttpResponse:
    return _upload(request, COMMUNITIES)


@require_POST
@login_required
@render_application_errors
def communities_import_confirm(request: JiedaoRequest) -> HttpResponse:
    return _confirm(request, COMMUNITIES)
