"""Sensor pages: the alarm list with filters and the staff's acknowledge/clear, the device map
coloured by state, a device's history, the device import and the dead letters."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.accounts.permissions import can
from jiedao.core.http import JiedaoRequest
from jiedao.geo import selectors as geo_selectors
from jiedao.web.errors import render_application_errors

from . import selectors, services
from .api import MAX_IMPORT_BYTES, device_out
from .selectors import AlarmFilters
from .workflow import AlarmAction, AlarmState, DeviceState

PAGE_SIZE = 100
SINCE_DAYS = {"1": 1, "7": 7, "30": 30}


def _filters(request: JiedaoRequest) -> AlarmFilters:
    get = request.GET
    days = SINCE_DAYS.get(get.get("days", ""))
    return AlarmFilters(
        state=get.get("state", "open"),
        kind=get.get("kind", ""),
        grid=get.get("grid", "").strip(),
        device=get.get("device", "").strip(),
        since=timezone.now() - timedelta(days=days) if days else None,
    )


@login_required
@render_application_errors
def alarm_list(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    filters = _filters(request)
    alarms = list(selectors.alarm_list(user, filters)[:PAGE_SIZE])
    rows = [(alarm, selectors.alarm_actions(user, alarm)) for alarm in alarms]
    states = [("open", _("Open")), *AlarmState.choices, ("", _("All"))]
    return render(
        request,
        "sensors/alarms.html",
        {
            "rows": rows,
            "filters": filters,
            "days": request.GET.get("days", ""),
            "states": states,
            "kinds": selectors.kinds(),
            "page_size": PAGE_SIZE,
            "truncated": len(alarms) == PAGE_SIZE,
            "can_manage": can(user, "sensors.manage"),
            "action_labels": dict(AlarmAction.choices),
        },
    )


@login_required
@require_POST
@render_application_errors
def alarm_action(request: JiedaoRequest, alarm_id: int, action: str) -> HttpResponse:
    user = request.user
    alarm = selectors.alarm_get(user, alarm_id)
    services.alarm_transition(
        alarm=alarm, action=action, actor=user, note=request.POST.get("note", "")[:500]
    )
    messages.success(
        request,
        _("%(action)s: %(device)s %(type)s.")
        % {
            "action": AlarmAction(action).label,
            "device": alarm.device.code,
            "type": alarm.alarm_type.name,
        },
    )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return redirect(back or "sensors:alarms")


@login_required
@render_application_errors
def device_map(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    kind = request.GET.get("kind", "")
    rows = selectors.device_rows(user, kind=kind)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row.device.lng, row.device.lat]},
            "properties": {
                **{
                    key: value
                    for key, value in device_out(row).items()
                    if key not in ("last_seen_at", "lat", "lng")
                },
                "url": reverse("sensors:device", args=[row.device.pk]),
            },
        }
        for row in rows
    ]
    counts = {state: 0 for state in DeviceState.values}
    for row in rows:
        counts[row.state] += 1
    return render(
        request,
        "sensors/map.html",
        {
            "devices": {"type": "FeatureCollection", "features": features},
            "grids": geo_selectors.grids_feature_collection(user=user),
            "counts": [(value, label, counts[value]) for value, label in DeviceState.choices],
            "kinds": selectors.kinds(),
            "kind": kind,
            "rows": rows,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        },
    )


@login_required
@render_application_errors
def device_detail(request: JiedaoRequest, device_id: int) -> HttpResponse:
    user = request.user
    detail = selectors.device_detail(user, device_id)
    return render(
        request,
        "sensors/device.html",
        {
            "detail": detail,
            "state_label": DeviceState(detail.state).label,
            "rows": [(alarm, selectors.alarm_actions(user, alarm)) for alarm in detail.alarms],
            "action_labels": dict(AlarmAction.choices),
        },
    )


@login_required
@render_application_errors
def device_import(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    subdistrict = selectors.import_subdistrict(user, request.POST.get("subdistrict", ""))
    context: dict[str, Any] = {"max_mb": MAX_IMPORT_BYTES // (1024 * 1024)}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("Choose a CSV or Excel file.")
        else:
            from jiedao.core.errors import InvalidInput

            try:
                created = services.devices_import(
                    actor=user,
                    subdistrict=subdistrict,
                    file_name=upload.name or "",
                    content=selectors.upload_bytes(upload, MAX_IMPORT_BYTES),
                )
            except InvalidInput as error:
                context["error"] = error.message
            else:
                messages.success(
                    request, _("Imported %(count)s devices.") % {"count": len(created)}
                )
                return redirect("sensors:map")
    return render(
        request, "sensors/import.html", context, status=422 if "error" in context else 200
    )


@login_required
@render_application_errors
def dead_letters(request: JiedaoRequest) -> HttpResponse:
    letters = list(selectors.dead_letter_list(request.user)[:PAGE_SIZE])
    return render(request, "sensors/dead_letters.html", {"letters": letters})
