"""The events API (``/api/events/``): intake, lists, detail, every workflow action, photos.

Each endpoint parses its input, calls one service or selector and renders the result; the
rules live in :mod:`jiedao.events.services` and :mod:`jiedao.events.selectors`. Creation and
actions accept JSON, or ``multipart/form-data`` when photos come along.
"""

import json
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Status
from ninja.errors import ValidationError
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from jiedao.core.errors import InvalidInput
from jiedao.core.http import JiedaoRequest

from . import selectors, services
from .duplicates import Candidate, Candidates
from .ledger import event_list_export
from .models import Category, Event, EventAssignment, EventPhoto, EventStep, Notification
from .schemas import (
    CandidatesOut,
    CategoryOut,
    ContactOut,
    CountOut,
    EventCreatedOut,
    EventDetailOut,
    EventIn,
    EventListQuery,
    EventPageOut,
    NotificationOut,
    NotificationsReadIn,
    PhotosAddedOut,
    TodoPageOut,
    TransitionIn,
)
from .todo import TodoItem, event_todo_page
from .views import photo_response
from .views_export import export_response
from .workflow import Status as EventStatus

router = Router(tags=["events"])

FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def _body(request: HttpRequest, schema: type[BaseModel], *, lists: tuple[str, ...] = ()) -> Any:
    """The request's JSON or form body validated by ``schema`` (422 naming the field)."""
    if request.content_type in FORM_TYPES:
        raw: Any = {}
        for name in request.POST:
            if name in lists:
                raw[name] = [value for value in request.POST.getlist(name) if value]
            elif request.POST[name] != "":
                raw[name] = request.POST[name]
    else:
        try:
            raw = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            raise InvalidInput(_("The body is not valid JSON."), field="body") from None
        if not isinstance(raw, dict):
            raise InvalidInput(_("The body must be a JSON object."), field="body")
    try:
        return schema.model_validate(raw)
    except PydanticValidationError as error:
        problems: list[dict[str, Any]] = [
            dict(problem) for problem in error.errors(include_url=False, include_context=False)
        ]
        raise ValidationError(problems) from None


def _body_doc(schema: type[BaseModel], files: dict[str, str]) -> dict[str, Any]:
    """OpenAPI request body for an endpoint that takes JSON or multipart with photos."""
    json_schema = schema.model_json_schema()
    form_schema = {
        **json_schema,
        "properties": {
            **json_schema.get("properties", {}),
            **{
                name: {
                    "type": "array",
                    "items": {"type": "string", "format": "binary"},
                    "description": description,
                }
                for name, description in files.items()
            },
        },
    }
    return {
        "requestBody": {
            "content": {
                "application/json": {"schema": json_schema},
                "multipart/form-data": {"schema": form_schema},
            }
        }
    }


def _code_name(obj: Any) -> dict[str, str] | None:
    if obj is None:
        return None
    return {"code": obj.code, "name": obj.name}


def category_out(category: Category) -> dict[str, Any]:
    return {
        "code": category.code,
        "name": category.name,
        "name_en": category.name_en,
        "kind": category.kind,
        "parent_code": category.parent.code if category.parent else None,
        "parent_name": category.parent.name if category.parent else None,
        "default_department": _code_name(category.default_department),
        "acceptance_limit": category.acceptance_limit,
        "acceptance_unit": category.acceptance_unit,
        "handling_limit": category.handling_limit,
        "handling_unit": category.handling_unit,
        "priority": category.priority,
    }


def summary_out(event: Event, *, now: datetime) -> dict[str, Any]:
    level = getattr(event, "warning_level", None) or selectors.event_warning_level(
        event=event, now=now
    )
    return {
        "number": event.number,
        "status": event.status,
        "status_label": str(EventStatus(event.status).label),
        "source": event.source,
        "category": _code_name(event.category),
        "main_category": _code_name(event.category.parent),
        "description": event.description,
        "lat": event.lat,
        "lng": event.lng,
        "is_location_approximate": event.is_location_approximate,
        "address": event.address,
        "grid": _code_name(event.grid),
        "community": _code_name(event.community),
        "urgency": event.urgency,
        "responsible_department": _code_name(event.responsible_department),
        "warning_level": str(level),
        "accept_due_at": event.accept_due_at,
        "handle_due_at": event.handle_due_at,
        "created_at": event.created_at,
        "closed_at": event.closed_at,
        "is_self_resolved": event.is_self_resolved,
    }


