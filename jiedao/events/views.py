"""The event pages: report (phone first), the event list (the to-do list is in
:mod:`.views_todo`), the detail with its actions, the map of
open events and the notifications.

Views parse input, call one selector or service and render; what a user may see and do is
decided by :mod:`jiedao.events.selectors` and :mod:`jiedao.events.services`, never here.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import can, require
from jiedao.core.dates import parse_optional_date
from jiedao.core.errors import ApplicationError, Conflict, Forbidden, InvalidInput, NotFound
from jiedao.core.http import JiedaoRequest
from jiedao.geo import selectors as geo_selectors
from jiedao.web.errors import render_application_errors

from . import selectors, services
from .duplicates import Candidates
from .forms import ActionForm
from .held import photos_held, photos_hold, photos_release
from .models import Event
from .routing import route_propose_many
from .workflow import (
    ACTION_PHOTO_STAGE,
    OPEN_STATES,
    WARNING_RANK,
    Action,
    PhotoStage,
    Source,
    Status,
)
from .workflow import WarningLevel as Warning

PAGE_SIZE = 30
FILTER_NAMES = (
    "status",
    "category",
    "grid",
    "community",
    "department",
    "source",
    "warning",
    "from",
    "until",
    "q",
)
MAP_LIMIT = 2000
# The actions an inbox row offers directly; the others are on the detail page.
QUICK_ACTIONS = (Action.ACCEPT, Action.DISPATCH, Action.REJECT)
# Actions that are one click: nothing to fill in beyond an optional note.
ONE_CLICK = frozenset({Action.ACCEPT, Action.START_HANDLING, Action.VERIFY_PASS, Action.RESUME})
DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_HANDLER, Role.ENFORCEMENT_OFFICER})


def _map_settings() -> dict[str, str]:
    return {"tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION}


def _safe_next(request: JiedaoRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _grids(user: Any) -> dict[str, Any]:
    """The grids the user may see, for drawing (a resident sees no geography)."""
    if not can(user, "geo.view"):
        return {"type": "FeatureCollection", "features": []}
    return geo_selectors.grids_feature_collection(user=user)


# --- Lists ----------------------------------------------------------------------------------


def _filters(query: QueryDict) -> tuple[selectors.EventFilters, str]:
    """The list filters from the query string; ``status`` is "open" (default), "all" or one."""
    status = query.get("status", "open")
    statuses: list[str]
    if status == "open":
        statuses = sorted(str(value) for value in OPEN_STATES)
    elif status == "all":
        statuses = []
    else:
        statuses = [status]
    filters = selectors.EventFilters(
        status=statuses,
        category=query.get("category", ""),
        grid=query.get("grid", ""),
        community=query.get("community", ""),
        department=query.get("department", ""),
        source=query.get("source", ""),
        warning=query.get("warning", ""),
        created_from=parse_optional_date(
            query.get("from", ""), field="from", label=_("Reported from")
        ),
        created_until=parse_optional_date(
            query.get("until", ""), field="until", label=_("Reported until")
        ),
        search=query.get("q", ""),
    )
    return filters, status


def _quick_actions(event: Event, user: Any) -> list[str]:
    allowed = []
    for action in QUICK_ACTIONS:
        if not can(user, f"events.{action}"):
            continue
        try:
            selectors.check_transition(event, action, user)
        except (Forbidden, Conflict, NotFound):
            continue
        allowed.append(str(action))
    return allowed


def _rows(events: list[Event], user: Any) -> list[dict[str, Any]]:
    """Inbox rows: the event, its warning, the department proposed for it (from the duty matrix
    while it is reported, as recorded on acceptance after) and its quick actions."""
    proposals = route_propose_many([event for event in events if event.status == Status.REPORTED])
    recorded_ids = {
        event.proposed_department_id
        for event in events
        if event.status == Status.ACCEPTED and event.proposed_department_id
    }
    departments = {}
    if recorded_ids and can(user, "geo.view"):
        departments = {
            department.pk: department
            for department in geo_selectors.department_list(user=user).filter(pk__in=recorded_ids)
        }
    return [
        {
            "event": event,
            "warning": getattr(event, "warning_level", Warning.NONE),
            "proposed": proposals.get(event.pk)
            or departments.get(event.proposed_department_id or 0),
            "actions": _quick_actions(event, user),
        }
        for event in events
    ]


def _list_title(role: str) -> Any:
    if role == Role.RESIDENT:
        return _("My reports")
    return _("Events in my scope")


def _event_rows_page(
    request: JiedaoRequest,
    read: Callable[[selectors.EventFilters, str], selectors.EventPage],
) -> HttpResponse:
    """The inbox and the list in one layout: filters, rows with quick actions, a page at a
    time (with HTMX only the rows are sent); ``read`` is the one selector behind the page."""
    user = request.user
    filters, status = _filters(request.GET)
    cursor = request.GET.get("cursor", "")
    page = read(filters, cursor)
    query = request.GET.copy()
    query.pop("cursor", None)
    context: dict[str, Any] = {
        "rows": _rows(list(page.items), user),
        "next_cursor": page.next_cursor,
        "query": query.urlencode(),
        "list_path": request.path,
        "next_url": f"{request.path}?{query.urlencode()}" if query else request.path,
    }
    if request.htmx and not request.htmx.history_restore_request:
        template = "events/_rows.html" if cursor else "events/_list.html"
        return render(request, template, context)
    context.update(
        title=_list_title(user.role), is_inbox=False, **list_page_context(request, status)
    )
    return render(request, "events/inbox.html", context)


def list_page_context(request: JiedaoRequest, status: str) -> dict[str, Any]:
    """What the full page of a list of events shows around its rows: the filters and links
    (the to-do page in :mod:`.views_todo` shares it)."""
    user = request.user
    sees_geography = can(user, "geo.view")
    return {
        "has_filters": any(request.GET.get(name) for name in FILTER_NAMES),
        "values": {name: request.GET.get(name, "") for name in request.GET},
        "status": status,
        "statuses": Status.choices,
        "sources": Source.choices,
        "warnings": Warning.choices,
        "category_tree": selectors.category_tree(),
        "communities": geo_selectors.community_list(user=user) if sees_geography else [],
        "grid_list": geo_selectors.grid_list(user=user) if sees_geography else [],
        "departments": geo_selectors.department_list(user=user) if sees_geography else [],
        "is_department": user.role in DEPARTMENT_ROLES,
        "can_report": can(user, "events.report"),
    }


@login_required
@require_GET
@render_application_errors
def event_list(request: JiedaoRequest) -> HttpResponse:
    """Every event of the user's scope, filtered, newest first (``/api/events/``): a grid's or
    community's events, what a department is responsible for or was called to, a resident's
    own reports."""
    user = request.user
    return _event_rows_page(
        request,
        lambda filters, cursor: selectors.event_list(
            user=user, filters=filters, cursor=cursor, limit=PAGE_SIZE
        ),
    )


# --- Detail and actions ---------------------------------------------------------------------


def _action_forms(allowed_actions: list[selectors.AllowedAction]) -> list[dict[str, Any]]:
    forms = []
    for allowed in allowed_actions:
        action = allowed.action
        fields = set(allowed.requires)
        if action == Action.DISPATCH:
            fields.add("department")
        if "reason" not in fields and "note" not in fields:
            fields.add("optional_note")
        forms.append(
            {
                "action": action,
                "label": allowed.label,
                "fields": fields,
                "photos": action in ACTION_PHOTO_STAGE,
                "one_click": action in ONE_CLICK,
            }
        )
    return forms


def _status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value


def _detail_context(request: JiedaoRequest, event: Event) -> dict[str, Any]:
    """The page's rendering of :func:`selectors.event_detail` (the API renders the same value),
    with what only a page needs: forms, pickers, the map, possible duplicates."""
    user = request.user
    detail = selectors.event_detail(user=user, event=event)
    history = detail.history
    forms = _action_forms(detail.allowed_actions)
    needs_departments = any(
        "department" in form["fields"] or "departments" in form["fields"] for form in forms
    )
    candidates: Candidates | list[Any] = (
        selectors.event_duplicate_candidates(user=user, event=event) if event.is_open else []
    )
    return {
        "event": event,
        "warning": detail.warning,
        "steps": [
            {
                "step": step,
                "from": _status_label(step.from_status),
                "to": _status_label(step.to_status),
                "photos": history.photos_of(step),
                "actor": selectors.step_actor_name(step),
                "unit": selectors.step_actor_unit(step),
            }
            for step in history.steps
        ],
        "photos_before": [p for p in history.photos if p.stage == PhotoStage.BEFORE],
        "photos_handling": [p for p in history.photos if p.stage == PhotoStage.HANDLING],
        "photos_after": [p for p in history.photos if p.stage == PhotoStage.AFTER],
        "assignments": history.assignments,
        "duplicates": history.merged_events,
        "candidates": candidates,
        "action_forms": forms,
        "departments": geo_selectors.department_list(user=user) if needs_departments else [],
        "proposed": detail.proposed_department,
        "masked_phone": detail.masked_phone,
        "can_reveal": detail.can_reveal_contact,
        "point": {"lat": event.lat, "lng": event.lng, "number": event.number},
        "grids": {
            "type": "FeatureCollection",
            "features": [geo_selectors.grid_feature(event.grid)],
        },
        "max_photo_mb": settings.EVENT_PHOTO_MAX_BYTES // (1024 * 1024),
        **_map_settings(),
    }


@login_required
@require_GET
@render_application_errors
def detail(request: JiedaoRequest, number: str) -> HttpResponse:
    """One event: facts, map, photos, timeline, and the actions this user may take now."""
    event = selectors.event_get(user=request.user, number=number)
    return render(request, "events/detail.html", _detail_context(request, event))


@login_required
@require_POST
@render_application_errors
def take_action(request: JiedaoRequest, number: str, action: str) -> HttpResponse:
    """Apply one workflow action; a refusal (409, 403, 422) is shown on the detail page, each
    problem beside its field of the action's form, with what was typed and the photos held.

    Every problem at once: when the form refuses a field (a date that is no date), the service
    still checks the others (:func:`services.event_transition_check`, writing nothing), so that
    its own rules — a note required, a deadline in the past — are reported with the form's."""
    event = selectors.event_get(user=request.user, number=number)
    form = ActionForm(request.POST)
    owner = f"user:{request.user.pk}"
    held = photos_held(tokens=request.POST.getlist("held_photos"), field="photos", owner=owner)
    valid = form.is_valid()
    transition: Callable[..., object] = (
        services.event_transition if valid else services.event_transition_check
    )
    error: ApplicationError | None = None
    try:
        transition(
            event=event,
            action=action,
            actor=request.user,
            photos=[photo.as_file() for photo in held] + list(request.FILES.getlist("photos")),
            **form.service_data(),
        )
    except NotFound:
        raise
    except ApplicationError as refused:
        error = refused
    if not valid and (error is None or isinstance(error, InvalidInput)):
        # A move that cannot happen at all (403, 409) is said alone; input problems together.
        error = form.all_errors(error)
    if error is None:
        photos_release(held)
        label = Action(action).label if action in Action.values else action
        messages.success(
            request,
            gettext("%(action)s: done for event %(number)s.")
            % {"action": label, "number": event.number},
        )
        return redirect(_safe_next(request, reverse("events:detail", args=[event.number])))
    held += photos_hold(photos=request.FILES.getlist("photos"), field="photos", owner=owner)
    event = selectors.event_get(user=request.user, number=number)
    context = _detail_context(request, event)
    field_errors: dict[str, list[str]] = {}
    general: list[str] = []
    for single in error.errors:
        name = single.field or ""
        if name in form.fields or name == "photos":
            field_label: Any = form.fields[name].label if name in form.fields else _("Photos")
            field_errors.setdefault(name, []).append(str(single.relabelled(field_label).message))
        else:
            general.append(str(single.message))
    for action_form in context["action_forms"]:
        if action_form["action"] == action:
            action_form.update(
                errors=field_errors,
                values={name: request.POST.get(name, "") for name in form.fields},
                held=held,
            )
    context.update(action_error=error, action_messages=general, failed_action=action)
    return render(request, "events/detail.html", context, status=error.status)


