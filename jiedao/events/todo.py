"""The to-do list (待办): the events waiting for one user's action, the most urgent first.

Which events wait for a user is the inbox's question (:func:`jiedao.events.selectors.
event_inbox`): every row of the workflow table whose action is one of ``WAITING_ACTIONS`` and
that the user's role may take, with its relation and guard. This module orders them by urgency
and groups them into tabs; the to-do page and ``/api/events/inbox`` both read
:func:`event_todo_page`, so they list the same events in the same order with the same counts.

* **Order**: by the deadline that runs in the event's status (acceptance while reported,
  handling while accepted, dispatched or handling), earliest first — so the overdue come first,
  the most overdue on top, then the nearest deadlines — then the events without a running
  deadline (waiting for verification, an extension decision …), the longest waiting first.
* **Tabs**: one per waiting action the role takes somewhere in the table (:data:`TAB_OF_ACTION`
  groups them: 待受理, 待派遣, 待处置, 处置中, 待审批延期, 待报到, 待核查), plus 已超期 for those
  past their deadline. Tabs come from the table, so a role never has a tab it cannot act in.
* **Flags**: an event a department returned (退回, with its reason and department) while it waits
  for a new dispatch, and an unanswered 督办/催办 (with the supervision's deadline and note).

The page and the counts cost a constant number of statements whatever the number of events: one
for the counts and one for the page's rows (the flags are subqueries of the rows' statement).
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import InvalidInput

from .deadlines import TimeLeft, time_left, warning_level_q
from .models import Event, EventStep
from .selectors import INBOX_MAX_LIMIT, EventFilters, event_inbox, waiting_conditions
from .workflow import ACCEPT_PHASE, HANDLE_PHASE, Action, Status, WarningLevel

# Waiting action → (tab, its label), in the order the tabs are shown. Several actions may share a
# tab; every waiting action has one (a test holds this against WAITING_ACTIONS).
TAB_OF_ACTION: dict[str, tuple[str, Promise]] = {
    Action.ACCEPT: ("accept", _("To accept")),
    Action.DISPATCH: ("dispatch", _("To dispatch")),
    Action.START_HANDLING: ("handle", _("To handle")),
    Action.REPORT_BACK: ("handling", _("Handling")),
    Action.DECIDE_EXTENSION: ("extension", _("Extensions to decide")),
    Action.REPORT_IN: ("report_in", _("To report in")),
    Action.VERIFY_PASS: ("verify", _("To verify")),
}
OVERDUE = "overdue"
OVERDUE_LABEL = _("Overdue")


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Returned:
    """The department that returned the event as not its duty, and why (退回)."""

    reason: str
    department: str
    at: datetime


@dataclass(frozen=True)
class Pressed:
    """An unanswered 催办 (``urge``) or 督办 (``supervise``), with its deadline and note."""

    kind: str
    label: str
    since: datetime
    deadline: date | None
    note: str


@dataclass(frozen=True)
class TodoItem:
    event: Event
    tab: str
    tab_label: str
    due_at: datetime | None
    time_left: TimeLeft | None
    warning: str
    returned: Returned | None
    pressed: Pressed | None


@dataclass(frozen=True)
class TodoPage:
    """One page of the to-do list, with the counts of the whole list (not only this page)."""

    items: list[TodoItem]
    tabs: list[Tab]
    total: int
    overdue: int
    next_cursor: str | None


def tab_conditions(user: Any) -> dict[str, Q]:
    """Tab → the events of that tab among those waiting for ``user``, in tab order; only the
    tabs of the actions the user's role takes somewhere in the workflow table."""
    by_action = waiting_conditions(user)
    tabs: dict[str, Q] = {}
    for action, (key, _label) in TAB_OF_ACTION.items():
        if action in by_action:
            tabs[key] = tabs[key] | by_action[action] if key in tabs else by_action[action]
    return tabs


TAB_LABELS: dict[str, Promise] = {key: label for key, label in TAB_OF_ACTION.values()}


def _due_expression() -> Case:
    """The deadline that runs in the event's status (None when none runs)."""
    return Case(
        When(status__in=ACCEPT_PHASE, then=F("accept_due_at")),
        When(status__in=HANDLE_PHASE, then=F("handle_due_at")),
        default=None,
        output_field=DateTimeField(),
    )


