"""Reads of events, already narrowed to what the user may see.

Visibility (``jiedao.events.policy.SCOPES["events.event"]``): a grid worker sees the
events of their grid, a community lead those of their community, department staff those their
department is responsible for or was called to, dispatchers, supervisors and administrators the
whole subdistrict — and everyone the events they reported themselves (a resident sees only
those). An event outside that answers 404, exactly like a missing one.

What a user may *do* with a visible event is :func:`event_allowed_actions`, computed from the
transition table in :mod:`jiedao.events.workflow` with the same checks the service applies
(:func:`check_transition`), so pages and the API offer exactly what would succeed.

Main entry points:

* ``event_list(user=, filters=, cursor=, limit=) -> EventPage`` — filtered, keyset-paginated by
  (created_at, id) newest first; each event carries ``warning_level`` (annotated by the database).
* ``event_get(user=, number=)``, ``event_detail(user=, event=)`` — what the detail page and the
  API's detail both show: ``event_history(event=)`` (steps, photos, assignments and merged
  events at once), ``event_allowed_actions(event=, user=)``, the masked contact.
* ``event_inbox(user=, filters=)`` — the events waiting for this user's action, from the same
  table (``waiting_conditions``); :mod:`jiedao.events.todo` orders them by urgency, in tabs,
  for the to-do page and ``/api/events/inbox``.
* ``event_photo_get(user=, number=, photo_id=)`` — a photo, for whoever may see its event.
* ``event_duplicate_candidates(user=, event=)`` — see :mod:`jiedao.events.duplicates`.
* ``category_list()``, ``category_tree()``, ``notification_list(user=)``.
"""

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import SYSTEM, can, get_in_scope, require, scoped
from jiedao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from jiedao.core.localtime import local_end, local_start, local_zone
from jiedao.core.pii import mask_phone
from jiedao.geo.models import Community, Department, Grid, Subdistrict

from .deadlines import warning_level, warning_level_expression, warning_level_q
from .duplicates import Candidates, find_candidates, see_all_url
from .history import (
    EventHistory,
    event_history,
    step_actor_name,  # noqa: F401
    step_actor_unit,  # noqa: F401
)
from .models import Category, Event, EventPhoto, Notification

# The relations and guards live in policy.py; their names stay importable from here.
from .policy import (
    GUARD_MESSAGES,
    GUARD_Q,
    RELATION_MESSAGES,
    guard_holds,
    pending_cooperation,  # noqa: F401
    relation_holds,
    relation_q,
)
from .routing import route_propose_many
from .workflow import (
    CONTACT_RELATIONS,
    OPEN_STATES,
    PHOTO_RELATIONS,
    TRANSITIONS,
    WAITING_ACTIONS,
    Action,
    Source,
    Status,
    Transition,
    WarningLevel,
    actions_in,
    transition_for,
)

# --- What a user may do with a visible event (shared with the services) --------------------


def check_transition(event: Event, action: str, user: Any) -> Transition:
    """The table's row for ``action`` on ``event`` by ``user``, or the error the service gives:
    404 for an unknown action, 403 when the role or the relation is missing, 409 when the status
    or a guard does not allow it. ``event`` must already be visible to ``user``."""
    if action not in Action.values or action == Action.REPORT:
        raise NotFound(
            _("Unknown action “%(action)s”.") % {"action": action},
            code="unknown_action",
            field="action",
        )
    label = Action(action).label
    require(user, f"events.{action}")
    transition = transition_for(event.status, action)
    if transition is None:
        raise Conflict(
            _("Cannot %(action)s event %(number)s: it is %(status)s.")
            % {
                "action": label,
                "number": event.number,
                "status": Status(event.status).label,
            },
            code="invalid_transition",
            extra={"status": event.status, "action": action},
        )
    if user is not SYSTEM:
        relation = transition.allowed.get(user.role)
        if relation is None:
            raise Forbidden(
                _("Your role (%(role)s) may not %(action)s an event that is %(status)s.")
                % {
                    "role": Role(user.role).label,
                    "action": label,
                    "status": Status(event.status).label,
                },
            )
        if not relation_holds(relation, event, user):
            department = event.responsible_department
            raise Forbidden(
                RELATION_MESSAGES[relation]
                % {"number": event.number, "department": department.name if department else "—"},
                code="not_your_event",
            )
    if transition.guard is not None and not guard_holds(transition.guard, event):
        raise Conflict(
            GUARD_MESSAGES[transition.guard] % {"number": event.number},
            code="invalid_transition",
            extra={"status": event.status, "action": action, "guard": str(transition.guard)},
        )
    return transition


@dataclass(frozen=True)
class AllowedAction:
    action: str
    label: str
    requires: tuple[str, ...]


