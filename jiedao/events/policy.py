"""Who may do what to which event (registered by ``EventsConfig``).

* ``ACTIONS`` — "events.<action>" → roles, derived from the workflow table
  (:mod:`jiedao.events.workflow`) so that the two can never disagree.
* ``SCOPES`` — which events (and their photos and notifications) each scope level sees: a grid
  worker their grid, a lead their community, department staff what their department is
  responsible for or was called to, everyone what they reported themselves, and the holder of a
  follow code the one event it opens.
* The relations of the table (:class:`~jiedao.events.workflow.Relation`) and its guards
  (:class:`~jiedao.events.workflow.Guard`), each in two forms: a predicate on one event
  (``relation_holds``, ``guard_holds``) for the service and the buttons, and a filter
  (``relation_q``, ``GUARD_Q``) for the inbox. A property test
  (``tests/events/test_policy.py``) checks on generated events that both forms agree.

The reporter of an event is whoever reported it while signed in, or whoever holds its follow
code (a resident without an account, see :mod:`jiedao.portal.actors`): the code is their proof.
"""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import STAFF_ROLES, SYSTEM, Level, ScopeRules, scope_of

from .models import Event, EventAssignment
from .workflow import (
    CONTACT_RELATIONS,
    PHOTO_RELATIONS,
    REPORT_ROLES,
    VIEW_ROLES,
    Action,
    Guard,
    Relation,
    roles_for,
)

ACTIONS: dict[str, frozenset[str]] = {
    "events.view": VIEW_ROLES,
    "events.report": REPORT_ROLES,
    "events.reveal_contact": frozenset(CONTACT_RELATIONS),
    "events.add_photo": frozenset(PHOTO_RELATIONS),
    "events.manage_catalogue": frozenset({Role.ADMINISTRATOR}),
    **{
        f"events.{action}": roles_for(action) for action in Action.values if action != Action.REPORT
    },
    # Event figures and the dashboard: staff with a scope of work (the figures follow it).
    "events.figures": STAFF_ROLES - {Role.SOCIAL_ORGANISATION},
    # The event list (台账) as a spreadsheet: for the staff who work the events.
    "events.export": STAFF_ROLES - {Role.SOCIAL_ORGANISATION},
    # Importing 12345 work orders in bulk (jiedao.events.importing): the command centre.
    "events.import": frozenset({Role.ADMINISTRATOR, Role.DISPATCHER}),
}

SCOPES: dict[str, ScopeRules] = {
    "events.event": {
        Level.SUBDISTRICT: ("subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: [
            ("responsible_department", "department_id"),
            ("assignments__department", "department_id"),
            ("reported_by", "user_id"),
        ],
        Level.COMMUNITY: [("community", "community_id"), ("reported_by", "user_id")],
        Level.GRID: [("grid", "grid_id"), ("reported_by", "user_id")],
        Level.NONE: [("reported_by", "user_id"), ("pk", "followed_event_id")],
    },
    "events.eventphoto": {
        Level.SUBDISTRICT: ("event__subdistrict", "subdistrict_id"),
        Level.DEPARTMENT: [
            ("event__responsible_department", "department_id"),
            ("event__assignments__department", "department_id"),
            ("event__reported_by", "user_id"),
        ],
        Level.COMMUNITY: [("event__community", "community_id"), ("event__reported_by", "user_id")],
        Level.GRID: [("event__grid", "grid_id"), ("event__reported_by", "user_id")],
        Level.NONE: [("event__reported_by", "user_id"), ("event", "followed_event_id")],
    },
    "events.notification": {level: ("user", "user_id") for level in Level},
}

NOTHING = Q(pk__in=[])


def pending_cooperation(event: Event) -> QuerySet[EventAssignment]:
    """The calls to ``event`` whose department has yet to report in."""
    return _pending_calls().filter(event=event)


def _pending_calls() -> QuerySet[EventAssignment]:
    return EventAssignment.objects.filter(
        role=EventAssignment.Role.COOPERATING,
        reported_in_at__isnull=True,
        ended_at__isnull=True,
    )


# --- Relations ------------------------------------------------------------------------------