@login_required
@require_POST
@render_application_errors
def reveal_contact(request: JiedaoRequest, number: str) -> HttpResponse:
    """The reporter's full phone number (the service logs who saw it)."""
    event = selectors.event_get(user=request.user, number=number)
    phone = services.event_contact_reveal(event=event, actor=request.user)
    if request.htmx:
        return render(request, "events/_contact.html", {"event": event, "phone": phone})
    context = _detail_context(request, event)
    context["revealed_phone"] = phone
    return render(request, "events/detail.html", context)


def photo_response(*, user: Any, number: str, photo_id: int) -> HttpResponse:
    """A photo's file for ``user``, whichever door asked (this page's address or the API's):
    only for those who may see its event (never a public media URL), with the same headers."""
    record = selectors.event_photo_get(user=user, number=number, photo_id=photo_id)
    # Photos are at most EVENT_PHOTO_MAX_BYTES (a few MB): read whole, the file closes at once.
    with record.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=record.content_type)
    # Cache-Control is the middleware's: private, no-store, like every answer to a signed-in user.
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
@render_application_errors
def photo(request: JiedaoRequest, number: str, photo_id: int) -> HttpResponse:
    return photo_response(user=request.user, number=number, photo_id=photo_id)


# --- Map ------------------------------------------------------------------------------------