def event_allowed_actions(*, event: Event, user: Any) -> list[AllowedAction]:
    """The actions ``user`` may take on ``event`` now, in table order (for buttons and the API).
    Internal actions (following a primary event) are never offered."""
    allowed = []
    for action in actions_in(event.status):
        if action == Action.FOLLOW_PRIMARY or not can(user, f"events.{action}"):
            continue
        try:
            transition = check_transition(event, action, user)
        except (Forbidden, Conflict, NotFound):
            continue
        allowed.append(AllowedAction(action, str(Action(action).label), transition.requires))
    return allowed


def can_reveal_contact(*, event: Event, user: Any) -> bool:
    """Whether ``user`` may see the reporter's full phone number (revealing it is logged)."""
    relation = CONTACT_RELATIONS.get(getattr(user, "role", ""))
    if user is SYSTEM:
        return True
    return relation is not None and relation_holds(relation, event, user)


def can_add_photo(*, event: Event, user: Any) -> bool:
    if event.status not in OPEN_STATES:
        return False
    if user is SYSTEM:
        return True
    relation = PHOTO_RELATIONS.get(getattr(user, "role", ""))
    return relation is not None and relation_holds(relation, event, user)


def can_self_resolve(user: Any) -> bool:
    """Whether ``user`` may close their own report on the spot (自行处置): the workflow table's
    row decides, for the report form's checkbox and for the intake alike."""
    if user is SYSTEM:
        return True
    return getattr(user, "role", "") in TRANSITIONS[(Status.REPORTED, Action.SELF_RESOLVE)].allowed


def reporter_phone_masked(event: Event) -> str:
    return mask_phone(event.reporter_phone)


# --- Events ---------------------------------------------------------------------------------

LIST_RELATED = ("category__parent", "grid", "community", "responsible_department")


def event_queryset(*, user: Any) -> QuerySet[Event]:
    """Every event ``user`` may see (no ordering, no related objects)."""
    require(user, "events.view")
    return scoped(user, Event.objects.all())


def event_get(*, user: Any, number: str) -> Event:
    """One visible event by number, with what its detail shows; NotFound otherwise."""
    require(user, "events.view")
    queryset = Event.objects.select_related(
        *LIST_RELATED,
        "subdistrict",
        "reported_by",
        "responsible_user",
        "proposed_department",
        "merged_into",
    )
    return get_in_scope(user, queryset, number=number)


def event_photo_get(*, user: Any, number: str, photo_id: int) -> EventPhoto:
    require(user, "events.view")
    return get_in_scope(
        user, EventPhoto.objects.select_related("event"), event__number=number, pk=photo_id
    )


def event_warning_level(*, event: Event, now: datetime | None = None) -> WarningLevel:
    return warning_level(event, now or timezone.now())


@dataclass(frozen=True)
class EventDetail:
    """An event's detail as every door shows it (the page and the API render this one value)."""

    event: Event
    history: EventHistory
    warning: WarningLevel
    allowed_actions: list[AllowedAction]
    # Recorded on acceptance; while the event is reported, the duty matrix's proposal.
    proposed_department: Department | None
    masked_phone: str
    can_add_photo: bool
    can_reveal_contact: bool


def event_detail(
    *,
    user: Any,
    event: Event,
    history: EventHistory | None = None,
    now: datetime | None = None,
) -> EventDetail:
    """The detail of ``event`` (from :func:`event_get`) for ``user``: its timeline with the photos
    of each step, assignments, merged events, the actions ``user`` may take now, and the
    reporter's phone masked. Pass ``history`` when it is already at hand (a new report). The
    number of statements does not grow with the steps, photos or assignments."""
    history = history or event_history(event=event)
    proposed = event.proposed_department
    if proposed is None and event.status == Status.REPORTED:
        proposed = route_propose_many([event]).get(event.pk)
    return EventDetail(
        event=event,
        history=history,
        warning=event_warning_level(event=event, now=now),
        allowed_actions=event_allowed_actions(event=event, user=user),
        proposed_department=proposed,
        masked_phone=reporter_phone_masked(event),
        can_add_photo=can_add_photo(event=event, user=user),
        # Nothing to reveal without a number; otherwise the permission and the relation.
        can_reveal_contact=bool(event.reporter_phone)
        and can(user, "events.reveal_contact")
        and can_reveal_contact(event=event, user=user),
    )


