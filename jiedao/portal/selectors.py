"""Public-safe reads of events, shared by the portal's pages and Open311.

Everything that leaves through a public door is built here, from the events models, as plain
:class:`PublicEvent` / :class:`PublicStep` values that *cannot* carry what must stay inside:

* no reporter name, phone or e-mail, no staff name (steps are labelled by what happened, never
  by who did it), no photo, no note of a step that is not public (see ``PUBLIC_NOTES``) or that
  is flagged ``internal`` in its data;
* the location rounded to 3 decimals (:mod:`jiedao.portal.privacy`), text scrubbed of phone and
  ID numbers;
* events hidden by moderation or of a private category (``settings.PORTAL_PRIVATE_CATEGORIES``)
  are not public at all. A reporter still follows a hidden report with its follow code.

One publication rule for every source: an event of any source (grid patrol, residents, 12345,
sensors) is public unless it is of a private category or a dispatcher hid it, and the moderation
queue lists exactly those events (:func:`publishable`), so whatever the public sees can be hidden.
The only photos that leave are a report's "after" photos, to the holder of its follow code.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery, TextField
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import InvalidInput, NotFound
from jiedao.events.catalogue import category_by_code, category_by_id
from jiedao.events.models import Category, Event, EventPhoto, EventStep
from jiedao.events.selectors import (
    EventFilters,
    category_tree,
    decode_cursor,
    event_allowed_actions,
    filter_events,
    keyset_cursor,
)
from jiedao.events.workflow import (
    ACCEPT_PHASE,
    FINAL_STATES,
    HANDLE_PHASE,
    Action,
    PhotoStage,
    Status,
)

from .actors import FollowCodeHolder
from .models import PublicReport, PublicVisibility
from .privacy import public_coordinate, scrub_text
from .rating import rating_word
from .tokens import check_code, follow_code

# The status in plain words, for residents.
PLAIN_STATUS = {
    Status.REPORTED: _("Received, waiting to be accepted"),
    Status.ACCEPTED: _("Accepted, being assigned"),
    Status.DISPATCHED: _("Assigned to the responsible department"),
    Status.HANDLING: _("Being handled"),
    Status.REPORTED_BACK: _("Handled, being checked on the spot"),
    Status.CLOSED: _("Closed: the problem has been dealt with"),
    Status.SUSPENDED: _("On hold: a long-term case"),
    Status.REJECTED: _("Not accepted"),
    Status.MERGED: _("Merged with an earlier report of the same problem"),
}

# The steps the public sees, in plain words. Steps not listed (urging, supervision, calls,
# returns between departments, deadline warnings, photos) stay inside.
PUBLIC_STEPS = {
    Action.REPORT: _("Report received"),
    Action.SELF_RESOLVE: _("Resolved on the spot by the grid worker"),
    Action.ACCEPT: _("Accepted"),
    Action.REJECT: _("Not accepted"),
    Action.MERGE: _("Merged with an earlier report of the same problem"),
    Action.DISPATCH: _("Assigned to a department"),
    Action.START_HANDLING: _("Handling started"),
    Action.REPORT_BACK: _("Handled, waiting for the check on the spot"),
    Action.VERIFY_PASS: _("Checked on the spot and closed"),
    Action.VERIFY_FAIL: _("Sent back for more work after the check"),
    Action.SUSPEND: _("Put on hold as a long-term case"),
    Action.RESUME: _("Handling resumed"),
    Action.REOPEN: _("Reopened"),
    Action.RATE: _("Rated by the resident"),
    Action.FOLLOW_PRIMARY: _("Closed together with the earlier report"),
}
# Steps whose note is written for the resident: why a report was not accepted, what was done.
PUBLIC_NOTES = frozenset(EventStep.PUBLIC_NOTE_ACTIONS)
# Steps that show the department involved (a public agency, never a person).
DEPARTMENT_STEPS = frozenset({Action.DISPATCH})

# The deadlines a public page names, by kind (see PublicEvent.deadline).
DEADLINE_ACCEPT = "accept"
DEADLINE_HANDLE = "handle"
DEADLINE_LABELS = {
    DEADLINE_ACCEPT: _("To be accepted by"),
    DEADLINE_HANDLE: _("To be handled by"),
}

# Open311's "closed": the workflow's final states.
OPEN311_CLOSED = FINAL_STATES


@dataclass(frozen=True)
class PublicStep:
    at: datetime
    action: str
    label: str
    note: str
    department: str


@dataclass(frozen=True)
class PublicEvent:
    number: str
    service_code: str
    service_name: str
    group: str
    status: str
    status_label: str
    is_open: bool
    description: str
    lat: float
    lng: float
    area: str  # community · grid, the coarse place
    agency: str
    requested_at: datetime
    updated_at: datetime
    # The deadline the event is under now, and which one it is: "accept" (the report is to be
    # accepted or refused by then) or "handle" (the problem is to be dealt with by then); none
    # once the event is handled, on hold or final.
    deadline: datetime | None
    deadline_kind: str
    status_note: str

    @property
    def open311_status(self) -> str:
        return "closed" if self.status in OPEN311_CLOSED else "open"

    @property
    def expected_at(self) -> datetime | None:
        """Open311's expected_datetime, "when the request is expected to be fulfilled": the
        handling deadline. An acceptance deadline is not that, so a report not yet accepted has
        none."""
        return self.deadline if self.deadline_kind == DEADLINE_HANDLE else None

    @property
    def deadline_label(self) -> str:
        return str(DEADLINE_LABELS.get(self.deadline_kind, ""))


def _english() -> bool:
    return (translation.get_language() or "").startswith("en")


def category_name(category: Category) -> str:
    return _localised(category, _english())


def _localised(category: Category, english: bool) -> str:
    return category.name_en if english and category.name_en else category.name


def public_categories() -> list[tuple[Category, list[Category]]]:
    """The part of the catalogue residents report under: every active subcategory, by main
    category (大类)."""
    return category_tree()


def public_category(code: str) -> Category | None:
    """The active subcategory (of an active main category) with ``code``, from the process's
    catalogue (:mod:`jiedao.events.catalogue`): every public report looks one up."""
    category = category_by_code(code)
    if category is None or not category.is_active or category.parent is None:
        return None
    return category if category.parent.is_active else None


# --- Which events are public --------------------------------------------------------------


def private_categories() -> QuerySet[Category, Any]:
    """The ids of the categories never published: the private ones and their subcategories."""
    private = settings.PORTAL_PRIVATE_CATEGORIES
    return Category.objects.filter(Q(code__in=private) | Q(parent__code__in=private)).values("pk")


def publishable(events: QuerySet[Event]) -> QuerySet[Event]:
    """The events of ``events`` that may be published at all: those not of a private category.
    Every source alike (grid patrol, residents, 12345, sensors): the public pages, Open311 and
    the moderation queue all start from here, so that whatever the public can see, a dispatcher
    can hide."""
    # A subquery, not a join of the category and its parent: PostgreSQL plans a subquery on its
    # own, while every joined table multiplies the join orders it weighs — with the list's
    # other joins, planning took 30 ms for a statement that runs in under one.
    return events.exclude(category_id__in=private_categories())


def public_event_queryset() -> QuerySet[Event]:
    """Every event the public may see: publishable and not hidden by moderation."""
    hidden = PublicVisibility.objects.filter(event=OuterRef("pk"), is_hidden=True)
    return publishable(Event.objects.exclude(Exists(hidden)))


def with_public_parts(events: QuerySet[Event]) -> QuerySet[Event]:
    steps = EventStep.objects.filter(action__in=sorted(PUBLIC_NOTES)).order_by("created_at", "id")
    return events.select_related(
        "category__parent", "community", "grid", "responsible_department"
    ).prefetch_related(Prefetch("steps", queryset=steps, to_attr="note_steps"))


def _public_note(step: EventStep) -> str:
    return _note_text(step.action, step.note, step.data)


def public_event(event: Event) -> PublicEvent:
    """The public face of ``event`` (load it through :func:`public_event_queryset` and
    :func:`with_public_parts`, or it costs a query per event)."""
    # An event without such steps was prefetched too, as an empty list: only a missing
    # attribute means "not prefetched" (reading `or` here cost a query per event).
    note_steps: Sequence[EventStep] | None = getattr(event, "note_steps", None)
    if note_steps is None:
        note_steps = list(
            event.steps.filter(action__in=sorted(PUBLIC_NOTES)).order_by("created_at", "id")
        )
    department = event.responsible_department
    return _public_face(
        category=event.category,
        number=event.number,
        status=event.status,
        description=event.description,
        lat=event.lat,
        lng=event.lng,
        area=f"{event.community.name} · {event.grid.name}",
        agency=department.name if department else "",
        created_at=event.created_at,
        last_action_at=event.last_action_at,
        accept_due_at=event.accept_due_at,
        handle_due_at=event.handle_due_at,
        note=_latest_note((step.action, step.note, step.data) for step in note_steps),
    )


def _public_face(
    *,
    category: Category,
    number: str,
    status: str,
    description: str,
    lat: float,
    lng: float,
    area: str,
    agency: str,
    created_at: datetime,
    last_action_at: datetime,
    accept_due_at: datetime | None,
    handle_due_at: datetime | None,
    note: str,
    english: bool | None = None,
    status_labels: dict[str, str] | None = None,
) -> PublicEvent:
    """One event's public face from its parts: a page of them is read as plain rows (see
    :func:`_public_rows`), one event as a model. ``note`` is the latest note written for the
    resident, as stored (:func:`_latest_note`). A page passes the reader's language and a
    dictionary to keep the status labels in, looked up once per page rather than per event."""
    if english is None:
        english = _english()
    if status_labels is None:
        status_labels = {}
    label = status_labels.get(status)
    if label is None:
        label = status_labels[status] = str(PLAIN_STATUS[Status(status)])
    parent = category.parent
    if status in ACCEPT_PHASE and accept_due_at:
        deadline, deadline_kind = accept_due_at, DEADLINE_ACCEPT
    elif status in HANDLE_PHASE and handle_due_at:
        deadline, deadline_kind = handle_due_at, DEADLINE_HANDLE
    else:
        deadline, deadline_kind = None, ""
    return PublicEvent(
        number=number,
        service_code=category.code,
        service_name=_localised(category, english),
        group=_localised(parent, english) if parent else "",
        status=status,
        status_label=label,
        is_open=status not in FINAL_STATES,
        description=scrub_text(description),
        lat=public_coordinate(lat),
        lng=public_coordinate(lng),
        area=area,
        agency=agency,
        requested_at=created_at,
        updated_at=last_action_at,
        deadline=deadline,
        deadline_kind=deadline_kind,
        status_note=scrub_text(note) if note else "",
    )


def _flagged_internal(data: Any) -> bool:
    """Whether a step's data flag its note as internal: any ``internal`` but false or null
    (:func:`_latest_public_note` asks the same of the database)."""
    flag = (data or {}).get("internal")
    return flag is not None and flag is not False


def _note_text(action: str, note: str, data: Any) -> str:
    if action not in PUBLIC_NOTES or _flagged_internal(data):
        return ""
    return scrub_text(note)


def _latest_note(steps: Iterable[tuple[str, str, Any]]) -> str:
    """The note, as stored, of the last of ``steps`` (oldest first) that carries a public one."""
    latest = ""
    for action, note, data in steps:
        if note and action in PUBLIC_NOTES and not _flagged_internal(data):
            latest = note
    return latest


def _latest_public_note() -> Subquery:
    """:func:`_latest_note` of the event's steps, as a subquery of the list's statement."""
    steps = (
        # The condition of the partial index events_step_public_note, so that it serves.
        EventStep.objects.filter(event=OuterRef("pk"), action__in=EventStep.PUBLIC_NOTE_ACTIONS)
        .exclude(note="")
        .filter(Q(data__internal__isnull=True) | Q(data__internal=False) | Q(data__internal=None))
        .order_by("-created_at", "-id")
    )
    return Subquery(steps.values("note")[:1], output_field=TextField())


# A page of the public list is read as plain rows, not models: building six model instances
# per event (the event, its category and main category, community, grid and department) was
# most of the time of Open311's default page of 1,000. One statement whatever the page's size:
# the latest public note is a subquery of it. Categories come from the process's catalogue, by
# id (no join: see publishable).
ROW_FIELDS = (
    "id",
    "number",
    "category_id",
    "status",
    "description",
    "lat",
    "lng",
    "community__name",
    "grid__name",
    "responsible_department__name",
    "created_at",
    "last_action_at",
    "accept_due_at",
    "handle_due_at",
    "latest_public_note",
)


def _public_rows(events: QuerySet[Event]) -> list[tuple[Any, ...]]:
    """The rows of ``events`` (sliced, ordered) that :func:`_public_faces` makes public."""
    return list(events.annotate(latest_public_note=_latest_public_note()).values_list(*ROW_FIELDS))


def _public_faces(rows: Iterable[tuple[Any, ...]]) -> list[PublicEvent]:
    faces = []
    english = _english()
    status_labels: dict[str, str] = {}
    for (
        _event_id,
        number,
        category_id,
        status,
        description,
        lat,
        lng,
        community,
        grid,
        department,
        created_at,
        last_action_at,
        accept_due_at,
        handle_due_at,
        note,
    ) in rows:
        category = category_by_id(category_id)
        if category is None:  # created since this process read the catalogue
            category = Category.objects.select_related("parent").get(pk=category_id)
        faces.append(
            _public_face(
                category=category,
                number=number,
                status=status,
                description=description,
                lat=lat,
                lng=lng,
                area=f"{community} · {grid}",
                agency=department or "",
                created_at=created_at,
                last_action_at=last_action_at,
                accept_due_at=accept_due_at,
                handle_due_at=handle_due_at,
                note=note or "",
                english=english,
                status_labels=status_labels,
            )
        )
    return faces


def public_statuses(groups: Iterable[str]) -> list[str]:
    """The statuses a public client means by "open" and/or "closed" (Open311's two states):
    one of them narrows the list, both or neither leave it whole."""
    wanted = set(groups)
    if wanted == {"open"}:
        return [status for status in Status.values if status not in OPEN311_CLOSED]
    if wanted == {"closed"}:
        return sorted(OPEN311_CLOSED)
    return []


def _filtered(filters: EventFilters) -> QuerySet[Event]:
    return filter_events(public_event_queryset(), filters).order_by("-created_at", "-id")


def public_event_list(filters: EventFilters, *, limit: int) -> list[PublicEvent]:
    """Public events matching ``filters``, newest first, at most ``limit`` (one statement)."""
    return _public_faces(_public_rows(_filtered(filters)[:limit]))


@dataclass(frozen=True)
class PublicPage:
    """A page of the public list, newest first, with the cursors of the pages on either side
    (None where there is none): ``older`` goes in ``?after=``, ``newer`` in ``?before=``."""

    items: list[PublicEvent]
    older: str | None
    newer: str | None


# Where (created_at, id) stand in a row of _public_rows: the page's keyset.
_AT, _ID = ROW_FIELDS.index("created_at"), ROW_FIELDS.index("id")


def _page_cursor(cursor: str, name: str) -> tuple[datetime, int]:
    try:
        return decode_cursor(cursor)
    except InvalidInput:
        raise InvalidInput(
            _(
                "This page's link is incomplete or was not made by this site; start again from the newest reports."
            ),
            code="bad_cursor",
            field=name,
        ) from None


def public_event_page(
    filters: EventFilters, *, size: int, after: str = "", before: str = ""
) -> PublicPage:
    """One page of public events matching ``filters``, newest first, by keyset (created_at, id)
    on the index ``events_keyset``: the newest, the page of older events ``after`` a cursor or
    the page of newer ones ``before`` it. One statement, however deep the page; a cursor this
    list did not give out is an InvalidInput."""
    events = _filtered(filters)
    if before:
        moment, pk = _page_cursor(before, "before")
        newer_first = events.filter(Q(created_at__gt=moment) | Q(created_at=moment, pk__gt=pk))
        rows = _public_rows(newer_first.order_by("created_at", "id")[: size + 1])
        more_newer, more_older = len(rows) > size, True
        rows = rows[:size][::-1]
    else:
        if after:
            moment, pk = _page_cursor(after, "after")
            events = events.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))
        rows = _public_rows(events[: size + 1])
        more_newer, more_older = bool(after), len(rows) > size
        rows = rows[:size]
    if not rows:
        return PublicPage(items=[], older=None, newer=None)
    return PublicPage(
        items=_public_faces(rows),
        older=keyset_cursor(rows[-1][_AT], rows[-1][_ID]) if more_older else None,
        newer=keyset_cursor(rows[0][_AT], rows[0][_ID]) if more_newer else None,
    )


def public_event_get(number: str) -> PublicEvent:
    event = with_public_parts(public_event_queryset()).filter(number=number).first()
    if event is None:
        raise NotFound(_("No public report has this number."))
    return public_event(event)


def public_timeline(event: Event) -> list[PublicStep]:
    """The steps of ``event`` the public may see, oldest first, without names."""
    steps = event.steps.select_related("department").order_by("created_at", "id")
    timeline = []
    for step in steps:
        if step.action not in PUBLIC_STEPS:
            continue
        department = (
            step.department.name if step.department and step.action in DEPARTMENT_STEPS else ""
        )
        timeline.append(
            PublicStep(
                at=step.created_at,
                action=step.action,
                label=str(PUBLIC_STEPS[Action(step.action)]),
                note=_public_note(step),
                department=department,
            )
        )
    return timeline


# --- A reporter's own report ---------------------------------------------------------------


@dataclass(frozen=True)
class FollowedReport:
    report: PublicReport
    event: Event
    public: PublicEvent
    timeline: list[PublicStep]
    photo_count: int
    # The photos taken once the problem was dealt with (the resolution's "after" photos): the
    # holder of the follow code sees them, through :func:`public_report_photo`.
    after_photos: list[EventPhoto]
    rating: str  # the stored satisfaction in words (see rating.rating_word)
    can_rate: bool
    can_reopen: bool


def public_report_find(*, number: str, code: str) -> PublicReport:
    """The report of event ``number`` when ``code`` is its follow code; NotFound otherwise — the
    same answer for a wrong number and a wrong code, so neither can be probed."""
    number = (number or "").strip().upper()
    report = (
        PublicReport.objects.select_related(
            "event__category__parent",
            "event__community",
            "event__grid",
            "event__responsible_department",
        )
        .filter(event__number=number)
        .first()
    )
    if report is None or not check_code(report.event.number, report.follow_salt, code):
        raise NotFound(_("No report matches this tracking number and follow code. Check both."))
    return report


def public_report_follow(*, number: str, code: str) -> FollowedReport:
    report = public_report_find(number=number, code=code)
    event = report.event
    # What the holder may do is what the workflow table and its guards allow the reporter.
    allowed = {
        offered.action
        for offered in event_allowed_actions(event=event, user=FollowCodeHolder(report))
    }
    return FollowedReport(
        report=report,
        event=event,
        public=public_event(event),
        timeline=public_timeline(event),
        photo_count=event.photos.count(),
        after_photos=list(event.photos.filter(stage=PhotoStage.AFTER).order_by("created_at", "id")),
        rating=rating_word(event.satisfaction),
        can_rate=Action.RATE in allowed,
        can_reopen=Action.REOPEN in allowed,
    )


def public_report_photo(*, number: str, code: str, photo_id: int) -> EventPhoto:
    """An "after" photo of the report of event ``number``, for the holder of its follow code
    only; NotFound for a wrong code, another event's photo or a photo of another stage (the
    "before" photos may show the reporter's surroundings to staff only)."""
    report = public_report_find(number=number, code=code)
    photo = report.event.photos.filter(pk=photo_id, stage=PhotoStage.AFTER).first()
    if photo is None:
        raise NotFound(_("This report has no such photo."))
    return photo


def public_report_code(report: PublicReport) -> str:
    return follow_code(report.event.number, report.follow_salt)


def visible_to_public(event: Event) -> bool:
    return public_event_queryset().filter(pk=event.pk).exists()