def relation_holds(relation: Relation, event: Event, user: Any) -> bool:
    """Whether ``user`` stands in ``relation`` to ``event`` (visibility is checked before)."""
    if user is SYSTEM:
        return True
    if relation is Relation.SUBDISTRICT:
        return scope_of(user).subdistrict_id == event.subdistrict_id
    if relation is Relation.IN_GRID:
        return user.grid_id is not None and user.grid_id == event.grid_id
    if relation is Relation.IN_COMMUNITY:
        return scope_of(user).community_id == event.community_id
    if relation is Relation.RESPONSIBLE_DEPARTMENT:
        return user.department_id is not None and (
            user.department_id == event.responsible_department_id
        )
    if relation is Relation.COOPERATING_DEPARTMENT:
        return user.department_id is not None and (
            pending_cooperation(event).filter(department_id=user.department_id).exists()
        )
    if relation is Relation.REPORTER:
        followed = getattr(user, "followed_event_id", None)
        signed_in_reporter = user.pk is not None and event.reported_by_id == user.pk
        return signed_in_reporter or (followed is not None and followed == event.pk)
    raise ValueError(relation)


def relation_q(relation: Relation, user: Any) -> Q:
    """The database form of :func:`relation_holds`, for inboxes."""
    if user is SYSTEM:
        return Q()
    scope = scope_of(user)
    if relation is Relation.SUBDISTRICT:
        return Q(subdistrict_id=scope.subdistrict_id)
    if relation is Relation.IN_GRID:
        return Q(grid_id=user.grid_id) if user.grid_id else NOTHING
    if relation is Relation.IN_COMMUNITY:
        return Q(community_id=scope.community_id) if scope.community_id else NOTHING
    if relation is Relation.RESPONSIBLE_DEPARTMENT:
        if not user.department_id:
            return NOTHING
        return Q(responsible_department_id=user.department_id)
    if relation is Relation.COOPERATING_DEPARTMENT:
        if not user.department_id:
            return NOTHING
        pending = _pending_calls().filter(department_id=user.department_id)
        return Q(pk__in=pending.values("event_id"))
    if relation is Relation.REPORTER:
        # An actor without an account (pk None) reported nothing by account: filtering on
        # reported_by=None would match every anonymous report.
        condition = Q(reported_by_id=user.pk) if user.pk is not None else NOTHING
        followed = getattr(user, "followed_event_id", None)
        return condition | Q(pk=followed) if followed is not None else condition
    raise ValueError(relation)


RELATION_MESSAGES = {
    Relation.SUBDISTRICT: _("Event %(number)s is outside your subdistrict."),
    Relation.IN_GRID: _("Only the grid worker of the event's grid may do this."),
    Relation.IN_COMMUNITY: _("Only the lead of the event's community may do this."),
    Relation.RESPONSIBLE_DEPARTMENT: _(
        "Only staff of the responsible department (%(department)s) may do this."
    ),
    Relation.COOPERATING_DEPARTMENT: _(
        "Your department has not been called to event %(number)s, or has already reported in."
    ),
    Relation.REPORTER: _("Only the person who reported event %(number)s may do this."),
}


# --- Guards ---------------------------------------------------------------------------------


def guard_holds(guard: Guard, event: Event) -> bool:
    """Whether ``event`` meets ``guard`` (beyond its status)."""
    if guard is Guard.EXTENSION_REQUESTED:
        return event.extension_requested_until is not None
    if guard is Guard.NO_EXTENSION_REQUESTED:
        return event.extension_requested_until is None
    if guard is Guard.WAS_DISPATCHED:
        return event.dispatched_at is not None
    if guard is Guard.NOT_RATED:
        return event.satisfaction is None
    if guard is Guard.COOPERATION_PENDING:
        return pending_cooperation(event).exists()
    raise ValueError(guard)


# The database form of guard_holds, for inboxes.
GUARD_Q = {
    Guard.EXTENSION_REQUESTED: Q(extension_requested_until__isnull=False),
    Guard.NO_EXTENSION_REQUESTED: Q(extension_requested_until__isnull=True),
    Guard.WAS_DISPATCHED: Q(dispatched_at__isnull=False),
    Guard.NOT_RATED: Q(satisfaction__isnull=True),
    Guard.COOPERATION_PENDING: Q(pk__in=_pending_calls().values("event_id")),
}

GUARD_MESSAGES = {
    Guard.EXTENSION_REQUESTED: _("No extension has been requested for event %(number)s."),
    Guard.NO_EXTENSION_REQUESTED: _(
        "An extension is already pending for event %(number)s; wait for the dispatcher's decision."
    ),
    Guard.WAS_DISPATCHED: _(
        "Event %(number)s was not handled by a department (it was resolved on the spot or "
        "followed another event), so it cannot be reopened; report a new event instead."
    ),
    Guard.NOT_RATED: _("Event %(number)s has already been rated."),
    Guard.COOPERATION_PENDING: _(
        "No department called to event %(number)s is waiting to report in."
    ),
}
