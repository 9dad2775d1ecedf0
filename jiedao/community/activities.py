"""Activities and trainings (planned → held or cancelled, with the participants in
person-times) and service facilities (capacity and use). Every write checks role and scope and
is audited in its transaction.

Decisions: an activity may be recorded as held on a day before the planned one (activities are
brought forward), but never on a day still to come, and with at least one person-time (an
activity nobody attended is cancelled, with a reason). An organisation's account records only
the activities its organisation runs; a community lead those of the own community.
"""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import SYSTEM, get_in_scope, require
from jiedao.core.dates import parse_date
from jiedao.core.errors import Conflict, Forbidden, InvalidInput
from jiedao.core.localtime import local_today
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.geo.models import Community

from .models import Activity, Facility, GrantApplication, Organisation
from .workflow import ACTIVITY_TRANSITIONS, ActivityAction, ActivityStatus

MAX_PEOPLE = 100_000
PROJECT_STATUSES = (GrantApplication.Status.SIGNED, GrantApplication.Status.COMPLETED)


def parse_count(value: Any, *, field: str, label: Any, minimum: int) -> int:
    """A whole number from an int or its digits; 422 naming the field by its label otherwise."""
    if isinstance(value, bool):
        value = None
    text = str(value).strip() if value is not None else ""
    try:
        number = int(text)
    except ValueError:
        raise InvalidInput(
            _("%(field)s must be a whole number, not “%(value)s”.")
            % {"field": label, "value": text},
            field=field,
        ) from None
    if number < minimum or number > MAX_PEOPLE:
        raise InvalidInput(
            _("%(field)s must be between %(low)s and %(high)s.")
            % {"field": label, "low": minimum, "high": MAX_PEOPLE},
            field=field,
        )
    return number


def _check_organiser(actor: Any, organisation: Organisation) -> None:
    if (
        actor is not SYSTEM
        and getattr(actor, "role", "") == Role.SOCIAL_ORGANISATION
        and not organisation.members.filter(pk=actor.pk).exists()
    ):
        raise Forbidden(_("You do not act for this social organisation."))


@transaction.atomic
def activity_plan(
    *,
    actor: Any,
    community: Community,
    kind: str,
    title: str,
    organiser: Organisation,
    planned_on: Any,
    project: GrantApplication | None = None,
    is_synthetic: bool = False,
) -> Activity:
    """Plan an activity or a training in a community, run by an organisation serving it and
    possibly part of a 公益创投 project of that organisation."""
    require(actor, "community.activity_manage")
    community = get_in_scope(actor, Community.objects.all(), pk=community.pk)
    _check_organiser(actor, organiser)
    if kind not in Activity.Kind.values:
        raise InvalidInput(
            _("Kind must be one of: %(kinds)s.")
            % {"kinds": "、".join(str(label) for label in Activity.Kind.labels)},
            field="kind",
        )
    title = clean_text(title, field="title", max_length=100, label=_("Title"), required=True)
    planned = parse_date(
        planned_on, field="planned_on", label=pgettext_lazy("activity", "Planned on")
    )
    if not organiser.communities.filter(pk=community.pk).exists():
        raise InvalidInput(
            _("Organiser %(name)s does not serve %(community)s.")
            % {"name": organiser.name, "community": community.name},
            field="organiser",
        )
    # Read from the database: the caller's copy of the project may predate its signing.
    if (
        project is not None
        and not GrantApplication.objects.filter(
            pk=project.pk, organisation=organiser, status__in=PROJECT_STATUSES
        ).exists()
    ):
        raise InvalidInput(
            _("Project must be a signed 公益创投 project of the organiser."), field="project"
        )
    return model_create(
        model=Activity,
        data={
            "subdistrict_id": community.subdistrict_id,
            "community": community,
            "kind": kind,
            "title": title,
            "organiser": organiser,
            "project": project,
            "planned_on": planned,
            "recorded_by": actor if getattr(actor, "pk", None) else None,
            "is_synthetic": is_synthetic,
        },
        actor=actor,
        action="community.activity.plan",
    )