@dataclass
class EventFilters:
    """What a list of events is narrowed to, whichever door asks: the staff list and its API
    apply it to the user's scoped events, the portal and Open311 to the public ones. Codes are
    validated (an unknown one is a 422 naming the field), except the service codes and numbers
    a public client sends, which simply match nothing."""

    status: Sequence[str] = field(default_factory=list)
    category: str = ""  # a subcategory code, or a main category code for all its subcategories
    service_codes: Sequence[str] = ()  # exact category codes (Open311's service_code)
    numbers: Sequence[str] = ()
    subdistrict: str = ""  # subdistrict code
    grid: str = ""
    community: str = ""
    department: str = ""  # responsible department code
    source: str = ""
    warning: str = ""  # none, yellow or red
    created_from: date | datetime | None = None
    created_until: date | datetime | None = None
    search: str = ""  # number, or words of the description or address


@dataclass(frozen=True)
class EventPage:
    items: Sequence[Event]
    next_cursor: str | None


def encode_cursor(event: Event) -> str:
    return keyset_cursor(event.created_at, event.pk)


def keyset_cursor(created_at: datetime, pk: int) -> str:
    """The cursor of a list ordered by (created_at, id) at that row (:func:`decode_cursor`)."""
    raw = f"{created_at.isoformat()}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        moment_text, pk_text = raw.split("|")
        moment = parse_datetime(moment_text)
        if moment is None or moment.utcoffset() is None:
            raise ValueError(moment_text)
        return moment, int(pk_text)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise InvalidInput(
            _("The cursor is not one this list gave out; start again without it."),
            code="bad_cursor",
            field="cursor",
        ) from None


def _local_bound(value: date | datetime, *, end: bool) -> datetime:
    if isinstance(value, datetime):
        return value if value.utcoffset() is not None else value.replace(tzinfo=local_zone())
    return local_end(value) if end else local_start(value)


def _ids_by_code(
    model: type[Grid | Community | Department], code: str, field: str, message: Any
) -> list[int]:
    ids = list(model.objects.filter(code=code).values_list("pk", flat=True))
    if not ids:
        raise InvalidInput(message % {"code": code}, code=f"unknown_{field}", field=field)
    return ids


def filter_events(
    events: QuerySet[Event], filters: EventFilters, *, now: datetime | None = None
) -> QuerySet[Event]:
    """``events`` narrowed by ``filters``; unknown codes and values are 422 naming the field."""
    now = now or timezone.now()
    if filters.status:
        unknown = [value for value in filters.status if value not in Status.values]
        if unknown:
            raise InvalidInput(
                _("Unknown status “%(value)s”: use one of %(choices)s.")
                % {"value": unknown[0], "choices": ", ".join(Status.values)},
                field="status",
            )
        events = events.filter(status__in=filters.status)
    if filters.category:
        category = Category.objects.filter(code=filters.category).first()
        if category is None:
            raise InvalidInput(
                _("Unknown category code “%(code)s”.") % {"code": filters.category},
                code="unknown_category",
                field="category",
            )
        events = events.filter(Q(category=category) | Q(category__parent=category))
    if filters.service_codes:
        events = events.filter(category__code__in=list(filters.service_codes))
    if filters.numbers:
        events = events.filter(number__in=list(filters.numbers))
    if filters.subdistrict:
        # A scalar subquery rather than a join: see the public lists (portal.selectors.publishable).
        subdistrict = Subdistrict.objects.filter(code=filters.subdistrict).values("pk")[:1]
        events = events.filter(subdistrict_id=Subquery(subdistrict))
    if filters.grid:
        events = events.filter(
            grid_id__in=_ids_by_code(Grid, filters.grid, "grid", _("Unknown grid code “%(code)s”."))
        )
    if filters.community:
        events = events.filter(
            community_id__in=_ids_by_code(
                Community, filters.community, "community", _("Unknown community code “%(code)s”.")
            )
        )
    if filters.department:
        # Department codes are unique per subdistrict: the code means the department of each.
        events = events.filter(
            responsible_department_id__in=_ids_by_code(
                Department,
                filters.department,
                "department",
                _("Unknown department code “%(code)s”."),
            )
        )
    if filters.source:
        if filters.source not in Source.values:
            raise InvalidInput(
                _("Unknown source “%(value)s”: use one of %(choices)s.")
                % {"value": filters.source, "choices": ", ".join(Source.values)},
                field="source",
            )
        events = events.filter(source=filters.source)
    if filters.warning:
        if filters.warning not in WarningLevel.values:
            raise InvalidInput(
                _("Unknown warning level “%(value)s”: use none, yellow or red.")
                % {"value": filters.warning},
                field="warning",
            )
        events = events.filter(warning_level_q(filters.warning, now))
    if filters.created_from:
        events = events.filter(created_at__gte=_local_bound(filters.created_from, end=False))
    if filters.created_until:
        events = events.filter(created_at__lte=_local_bound(filters.created_until, end=True))
    if filters.search:
        text = filters.search.strip()
        events = events.filter(
            Q(number__iexact=text) | Q(description__icontains=text) | Q(address__icontains=text)
        )
    return events