WARNING_COLOURS = {Warning.NONE: "#2f6f9f", Warning.YELLOW: "#d9a400", Warning.RED: "#c0262d"}


@login_required
@require_GET
@render_application_errors
def event_map(request: JiedaoRequest) -> HttpResponse:
    """The open events of the user's scope on a map, coloured by deadline warning."""
    user = request.user
    filters = selectors.EventFilters(status=sorted(str(value) for value in OPEN_STATES))
    features: list[dict[str, Any]] = []
    counts = {level: 0 for level in Warning.values}
    cursor = ""
    truncated = False
    while True:
        page = selectors.event_list(user=user, filters=filters, cursor=cursor, limit=200)
        for event in page.items:
            level = getattr(event, "warning_level", Warning.NONE)
            counts[level] += 1
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [event.lng, event.lat]},
                    "properties": {
                        "number": event.number,
                        "category": event.category.label,
                        "status": str(Status(event.status).label),
                        "warning": level,
                        "warning_label": str(Warning(level).label),
                        "colour": WARNING_COLOURS[Warning(level)],
                        "address": event.address,
                        "url": reverse("events:detail", args=[event.number]),
                    },
                }
            )
        cursor = page.next_cursor or ""
        if not cursor:
            break
        if len(features) >= MAP_LIMIT:
            truncated = True
            break
    # The most urgent drawn last, on top.
    features.sort(key=lambda feature: WARNING_RANK[Warning(feature["properties"]["warning"])])
    return render(
        request,
        "events/map.html",
        {
            "events": {"type": "FeatureCollection", "features": features},
            "grids": _grids(user),
            "counts": counts,
            "total": len(features),
            "truncated": truncated,
            "map_limit": MAP_LIMIT,
            "colours": {str(level): colour for level, colour in WARNING_COLOURS.items()},
            **_map_settings(),
        },
    )