@transaction.atomic
def activity_transition(
    *,
    actor: Any,
    activity: Activity,
    action: str,
    held_on: Any = None,
    person_times: Any = None,
    reason: str = "",
) -> Activity:
    """Record a planned activity as held (the day and the person-times) or cancel it (a reason):
    lock it, check the workflow table, save, audit."""
    require(actor, "community.activity_manage")
    activity = get_in_scope(
        actor, Activity.objects.select_for_update().select_related("organiser"), pk=activity.pk
    )
    _check_organiser(actor, activity.organiser)
    transition = ACTIVITY_TRANSITIONS.get((activity.status, action))
    if transition is None:
        raise Conflict(
            _("An activity that is “%(status)s” cannot be “%(action)s”.")
            % {
                "status": ActivityStatus(activity.status).label,
                "action": (
                    ActivityAction(action).label if action in ActivityAction.values else action
                ),
            },
            code="transition_not_allowed",
        )
    if actor is not SYSTEM and getattr(actor, "role", "") not in transition.roles:
        raise Forbidden(_("Your role may not do this to an activity."))
    data: dict[str, Any] = {"status": transition.target}
    if action == ActivityAction.HOLD:
        day = parse_date(held_on, field="held_on", label=_("Held on"))
        if day > local_today():
            raise InvalidInput(
                _("Held on %(day)s is still to come: record the activity once it is held.")
                % {"day": day.isoformat()},
                field="held_on",
            )
        data["held_on"] = day
        data["person_times"] = parse_count(
            person_times, field="person_times", label=_("Person-times"), minimum=1
        )
    else:
        data["cancel_reason"] = clean_text(
            reason, field="reason", max_length=2000, label=_("Reason"), required=True
        )
    model_update(instance=activity, data=data, actor=actor, action=f"community.activity.{action}")
    return activity


@transaction.atomic
def facility_create(
    *,
    actor: Any,
    community: Community,
    name: str,
    kind: str,
    capacity: Any,
    in_use: Any = 0,
    is_synthetic: bool = False,
) -> Facility:
    """Put a service facility of a community on the list with its capacity and use."""
    require(actor, "community.facility_manage")
    community = get_in_scope(actor, Community.objects.all(), pk=community.pk)
    name = clean_text(name, field="name", max_length=100, label=_("Name"), required=True)
    if kind not in Facility.Kind.values:
        raise InvalidInput(
            _("Kind must be one of: %(kinds)s.")
            % {"kinds": "、".join(str(label) for label in Facility.Kind.labels)},
            field="kind",
        )
    places = parse_count(capacity, field="capacity", label=_("Capacity"), minimum=1)
    used = _use_within(in_use, places)
    if Facility.objects.filter(community=community, name=name).exists():
        raise InvalidInput(
            _("Name “%(name)s” is taken by another facility of %(community)s.")
            % {"name": name, "community": community.name},
            field="name",
        )
    return model_create(
        model=Facility,
        data={
            "subdistrict_id": community.subdistrict_id,
            "community": community,
            "name": name,
            "kind": kind,
            "capacity": places,
            "in_use": used,
            "is_synthetic": is_synthetic,
        },
        actor=actor,
        action="community.facility.create",
    )


def _use_within(in_use: Any, capacity: int) -> int:
    used = parse_count(in_use, field="in_use", label=_("In use"), minimum=0)
    if used > capacity:
        raise InvalidInput(
            _("In use (%(used)s) may not be more than the capacity (%(capacity)s).")
            % {"used": used, "capacity": capacity},
            field="in_use",
        )
    return used


@transaction.atomic
def facility_use_set(*, actor: Any, facility: Facility, in_use: Any) -> Facility:
    """Record how many places of a facility are in use now (never more than its capacity; the
    database's CHECK refuses it too)."""
    require(actor, "community.facility_manage")
    facility = get_in_scope(actor, Facility.objects.select_for_update(), pk=facility.pk)
    used = _use_within(in_use, facility.capacity)
    model_update(
        instance=facility, data={"in_use": used}, actor=actor, action="community.facility.use"
    )
    return facility


def held_in(since: date, until: date) -> dict[str, Any]:
    """The lookup of activities held between two days (both included)."""
    return {"status": ActivityStatus.HELD, "held_on__gte": since, "held_on__lte": until}