def photo_out(photo: EventPhoto, number: str) -> dict[str, Any]:
    return {
        "id": photo.pk,
        "stage": photo.stage,
        "content_type": photo.content_type,
        "size": photo.size,
        "step_id": photo.step_id,
        "url": reverse("api:event_photo", kwargs={"number": number, "photo_id": photo.pk}),
        "created_at": photo.created_at,
    }


def step_out(step: EventStep, photo_ids: list[int]) -> dict[str, Any]:
    return {
        "id": step.pk,
        "action": step.action,
        "label": step.action_label,
        "actor": selectors.step_actor_name(step),
        "actor_unit": selectors.step_actor_unit(step),
        "from_status": step.from_status,
        "to_status": step.to_status,
        "note": step.note,
        "department": _code_name(step.department),
        "created_at": step.created_at,
        "data": step.data,
        "photo_ids": photo_ids,
    }


def assignment_out(assignment: EventAssignment) -> dict[str, Any]:
    return {
        "department": _code_name(assignment.department),
        "role": assignment.role,
        "assigned_at": assignment.assigned_at,
        "reported_in_at": assignment.reported_in_at,
        "result": assignment.result,
        "ended_at": assignment.ended_at,
    }


def detail_out(detail: selectors.EventDetail, *, now: datetime) -> dict[str, Any]:
    """The API's rendering of :func:`selectors.event_detail` (the page renders the same value)."""
    event, history = detail.event, detail.history
    return {
        **summary_out(event, now=now),
        "warning_level": str(detail.warning),
        "reporter_name": event.reporter_name,
        "reporter_phone": detail.masked_phone,
        "responsible_user": event.responsible_user.display_name if event.responsible_user else None,
        "proposed_department": _code_name(detail.proposed_department),
        "status_before_suspension": event.status_before_suspension,
        "extension_requested_until": event.extension_requested_until,
        "accepted_at": event.accepted_at,
        "dispatched_at": event.dispatched_at,
        "handling_started_at": event.handling_started_at,
        "reported_back_at": event.reported_back_at,
        "rejected_at": event.rejected_at,
        "suspended_at": event.suspended_at,
        "merged_into": event.merged_into.number if event.merged_into else None,
        "merged_events": [merged.number for merged in history.merged_events],
        "satisfaction": event.satisfaction,
        "extension_count": event.extension_count,
        "rework_count": event.rework_count,
        "reopen_count": event.reopen_count,
        "timeline": [step_out(step, history.photo_ids_of(step)) for step in history.steps],
        "photos": [photo_out(photo, event.number) for photo in history.photos],
        "assignments": [assignment_out(assignment) for assignment in history.assignments],
        "allowed_actions": [
            {"action": item.action, "label": item.label, "requires": list(item.requires)}
            for item in detail.allowed_actions
        ],
        "can_add_photo": detail.can_add_photo,
        "can_reveal_contact": detail.can_reveal_contact,
    }


def _detail(
    request: HttpRequest, event: Event, *, history: selectors.EventHistory | None = None
) -> dict[str, Any]:
    now = timezone.now()
    detail = selectors.event_detail(user=request.user, event=event, history=history, now=now)
    return detail_out(detail, now=now)


def candidate_out(candidate: Candidate, *, now: datetime) -> dict[str, Any]:
    return {
        "event": summary_out(candidate.event, now=now),
        "distance_metres": round(candidate.distance_metres, 1),
    }


def candidates_out(candidates: Candidates, *, now: datetime) -> dict[str, Any]:
    return {
        "items": [candidate_out(candidate, now=now) for candidate in candidates],
        "more": candidates.more,
        "see_all_url": candidates.see_all_url,
    }


# --- Static paths first: "/{number}" would swallow them ------------------------------------


@router.get("/categories", response=list[CategoryOut], summary="The category catalogue")
def list_categories(request: HttpRequest) -> list[dict[str, Any]]:
    """Active subcategories (小类) with their main category, default department and limits."""
    return [category_out(category) for category in selectors.category_list()]


@router.get("/notifications", response=list[NotificationOut], summary="Your notifications")
def list_notifications(request: HttpRequest, unread: bool = False) -> list[dict[str, Any]]:
    notifications: list[Notification] = list(
        selectors.notification_list(user=request.user, unread_only=unread)
    )
    return [
        {
            "id": item.pk,
            "event_number": item.event.number if item.event else None,
            "link": item.link,
            "kind": item.kind,
            "message": item.text,
            "created_at": item.created_at,
            "read_at": item.read_at,
        }
        for item in notifications
    ]


