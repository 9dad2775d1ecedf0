"""An event's history as its detail shows it: the timeline steps with who took each and from
which unit, the photos, the assignments and the events merged into it — read in a fixed number
of statements whatever their number (the page and the API both render it through
:func:`jiedao.events.selectors.event_detail`)."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import SYSTEM
from jiedao.geo.models import Department

from .models import Event, EventAssignment, EventPhoto, EventStep
from .routing import command_centre


def event_photos(*, event: Event) -> list[EventPhoto]:
    return list(event.photos.order_by("created_at", "id"))


def event_assignments(*, event: Event) -> list[EventAssignment]:
    return list(event.assignments.select_related("department", "reported_in_by"))


def event_duplicates_of(*, event: Event) -> list[Event]:
    """The events merged into ``event``."""
    return list(event.duplicates.order_by("created_at", "id"))


@dataclass(frozen=True)
class EventHistory:
    """What an event's detail shows besides its own fields."""

    steps: list[EventStep]
    photos: list[EventPhoto]
    assignments: list[EventAssignment] = field(default_factory=list)
    merged_events: list[Event] = field(default_factory=list)

    def photos_of(self, step: EventStep) -> list[EventPhoto]:
        return [photo for photo in self.photos if photo.step_id == step.pk]

    def photo_ids_of(self, step: EventStep) -> list[int]:
        return [photo.pk for photo in self.photos_of(step)]


def timeline_steps(steps: QuerySet[EventStep]) -> QuerySet[EventStep]:
    """``steps`` with what :func:`step_actor_unit` reads, in the same statement: the actor with
    their department, grid, community and subdistrict, and the name of their subdistrict's command
    centre (``actor_centre``, for dispatchers, who belong to it without a department row)."""
    centre = Department.objects.filter(
        subdistrict=OuterRef("actor__subdistrict"), code=settings.EVENT_COMMAND_CENTRE_CODE
    ).values("name")[:1]
    return steps.select_related(
        "actor__department",
        "actor__grid",
        "actor__community",
        "actor__subdistrict",
        "department",
    ).annotate(actor_centre=Subquery(centre))


def step_actor_name(step: EventStep) -> str:
    """Who took ``step``: the user's name, 系统 for the system, or the door's label (the portal,
    an Open311 client)."""
    if step.actor is not None:
        return step.actor.display_name
    if step.actor_label == str(SYSTEM):
        return str(pgettext_lazy("timeline", "System"))
    return step.actor_label


def step_actor_unit(step: EventStep) -> str:
    """The unit of the user who took ``step`` — their own, not the event's responsible department:
    their department; a grid worker's grid; a community lead's (or social organisation's)
    community; a dispatcher's command centre; otherwise their subdistrict, or their role for a
    resident. Empty for the system and the public doors, which have no unit."""
    user = step.actor
    if user is None:
        return ""
    # An empty foreign key reads as None without a statement; a filled one was selected above.
    if user.department is not None:
        return user.department.name
    if user.role == Role.GRID_WORKER and user.grid is not None:
        return user.grid.name
    if user.community is not None:
        return user.community.name
    if user.role == Role.DISPATCHER:
        # Annotated by timeline_steps(); a step just written (a new report) is looked up once.
        centre = getattr(step, "actor_centre", None)
        if centre is None and user.subdistrict_id is not None:
            found = command_centre(user.subdistrict_id)
            centre = found.name if found is not None else None
        return centre or str(_("Command centre"))
    if user.subdistrict is not None:
        return user.subdistrict.name
    return str(user.get_role_display())


def event_history(*, event: Event) -> EventHistory:
    """The steps (with their actors' units), photos, assignments and merged events of ``event``:
    four statements whatever their number."""
    return EventHistory(
        steps=list(timeline_steps(event.steps.all())),
        photos=event_photos(event=event),
        assignments=event_assignments(event=event),
        merged_events=event_duplicates_of(event=event),
    )