def _annotated(events: QuerySet[Event], tabs: dict[str, Q]) -> QuerySet[Event]:
    routing = EventStep.objects.filter(
        event=OuterRef("pk"), action__in=[Action.RETURN, Action.DISPATCH]
    ).order_by("-created_at", "-id")
    pressing = EventStep.objects.filter(
        event=OuterRef("pk"), action__in=[Action.URGE, Action.SUPERVISE]
    ).order_by("-created_at", "-id")
    return events.annotate(
        todo_due=_due_expression(),
        # Keyset of the order: (no deadline, deadline or reported at, id).
        todo_no_due=Case(
            When(todo_due__isnull=True, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        ),
        todo_sort_at=Coalesce("todo_due", "created_at"),
        todo_tab=Case(
            *[When(condition, then=Value(key)) for key, condition in tabs.items()],
            default=Value(""),
            output_field=CharField(),
        ),
        last_routing_action=Subquery(routing.values("action")[:1], output_field=CharField()),
        last_routing_note=Subquery(routing.values("note")[:1], output_field=TextField()),
        last_routing_department=Subquery(
            routing.values("department__name")[:1], output_field=CharField()
        ),
        last_routing_at=Subquery(routing.values("created_at")[:1], output_field=DateTimeField()),
        last_pressing_note=Subquery(pressing.values("note")[:1], output_field=TextField()),
    )


def encode_cursor(event: Event) -> str:
    moment: datetime = event.todo_sort_at  # type: ignore[attr-defined]
    raw = f"{event.todo_no_due}|{moment.isoformat()}|{event.pk}"  # type: ignore[attr-defined]
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        no_due_text, moment_text, pk_text = raw.split("|")
        moment = parse_datetime(moment_text)
        if moment is None or moment.utcoffset() is None or no_due_text not in ("0", "1"):
            raise ValueError(moment_text)
        return int(no_due_text), moment, int(pk_text)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise InvalidInput(
            _("The cursor is not one this list gave out; start again without it."),
            code="bad_cursor",
            field="cursor",
        ) from None


def _item(event: Event, now: datetime) -> TodoItem:
    due: datetime | None = event.todo_due  # type: ignore[attr-defined]
    tab: str = event.todo_tab  # type: ignore[attr-defined]
    returned = None
    if (
        event.status == Status.ACCEPTED and event.last_routing_action == Action.RETURN  # type: ignore[attr-defined]
    ):
        returned = Returned(
            reason=event.last_routing_note or "",  # type: ignore[attr-defined]
            department=event.last_routing_department or "",  # type: ignore[attr-defined]
            at=event.last_routing_at,  # type: ignore[attr-defined]
        )
    pressed = None
    if event.supervision_kind and event.supervision_since is not None:
        pressed = Pressed(
            kind=event.supervision_kind,
            label=str(Action(event.supervision_kind).label),
            since=event.supervision_since,
            deadline=event.supervision_deadline,
            note=event.last_pressing_note or "",  # type: ignore[attr-defined]
        )
    return TodoItem(
        event=event,
        tab=tab,
        tab_label=str(TAB_LABELS.get(tab, "")),
        due_at=due,
        time_left=time_left(due, now) if due is not None else None,
        warning=getattr(event, "warning_level", WarningLevel.NONE),
        returned=returned,
        pressed=pressed,
    )


def event_todo_page(
    *,
    user: Any,
    filters: EventFilters | None = None,
    tab: str = "",
    cursor: str = "",
    limit: int = 100,
    now: datetime | None = None,
) -> TodoPage:
    """One page of ``user``'s to-do list, the most urgent first (see the module's docstring),
    narrowed by ``filters`` like the event list and to one ``tab`` when given; the counts of
    every tab are of the filtered list. Pass the page's ``next_cursor`` back for the next."""
    now = now or timezone.now()
    if not 1 <= limit <= INBOX_MAX_LIMIT:
        raise InvalidInput(
            _("limit must be between 1 and %(maximum)s, not %(limit)s.")
            % {"maximum": INBOX_MAX_LIMIT, "limit": limit},
            field="limit",
        )
    tabs = tab_conditions(user)
    if tab and tab != OVERDUE and tab not in tabs:
        raise InvalidInput(
            _("There is no tab “%(tab)s” in your to-do list.") % {"tab": tab},
            code="unknown_tab",
            field="tab",
        )
    waiting = event_inbox(user=user, filters=filters, now=now)
    overdue_q = warning_level_q(WarningLevel.RED, now)
    counts = waiting.order_by().aggregate(
        total=Count("pk", distinct=True),
        overdue=Count("pk", filter=overdue_q, distinct=True),
        **{f"tab_{key}": Count("pk", filter=q, distinct=True) for key, q in tabs.items()},
    )
    events = _annotated(waiting, tabs)
    if tab == OVERDUE:
        events = events.filter(overdue_q)
    elif tab:
        events = events.filter(tabs[tab])
    if cursor:
        no_due, moment, pk = decode_cursor(cursor)
        events = events.filter(
            Q(todo_no_due__gt=no_due)
            | Q(todo_no_due=no_due, todo_sort_at__gt=moment)
            | Q(todo_no_due=no_due, todo_sort_at=moment, pk__gt=pk)
        )
    rows = list(events.order_by("todo_no_due", "todo_sort_at", "id")[: limit + 1])
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return TodoPage(
        items=[_item(event, now) for event in rows[:limit]],
        tabs=[Tab(key=key, label=str(TAB_LABELS[key]), count=counts[f"tab_{key}"]) for key in tabs]
        + [Tab(key=OVERDUE, label=str(OVERDUE_LABEL), count=counts["overdue"])],
        total=counts["total"],
        overdue=counts["overdue"],
        next_cursor=next_cursor,
    )


@dataclass(frozen=True)
class TodoCounts:
    total: int
    overdue: int


def event_todo_counts(*, user: Any, now: datetime | None = None) -> TodoCounts:
    """How many events wait for ``user`` and how many of them are overdue (one statement): the
    figures of the to-do list's first tab row, for the home page."""
    now = now or timezone.now()
    counts = (
        event_inbox(user=user, now=now)
        .order_by()
        .aggregate(
            total=Count("pk", distinct=True),
            overdue=Count("pk", filter=warning_level_q(WarningLevel.RED, now), distinct=True),
        )
    )
    return TodoCounts(total=counts["total"], overdue=counts["overdue"])
