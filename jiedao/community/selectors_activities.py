"""Reads of activities, trainings and service facilities: a constant number of statements per
list, scoped by community; an organisation's account sees the activities its organisations run."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import Role
from jiedao.accounts.permissions import get_in_scope, require, scoped
from jiedao.core.errors import InvalidInput

from .activities import PROJECT_STATUSES
from .models import Activity, Facility, GrantApplication, Organisation


def _activities(user: Any) -> QuerySet[Activity]:
    activities = scoped(user, Activity.objects.all()).select_related(
        "community", "organiser", "project"
    )
    if getattr(user, "role", "") == Role.SOCIAL_ORGANISATION:
        activities = activities.filter(organiser__members=user)
    return activities


def activity_list(
    *, user: Any, status: str | None = None, kind: str | None = None, limit: int = 200
) -> list[Activity]:
    require(user, "community.view")
    activities = _activities(user)
    if status:
        activities = activities.filter(status=status)
    if kind:
        activities = activities.filter(kind=kind)
    return list(activities[:limit])


def activity_get(*, user: Any, activity_id: int) -> Activity:
    require(user, "community.view")
    return get_in_scope(user, _activities(user), pk=activity_id)


def organisers_for(user: Any) -> list[Organisation]:
    """The organisations the user may name as organiser: an organisation's account its own."""
    organisations = scoped(user, Organisation.objects.all())
    if getattr(user, "role", "") == Role.SOCIAL_ORGANISATION:
        organisations = organisations.filter(members=user)
    return list(organisations.distinct().order_by("name"))


def organiser_for(*, user: Any, organisation_id: int | None) -> Organisation:
    found = next((o for o in organisers_for(user) if o.pk == organisation_id), None)
    if found is None:
        raise InvalidInput(_("Organiser: choose one of the list."), field="organiser")
    return found


def projects_for(user: Any) -> list[GrantApplication]:
    return list(
        scoped(user, GrantApplication.objects.filter(status__in=PROJECT_STATUSES))
        .select_related("organisation")
        .distinct()
        .order_by("title")
    )


def project_for(*, user: Any, project_id: int | None) -> GrantApplication | None:
    if project_id is None:
        return None
    found = (
        scoped(user, GrantApplication.objects.filter(status__in=PROJECT_STATUSES))
        .filter(pk=project_id)
        .first()
    )
    if found is None:
        raise InvalidInput(_("Project: choose one of the list."), field="project")
    return found


def facility_list(*, user: Any) -> list[Facility]:
    require(user, "community.view")
    return list(scoped(user, Facility.objects.all()).select_related("community"))


def facility_get(*, user: Any, facility_id: int) -> Facility:
    require(user, "community.view")
    return get_in_scope(user, Facility.objects.select_related("community"), pk=facility_id)
