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
from .held import HeldPhoto, photos_held, photos_hold, photos_release
from .models import Event
from .views import _grids, _map_settings


def _report_context(
    request: JiedaoRequest, form: ReportForm, held: dict[str, list[HeldPhoto]] | None = None
) -> dict[str, Any]:
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
        "held": held or {},
        **_map_settings(),
    }


# The photo fields of the report form, and the field that carries their held photos' tokens.
PHOTO_FIELDS = {"photos": "held_photos", "after_photos": "held_after_photos"}


def _refused(
    request: JiedaoRequest,
    form: ReportForm,
    held: dict[str, list[HeldPhoto]],
    owner: str,
    status: int,
) -> HttpResponse:
    """The form again with its errors; the photos chosen this time that passed their check are
    held with the ones held before, so the corrected form needs none of them again."""
    for field in PHOTO_FIELDS:
        held[field] = held[field] + photos_hold(
            photos=request.FILES.getlist(field), field=field, owner=owner
        )
    return render(
        request, "events/report.html", _report_context(request, form, held), status=status
    )


@login_required
@render_application_errors
def report(request: JiedaoRequest) -> HttpResponse:
    """Report an event (上报): a grid worker on patrol, a dispatcher entering a 12345 call.

    A refused form comes back with every problem beside its field and the photos held
    (:mod:`jiedao.events.held`), so that correcting it never means taking them again."""
    require(request.user, "events.report")
    if request.method != "POST":
        form = ReportForm(role=request.user.role, initial={"client_uuid": str(uuid.uuid4())})
        return render(request, "events/report.html", _report_context(request, form))
    form = ReportForm(request.POST, role=request.user.role)
    owner = f"user:{request.user.pk}"
    held = {
        field: photos_held(tokens=request.POST.getlist(tokens), field=field, owner=owner)
        for field, tokens in PHOTO_FIELDS.items()
    }
    photos: dict[str, list[Any]] = {
        field: [photo.as_file() for photo in held[field]] + list(request.FILES.getlist(field))
        for field in PHOTO_FIELDS
    }
    valid = form.is_valid()
    data = _report_arguments(form)
    arguments: dict[str, Any] = {
        "actor": request.user,
        **data,
        "photos": photos["photos"],
        "after_photos": photos["after_photos"],
    }
    if not valid:
        # The form's own problems, and the service's for every other field: all at once.
        try:
            services.event_report_check(**arguments)
        except (InvalidInput, Forbidden, Conflict) as error:
            form.add_service_error(error, skip=set(form.errors))
        return _refused(request, form, held, owner, status=422)
    try:
        outcome = services.event_report(**arguments)
    except (InvalidInput, Forbidden, Conflict) as error:
        if error.code == "idempotency_key_reused":
            # Sent before with other content (back, edit, send again): offered as a new report
            # (a new key) rather than with a message about the internal key.
            resent = request.POST.copy()
            resent["client_uuid"] = str(uuid.uuid4())
            form = ReportForm(resent, role=request.user.role)
            form.is_valid()
            form.add_error(
                None,
                gettext(
                    "This form was already sent, with other content. Check the report below "
                    "and send it again to make a new report."
                ),
            )
        else:
            form.add_service_error(error)
        return _refused(request, form, held, owner, status=error.status)
    photos_release([photo for field in PHOTO_FIELDS for photo in held[field]])
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


def _report_arguments(form: ReportForm) -> dict[str, Any]:
    """The service's arguments from the form's cleaned values; a field the form refused is
    left out (the service's default), its own message already shown."""
    data = getattr(form, "cleaned_data", {})
    return {
        "category": data.get("category", ""),
        "description": data.get("description", ""),
        "lat": data.get("lat"),
        "lng": data.get("lng"),
        "grid": data.get("grid", ""),
        "address": data.get("address", ""),
        "source": data.get("source") or None,
        "urgency": data.get("urgency") or None,
        "reporter_name": data.get("reporter_name", ""),
        "reporter_phone": data.get("reporter_phone", ""),
        "self_resolved": data.get("self_resolved", False),
        "resolution_note": data.get("resolution_note", ""),
        "client_key": data.get("client_uuid", ""),
    }


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