# --- Notifications --------------------------------------------------------------------------


@login_required
@require_GET
@render_application_errors
def notifications(request: JiedaoRequest) -> HttpResponse:
    """The signed-in user's notifications, newest first."""
    require(request.user, "events.view")
    unread_only = request.GET.get("unread") == "1"
    items = list(selectors.notification_list(user=request.user, unread_only=unread_only, limit=100))
    return render(
        request,
        "events/notifications.html",
        {
            "items": items,
            "unread_only": unread_only,
            "unread_count": selectors.notification_unread_count(user=request.user),
        },
    )


@login_required
@require_POST
@render_application_errors
def notifications_read(request: JiedaoRequest) -> HttpResponse:
    """Mark one notification (``id``) or all of them read."""
    ids_text = request.POST.getlist("id")
    if any(not text.isdigit() for text in ids_text):
        raise InvalidInput(_("A notification id is a number."), field="id")
    count = services.notification_mark_read(
        actor=request.user, notification_ids=[int(text) for text in ids_text] or None
    )
    messages.success(
        request,
        ngettext(
            "%(count)s notification marked as read.",
            "%(count)s notifications marked as read.",
            count,
        )
        % {"count": count},
    )
    target = reverse("events:notifications")
    if request.POST.get("unread") == "1":
        target += "?" + urlencode({"unread": "1"})
    return redirect(target)
