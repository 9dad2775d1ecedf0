"""The API of activities and trainings, and of service facilities: the same services and
selectors as the pages."""

from typing import Any

from ninja import Router, Status

from jiedao.core.http import JiedaoRequest

from . import activities, selectors
from . import selectors_activities as reads
from .models import Activity, Facility
from .schemas import (
    ActivityActionIn,
    ActivityIn,
    ActivityOut,
    FacilityIn,
    FacilityOut,
    FacilityUseIn,
)
from .workflow import activity_actions

router = Router(tags=["community"])


def activity_out(user: Any, activity: Activity) -> dict[str, Any]:
    return {
        "id": activity.pk,
        "community": activity.community.name,
        "kind": activity.kind,
        "title": activity.title,
        "organiser": activity.organiser.name,
        "project_id": activity.project_id,
        "planned_on": activity.planned_on,
        "status": activity.status,
        "held_on": activity.held_on,
        "person_times": activity.person_times,
        "cancel_reason": activity.cancel_reason,
        "actions": [str(a) for a in activity_actions(activity.status, getattr(user, "role", ""))],
    }


def facility_out(facility: Facility) -> dict[str, Any]:
    return {
        "id": facility.pk,
        "community": facility.community.name,
        "name": facility.name,
        "kind": facility.kind,
        "capacity": facility.capacity,
        "in_use": facility.in_use,
        "free": facility.capacity - facility.in_use,
    }


@router.get("/activities", response=list[ActivityOut], summary="Activities and trainings")
def list_activities(
    request: JiedaoRequest, status: str | None = None, kind: str | None = None
) -> list[dict[str, Any]]:
    user = request.user
    return [activity_out(user, a) for a in reads.activity_list(user=user, status=status, kind=kind)]


@router.post("/activities", response={201: ActivityOut}, summary="Plan an activity or a training")
def plan_activity(request: JiedaoRequest, payload: ActivityIn) -> Status[dict[str, Any]]:
    user = request.user
    activity = activities.activity_plan(
        actor=user,
        community=selectors.community_for(user=user, community_id=payload.community_id),
        kind=payload.kind,
        title=payload.title,
        organiser=reads.organiser_for(user=user, organisation_id=payload.organiser_id),
        planned_on=payload.planned_on,
        project=reads.project_for(user=user, project_id=payload.project_id),
    )
    return Status(201, activity_out(user, reads.activity_get(user=user, activity_id=activity.pk)))


@router.post(
    "/activities/{activity_id}/actions",
    response=ActivityOut,
    summary="Record an activity as held (day, person-times) or cancel it (reason)",
)
def act_on_activity(
    request: JiedaoRequest, activity_id: int, payload: ActivityActionIn
) -> dict[str, Any]:
    user = request.user
    activities.activity_transition(
        actor=user,
        activity=reads.activity_get(user=user, activity_id=activity_id),
        action=payload.action,
        held_on=payload.held_on,
        person_times=payload.person_times,
        reason=payload.reason,
    )
    return activity_out(user, reads.activity_get(user=user, activity_id=activity_id))


@router.get("/facilities", response=list[FacilityOut], summary="Service facilities")
def list_facilities(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [facility_out(f) for f in reads.facility_list(user=request.user)]


@router.post("/facilities", response={201: FacilityOut}, summary="Add a service facility")
def create_facility(request: JiedaoRequest, payload: FacilityIn) -> Status[dict[str, Any]]:
    user = request.user
    facility = activities.facility_create(
        actor=user,
        community=selectors.community_for(user=user, community_id=payload.community_id),
        name=payload.name,
        kind=payload.kind,
        capacity=payload.capacity,
        in_use=payload.in_use,
    )
    return Status(201, facility_out(reads.facility_get(user=user, facility_id=facility.pk)))


@router.post(
    "/facilities/{facility_id}/use", response=FacilityOut, summary="Record the places in use"
)
def set_facility_use(
    request: JiedaoRequest, facility_id: int, payload: FacilityUseIn
) -> dict[str, Any]:
    user = request.user
    facility = reads.facility_get(user=user, facility_id=facility_id)
    activities.facility_use_set(actor=user, facility=facility, in_use=payload.in_use)
    return facility_out(reads.facility_get(user=user, facility_id=facility_id))