@router.post("/notifications/read", response=CountOut, summary="Mark notifications read")
def read_notifications(request: JiedaoRequest, payload: NotificationsReadIn) -> dict[str, int]:
    count = services.notification_mark_read(actor=request.user, notification_ids=payload.ids)
    return {"count": count}


def _event_filters(query: EventListQuery) -> selectors.EventFilters:
    return selectors.EventFilters(
        status=[part for value in query.status for part in value.split(",") if part],
        category=query.category,
        grid=query.grid,
        community=query.community,
        department=query.department,
        source=query.source,
        warning=query.warning,
        created_from=query.created_from,
        created_until=query.created_until,
        search=query.search,
    )


class InboxQuery(EventListQuery):
    limit: int = Field(100, description="At most 500")
    tab: str = Field("", description="One tab of the answer's ``tabs`` (its key), or all")


def todo_item_out(item: TodoItem, *, now: datetime) -> dict[str, Any]:
    return {
        **summary_out(item.event, now=now),
        "tab": item.tab,
        "tab_label": item.tab_label,
        "due_at": item.due_at,
        "working_seconds_left": item.time_left.seconds if item.time_left else None,
        "time_left": item.time_left.label if item.time_left else "",
        "returned": item.returned,
        "pressed": item.pressed,
    }


