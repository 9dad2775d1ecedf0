"""The relations and guards of the workflow table in their two forms — the predicate the
service and the buttons use (``relation_holds``, ``guard_holds``) and the filter the inbox uses
(``relation_q``, ``GUARD_Q``) — agree on generated events, for every demo user, the system, the
public door and the holders of follow codes."""

from datetime import timedelta
from itertools import count
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiedao.accounts.permissions import SYSTEM
from jiedao.events.models import Category, Event, EventAssignment
from jiedao.events.policy import GUARD_Q, guard_holds, relation_holds, relation_q
from jiedao.events.workflow import Guard, Relation, Source, Status
from jiedao.geo.models import Department, Grid
from jiedao.portal.actors import PORTAL, FollowCodeHolder
from jiedao.portal.models import PublicReport
from tests.events.conftest import HOME_GRID, OTHER_GRID

# The demo worker's grid, a neighbour in the same community, a grid of another community.
GRIDS = (HOME_GRID, "330109012001002", OTHER_GRID)
DEPARTMENTS = ("city-management", "enforcement", "water")
NUMBERS = count(1)

assignments = st.dictionaries(
    keys=st.sampled_from(DEPARTMENTS),
    values=st.tuples(
        st.sampled_from(EventAssignment.Role.values),
        st.booleans(),  # reported in
        st.booleans(),  # ended
    ),
    max_size=3,
)
events = st.fixed_dictionaries(
    {
        "status": st.sampled_from(Status.values),
        "grid": st.sampled_from(GRIDS),
        "department": st.none() | st.sampled_from(DEPARTMENTS),
        "assignments": assignments,
        "reporter": st.none() | st.sampled_from(("jumin", "wangge", "chengguan", "zhihui")),
        "extension_requested": st.booleans(),
        "dispatched": st.booleans(),
        "satisfaction": st.none() | st.integers(min_value=1, max_value=5),
    }
)


def make_event(drawn: dict[str, Any], users: dict[str, Any]) -> Event:
    by_name = {user.username: user for user in users.values()}
    grid = Grid.objects.select_related("community").get(code=drawn["grid"])
    department = Department.objects.get(code=drawn["department"]) if drawn["department"] else None
    now = timezone.now()
    fields: dict[str, Any] = {
        "subdistrict_id": grid.community.subdistrict_id,
        "source": Source.RESIDENT,
        "category": Category.objects.get(code="E0101"),
        "description": "生成的事件",
        "lat": 30.2,
        "lng": 120.2,
        "grid": grid,
        "community": grid.community,
        "responsible_department": department,
        # Every event has an owner: the command centre when no department is responsible.
        "responsible_user": None if department else users["dispatcher"],
        "reported_by": by_name.get(drawn["reporter"] or ""),
        "extension_requested_until": now + timedelta(days=3)
        if drawn["extension_requested"]
        else None,
        "dispatched_at": now if drawn["dispatched"] else None,
        "satisfaction": drawn["satisfaction"],
    }
    primary = None
    if drawn["status"] == Status.MERGED:
        primary = Event.objects.create(number=f"P-{next(NUMBERS)}", **fields)
    event = Event.objects.create(
        number=f"G-{next(NUMBERS)}", status=drawn["status"], merged_into=primary, **fields
    )
    for code, (role, reported_in, ended) in drawn["assignments"].items():
        EventAssignment.objects.create(
            event=event,
            department=Department.objects.get(code=code),
            role=role,
            reported_in_at=now if reported_in else None,
            ended_at=now if ended else None,
        )
    return event


def in_database(event: Event, condition: Any) -> bool:
    return Event.objects.filter(pk=event.pk).filter(condition).exists()


def actors(event: Event, users: dict[str, Any]) -> dict[str, Any]:
    own_code = FollowCodeHolder(PublicReport(event=event, channel="portal"))
    other_event = Event.objects.exclude(pk=event.pk).order_by("id").first()
    other_code = FollowCodeHolder(PublicReport(event=other_event, channel="portal"))
    return {
        **users,
        "system": SYSTEM,
        "public door": PORTAL,
        "holder of its code": own_code,
        "holder of another code": other_code,
    }


@pytest.fixture
def demo_users(users: dict[str, Any]) -> dict[str, Any]:
    return users


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=events)
def test_each_relation_and_guard_means_the_same_as_a_predicate_and_as_a_filter(
    demo_users: dict[str, Any], drawn: dict[str, Any]
) -> None:
    with transaction.atomic():
        event = make_event(drawn, demo_users)
        for name, user in actors(event, demo_users).items():
            for relation in Relation:
                predicate = relation_holds(relation, event, user)
                assert predicate == in_database(event, relation_q(relation, user)), (
                    relation,
                    name,
                    drawn,
                )
        for guard in Guard:
            assert guard_holds(guard, event) == in_database(event, GUARD_Q[guard]), (guard, drawn)
        transaction.set_rollback(True)


def test_the_holder_of_a_follow_code_is_the_reporter_of_that_event_only(users):
    event = make_event(
        {
            "status": Status.CLOSED,
            "grid": HOME_GRID,
            "department": "city-management",
            "assignments": {},
            "reporter": None,
            "extension_requested": False,
            "dispatched": True,
            "satisfaction": None,
        },
        users,
    )
    holders = actors(event, users)

    assert relation_holds(Relation.REPORTER, event, holders["holder of its code"]) is True
    assert relation_holds(Relation.REPORTER, event, holders["holder of another code"]) is False
    # The door reported nothing by account: an anonymous report is not "its" report.
    assert relation_holds(Relation.REPORTER, event, PORTAL) is False
    assert in_database(event, relation_q(Relation.REPORTER, PORTAL)) is False