def event_list(
    *,
    user: Any,
    filters: EventFilters | None = None,
    cursor: str = "",
    limit: int = 50,
    now: datetime | None = None,
) -> EventPage:
    """One page of visible events, newest first, by keyset (created_at, id): pass the previous
    page's ``next_cursor`` for the next. Each event has ``warning_level`` annotated."""
    now = now or timezone.now()
    if not 1 <= limit <= 200:
        raise InvalidInput(
            _("limit must be between 1 and 200, not %(limit)s.") % {"limit": limit},
            field="limit",
        )
    events = filter_events(event_queryset(user=user), filters or EventFilters(), now=now)
    if cursor:
        moment, pk = decode_cursor(cursor)
        events = events.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))
    items = list(
        events.select_related(*LIST_RELATED)
        .annotate(warning_level=warning_level_expression(now))
        .order_by("-created_at", "-id")[: limit + 1]
    )
    next_cursor = encode_cursor(items[limit - 1]) if len(items) > limit else None
    return EventPage(items=items[:limit], next_cursor=next_cursor)


INBOX_MAX_LIMIT = 500


def waiting_conditions(user: Any) -> dict[str, Q]:
    """Waiting action → the events on which ``user`` can take it now: for every row of the table
    whose action is one of ``WAITING_ACTIONS`` and that the user's role may take, its status,
    relation and guard. The actions the role never takes are absent."""
    role = getattr(user, "role", "")
    conditions: dict[str, Q] = {}
    for (status, action), transition in TRANSITIONS.items():
        if action not in WAITING_ACTIONS or role not in transition.allowed:
            continue
        condition = Q(status=status) & relation_q(transition.allowed[role], user)
        if transition.guard is not None:
            condition &= GUARD_Q[transition.guard]
        conditions[action] = conditions[action] | condition if action in conditions else condition
    return conditions


def event_inbox(
    *, user: Any, filters: EventFilters | None = None, now: datetime | None = None
) -> QuerySet[Event]:
    """The visible events waiting for ``user``'s action: every row of the table whose action is
    one of ``WAITING_ACTIONS`` (accept, dispatch, handle, report back, verify, decide an
    extension, report in) and that the user's role may take, with its relation and guard;
    narrowed by ``filters`` like the list. Oldest first (the longest waiting on top), with
    ``warning_level``."""
    now = now or timezone.now()
    events = event_queryset(user=user)
    waiting = Q(pk__in=[])
    for condition in waiting_conditions(user).values():
        waiting |= condition
    return (
        filter_events(events.filter(waiting), filters or EventFilters(), now=now)
        .select_related(*LIST_RELATED)
        .annotate(warning_level=warning_level_expression(now))
        .order_by("created_at", "id")
    )


def event_duplicate_candidates(*, user: Any, event: Event) -> Candidates:
    """Open events that may report the same thing as ``event`` (within the configured radius
    and window), among those ``user`` may see: the nearest few, the count of all, a link."""
    require(user, "events.view")
    return find_candidates(
        lambda: event_queryset(user=user),
        category_id=event.category_id,
        lat=event.lat,
        lng=event.lng,
        reported_at=event.created_at,
        exclude_id=event.pk,
        see_all=see_all_url(
            category_code=event.category.code,
            grid_code=event.grid.code if event.grid_id else "",
            reported_at=event.created_at,
        ),
    )


# --- Catalogue ------------------------------------------------------------------------------


def category_list(*, include_main: bool = False) -> QuerySet[Category]:
    """Active categories events can be filed under (subcategories), with their parent; with
    ``include_main`` the main categories too. The catalogue is public: residents pick from it."""
    categories = Category.objects.filter(is_active=True).select_related(
        "parent", "default_department"
    )
    if not include_main:
        categories = categories.filter(parent__isnull=False, parent__is_active=True)
    return categories.order_by("code")


def category_tree() -> list[tuple[Category, list[Category]]]:
    """(main category, its active subcategories) in code order, for pickers."""
    children: dict[int, list[Category]] = {}
    mains: list[Category] = []
    for category in category_list(include_main=True):
        if category.parent_id is None:
            mains.append(category)
        else:
            children.setdefault(category.parent_id, []).append(category)
    return [(main, children.get(main.pk, [])) for main in mains if children.get(main.pk)]


# --- Notifications --------------------------------------------------------------------------


def notification_list(
    *, user: Any, unread_only: bool = False, limit: int = 50
) -> QuerySet[Notification]:
    notifications = scoped(user, Notification.objects.select_related("event__category"))
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.order_by("-created_at", "-id")[:limit]


def notification_unread_count(*, user: Any) -> int:
    return scoped(user, Notification.objects.filter(read_at__isnull=True)).count()
