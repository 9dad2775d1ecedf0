"""The report pages (上报): the form, phone first, and the duplicates it offers while it is
filled in.

Views parse input, call one selector or service and render; what a user may report is decided by
:mod:`jiedao.events.services`, never here.
"""

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import can, require
from jiedao.core.errors import Conflict, Forbidden, InvalidInput
from jiedao.core.http import JiedaoRequest
from jiedao.geo import selectors as geo_selectors
from jiedao.web.errors import render_application_errors

from . import selectors, services
from .duplicates import Candidates
from .forms import ReportForm
from .models import Event
from .views import _grids, _map_settings


def _report_context(request: JiedaoRequest, form: ReportForm) -> dict[str, Any]:
    user = request.user
    return {
        "form": form,
        "category_tree": selectors.category_tree(),
        "grids": _grids(user),
        "can_self_resolve": selectors.can_self_resolve(user),
        "show_source": form.source_count > 1,
        "show_reporter": user.role != Role.GRID_WORKER and user.role != Role.RESIDENT,
        # A hotline call may name only the place: the grid stands in for the coordinates.
        "grid_choices": geo_selectors.grid_list(user=user)
        if form.source_count > 1 and can(user, "geo.view")
        else [],
        "max_photo_mb": settings.EVENT_PHOTO_MAX_BYTES // (1024 * 1024),
        **_map_settings(),
    }


@login_required
@render_application_errors
def report(request: JiedaoRequest) -> HttpResponse:
    """Report an event (上报): a grid worker on patrol, a dispatcher entering a 12345 call."""
    require(request.user, "events.report")
    if request.method != "POST":
        form = ReportForm(role=request.user.role, initial={"client_uuid": str(uuid.uuid4())})
        return render(request, "events/report.html", _report_context(request, form))
    form = ReportForm(request.POST, role=request.user.role)
    if not form.is_valid():
        return render(request, "events/report.html", _report_context(request, form), status=422)
    data = form.cleaned_data
    try:
        outcome = services.event_report(
            actor=request.user,
            category=data["category"],
            description=data["description"],
            lat=data["lat"],
            lng=data["lng"],
            grid=data["grid"],
            address=data["address"],
            source=data["source"] or None,
            urgency=data["urgency"] or None,
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            photos=request.FILES.getlist("photos"),
            self_resolved=data["self_resolved"],
            after_photos=request.FILES.getlist("after_photos"),
            resolution_note=data["resolution_note"],
            client_key=data["client_uuid"],
        )
    except (InvalidInput, Forbidden, Conflict) as error:
        form.add_service_error(error)
        context = _report_context(request, form)
        return render(request, "events/report.html", context, status=error.status)
    event = outcome.event
    if outcome.created:
        messages.success(
            request, gettext("Event %(number)s has been reported.") % {"number": event.number}
        )
    else:
        messages.info(
            request,
            gettext("This report was already received as event %(number)s.")
            % {"number": event.number},
        )
    return redirect("events:detail", number=event.number)


@login_required
@require_GET
@render_application_errors
def report_duplicates(request: JiedaoRequest) -> HttpResponse:
    """While a report is filled in: open events of the same category close by (HTMX partial)."""
    require(request.user, "events.report")
    candidates: Candidates | list[Any] = []
    category = selectors.category_list().filter(code=request.GET.get("category", "")).first()
    try:
        lat, lng = float(request.GET.get("lat", "")), float(request.GET.get("lng", ""))
    except ValueError:
        lat = lng = None  # type: ignore[assignment]
    if category is not None and lat is not None and lng is not None:
        draft = Event(category=category, lat=lat, lng=lng, created_at=timezone.now())
        candidates = selectors.event_duplicate_candidates(user=request.user, event=draft)
    return render(request, "events/_duplicates.html", {"candidates": candidates, "draft": True})