@router.get("/inbox", response=TodoPageOut, summary="Your to-do list")
def inbox(request: HttpRequest, response: HttpResponse, query: Query[InboxQuery]) -> dict[str, Any]:
    """Events on which you can take a workflow step now (accept, dispatch, handle, verify…),
    the most urgent first (overdue, then the nearest deadline, then those without a running
    deadline), with the list's filters, one ``tab`` if given, and the count of every tab: the
    same events, in the same order, with the same counts as the to-do page. When more wait,
    ``next_cursor`` (also the ``X-Next-Cursor`` header) is the ``cursor`` of the next page."""
    now = timezone.now()
    page = event_todo_page(
        user=request.user,
        filters=_event_filters(query),
        tab=query.tab,
        cursor=query.cursor,
        limit=max(1, min(query.limit, selectors.INBOX_MAX_LIMIT)),
        now=now,
    )
    if page.next_cursor:
        response["X-Next-Cursor"] = page.next_cursor
    return {
        "tabs": page.tabs,
        "total": page.total,
        "overdue": page.overdue,
        "items": [todo_item_out(item, now=now) for item in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/", response=EventPageOut, summary="Events in your scope")
def list_events(request: HttpRequest, query: Query[EventListQuery]) -> dict[str, Any]:
    """Newest first, 50 a page; pass ``next_cursor`` back as ``cursor`` for the next page."""
    now = timezone.now()
    page = selectors.event_list(
        user=request.user,
        filters=_event_filters(query),
        cursor=query.cursor,
        limit=query.limit,
        now=now,
    )
    return {
        "items": [summary_out(event, now=now) for event in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/export", summary="The event list as an Excel workbook or CSV")
def export_events(
    request: HttpRequest, query: Query[EventListQuery], format: str = "xlsx"
) -> HttpResponse:
    """The events of your scope that the list's filters select, newest first, as ``xlsx`` or
    ``csv`` (UTF-8 with BOM); at most 5000 events (more answers 422: narrow the filters).
    ``cursor`` and ``limit`` do not apply."""
    return export_response(
        event_list_export(actor=request.user, filters=_event_filters(query), file_format=format)
    )


@router.post(
    "/",
    response={200: EventCreatedOut, 201: EventCreatedOut},
    summary="Report an event",
    openapi_extra=_body_doc(
        EventIn, {"photos": "Photos before handling", "after_photos": "Photos after (on the spot)"}
    ),
)
def create_event(request: JiedaoRequest) -> Status[dict[str, Any]]:
    """Report an event. Send ``Idempotency-Key`` (or the form field ``client_uuid``): a retry
    with the same key and content answers 200 with the first event; the same key with other
    content answers 422. A new event answers 201, with duplicate candidates nearby."""
    payload: EventIn = _body(request, EventIn)
    outcome = services.event_report(
        actor=request.user,
        category=payload.category,
        description=payload.description,
        lat=payload.lat,
        lng=payload.lng,
        crs=payload.crs,
        grid=payload.grid,
        address=payload.address,
        source=payload.source,
        urgency=payload.urgency,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        photos=request.FILES.getlist("photos"),
        self_resolved=payload.self_resolved,
        after_photos=request.FILES.getlist("after_photos"),
        resolution_note=payload.resolution_note,
        client_key=request.headers.get("Idempotency-Key") or payload.client_uuid,
    )
    now = timezone.now()
    event = outcome.event
    if outcome.history is None:
        event = selectors.event_get(user=request.user, number=event.number)
    candidates = selectors.event_duplicate_candidates(user=request.user, event=event)
    body = {
        **_detail(request, event, history=outcome.history),
        "duplicate_candidates": [candidate_out(candidate, now=now) for candidate in candidates],
        "duplicate_candidates_more": candidates.more,
        "duplicate_candidates_url": candidates.see_all_url,
    }
    return Status(201 if outcome.created else 200, body)


@router.get("/{number}", response=EventDetailOut, summary="One event with its timeline")
def event_detail(request: HttpRequest, number: str) -> dict[str, Any]:
    event = selectors.event_get(user=request.user, number=number)
    return _detail(request, event)


@router.post(
    "/{number}/actions/{action}",
    response=EventDetailOut,
    summary="Take a workflow action",
    openapi_extra=_body_doc(TransitionIn, {"photos": "Photos of this step"}),
)
def event_action(request: JiedaoRequest, number: str, action: str) -> dict[str, Any]:
    """Apply ``action`` (accept, dispatch, start_handling, return, report_back, verify_pass, …;
    the detail's ``allowed_actions`` lists yours). 409 when the event's status does not allow
    it, 403 when your role or department may not, 422 when data is missing."""
    payload: TransitionIn = _body(request, TransitionIn, lists=("departments",))
    event = selectors.event_get(user=request.user, number=number)
    services.event_transition(
        event=event,
        action=action,
        actor=request.user,
        photos=request.FILES.getlist("photos"),
        note=payload.note or "",
        reason=payload.reason or "",
        department=payload.department,
        departments=payload.departments or (),
        working_days=payload.working_days,
        approve=payload.approve,
        satisfaction=payload.satisfaction,
        primary=payload.primary,
        deadline=payload.deadline,
    )
    event = selectors.event_get(user=request.user, number=number)
    return _detail(request, event)


@router.get("/{number}/duplicates", response=CandidatesOut, summary="Possible duplicates nearby")
def event_duplicates(request: HttpRequest, number: str) -> dict[str, Any]:
    """The nearest few, how many more there are and where to see them all."""
    event = selectors.event_get(user=request.user, number=number)
    return candidates_out(
        selectors.event_duplicate_candidates(user=request.user, event=event), now=timezone.now()
    )


@router.post(
    "/{number}/photos",
    response={201: PhotosAddedOut},
    summary="Add photos",
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "photos": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                            },
                            "stage": {"type": "string", "enum": ["before", "handling", "after"]},
                            "step": {"type": "integer", "description": "One of your steps"},
                        },
                        "required": ["photos"],
                    }
                }
            }
        }
    },
)
def add_photos(request: JiedaoRequest, number: str) -> Status[dict[str, Any]]:
    """Add JPEG, PNG or WebP photos (checked by content) to one of your steps, or as a step."""
    step_text = request.POST.get("step", "")
    if step_text and not step_text.isdigit():
        raise InvalidInput(_("step must be a step id."), field="step")
    event = selectors.event_get(user=request.user, number=number)
    photos = services.event_photo_add(
        event=event,
        actor=request.user,
        photos=request.FILES.getlist("photos"),
        stage=request.POST.get("stage", ""),
        step_id=int(step_text) if step_text else None,
    )
    return Status(201, {"photos": [photo_out(photo, event.number) for photo in photos]})


@router.get(
    "/{number}/photos/{photo_id}",
    url_name="event_photo",
    summary="A photo's file",
    response={200: None},
)
def photo_file(request: HttpRequest, number: str, photo_id: int) -> HttpResponse:
    """The same answer as the page's photo address (one function decides and streams)."""
    return photo_response(user=request.user, number=number, photo_id=photo_id)


@router.post("/{number}/contact", response=ContactOut, summary="Reveal the reporter's phone")
def reveal_contact(request: JiedaoRequest, number: str) -> dict[str, str]:
    """The reporter's full phone number, for those who must call back. Logged in the audit
    trail."""
    event = selectors.event_get(user=request.user, number=number)
    phone = services.event_contact_reveal(event=event, actor=request.user)
    return {"reporter_name": event.reporter_name, "reporter_phone": phone}
