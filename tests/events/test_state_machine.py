"""A hypothesis state machine over the event services: random reports and random actions by
random people, checking the invariants after every step.

* every event always has an owner (a responsible department or person);
* a closed event was verified, resolved on the spot, or followed a primary that was;
* the timeline has exactly one step per applied action (refused actions leave no trace);
* a merged event points at its primary; counts by status add up to the number of events.
"""

from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    rule,
    run_state_machine_as_test,
)

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import ApplicationError
from jiedao.events import services
from jiedao.events.models import Event, EventStep
from jiedao.events.selectors import event_allowed_actions
from jiedao.events.workflow import WAITING_ACTIONS, Action, Status

from .conftest import HOME_GRID, OTHER_GRID, png, point_in

pytestmark = pytest.mark.django_db

ACTORS = [
    "system",
    "dispatcher",
    "grid_worker",
    "grid_lead",
    "department_handler",
    "enforcement_officer",
    "supervisor",
    "resident",
]
REPORTERS = ["resident", "grid_worker", "dispatcher", "system"]
ACTIONS = [action for action in Action.values if action not in ("report", "follow_primary")]
CLOSING = {Action.VERIFY_PASS, Action.SELF_RESOLVE, Action.AUTO_CLOSE, "follow_primary"}


def data_for(action: str, department: str, primary: Event) -> dict[str, Any]:
    return {
        Action.SELF_RESOLVE: {"photos": [png()]},
        Action.REJECT: {"reason": "不予立案"},
        Action.MERGE: {"primary": primary.number},
        Action.DISPATCH: {"department": department},
        Action.RETURN: {"reason": "非本部门职责"},
        Action.REPORT_BACK: {"note": "已处置", "photos": [png()]},
        Action.VERIFY_FAIL: {"reason": "返工"},
        Action.REQUEST_EXTENSION: {"reason": "需协调", "working_days": 2},
        Action.DECIDE_EXTENSION: {"approve": department == "city-management"},
        Action.SUSPEND: {"reason": "挂账"},
        Action.URGE: {"note": "催办"},
        Action.SUPERVISE: {"note": "督办"},
        Action.CALL_DEPARTMENTS: {"departments": ["safety"]},
        Action.REPORT_IN: {"note": "已报到"},
        Action.REOPEN: {"reason": "不满意"},
        Action.RATE: {"satisfaction": 3},
        Action.AUTO_CLOSE: {"note": "设备已恢复"},
    }.get(action, {})


def attempt(event: Event, action: str, actor: Any, data: dict[str, Any]) -> Any:
    """The transition's result, or the ApplicationError it was refused with."""
    try:
        return services.event_transition(event=event, action=action, actor=actor, **data)
    except ApplicationError as error:
        return error


class EventWorkflow(RuleBasedStateMachine):
    users: dict[str, Any] = {}
    points: dict[str, tuple[float, float]] = {}

    events = Bundle("events")

    def __init__(self) -> None:
        super().__init__()
        self.applied: dict[int, int] = {}  # event id → steps we expect
        self.status: dict[int, str] = {}
        self.merged_into: dict[int, int] = {}

    def actor(self, name: str) -> Any:
        return SYSTEM if name == "system" else self.users[name]

    @rule(
        target=events,
        reporter=st.sampled_from(REPORTERS),
        grid=st.sampled_from([HOME_GRID, HOME_GRID, OTHER_GRID]),
        on_the_spot=st.booleans(),
    )
    def report(self, reporter: str, grid: str, on_the_spot: bool) -> int:
        lat, lng = self.points[grid]
        self_resolved = on_the_spot and reporter == "grid_worker" and grid == HOME_GRID
        event = services.event_report(
            actor=self.actor(reporter),
            category="E0101",
            description="巡查发现垃圾",
            lat=lat,
            lng=lng,
            self_resolved=self_resolved,
            after_photos=[png()] if self_resolved else [],
        ).event
        self.applied[event.pk] = 2 if self_resolved else 1
        self.status[event.pk] = event.status
        return event.pk

    @rule(
        event_id=events,
        other_id=events,
        action=st.sampled_from(ACTIONS),
        who=st.sampled_from(ACTORS),
        department=st.sampled_from(["city-management", "enforcement"]),
    )
    def act(self, event_id: int, other_id: int, action: str, who: str, department: str) -> None:
        event = Event.objects.get(pk=event_id)
        primary = Event.objects.get(pk=other_id)
        steps_before = EventStep.objects.filter(event_id=event_id).count()
        result = attempt(event, action, self.actor(who), data_for(action, department, primary))
        if isinstance(result, ApplicationError):
            # refused: a clear status, and no trace left
            assert result.status in (403, 404, 409, 422), result.message
            assert EventStep.objects.filter(event_id=event_id).count() == steps_before
            assert Event.objects.get(pk=event_id).status == self.status[event_id]
            return
        self.record(event_id, action, result, primary)

    @rule(
        event_id=events,
        other_id=events,
        choice=st.integers(min_value=0, max_value=200),
        department=st.sampled_from(["city-management", "enforcement"]),
    )
    def advance(self, event_id: int, other_id: int, choice: int, department: str) -> None:
        """Someone takes one of the actions the selector offers them: it must succeed, except
        when the data chosen here does not fit (merging into a closed event, calling a
        department twice)."""
        event = Event.objects.get(pk=event_id)
        offered = [
            (who, item.action)
            for who in ACTORS
            for item in event_allowed_actions(event=event, user=self.actor(who))
        ]
        if not offered:
            return
        # Weigh the main line (accept, dispatch, handle, report back, verify …) so that the
        # machine reaches the late states, not only urging.
        weighted = [*offered, *[pair for pair in offered if pair[1] in WAITING_ACTIONS] * 6]
        who, action = weighted[choice % len(weighted)]
        primary = Event.objects.get(pk=other_id)
        result = attempt(event, action, self.actor(who), data_for(action, department, primary))
        if isinstance(result, ApplicationError):
            assert action in (Action.MERGE, Action.CALL_DEPARTMENTS), (action, result.message)
            assert result.status in (409, 422), result.message
            return
        self.record(event_id, action, result, primary)

    def record(self, event_id: int, action: str, result: Event, primary: Event) -> None:
        self.applied[event_id] += 1
        self.status[event_id] = result.status
        if action == Action.MERGE:
            self.merged_into[event_id] = primary.pk
        if result.status in (Status.CLOSED, Status.REJECTED):
            for follower, target in self.merged_into.items():
                if target == event_id and self.status[follower] == Status.MERGED:
                    self.applied[follower] += 1
                    self.status[follower] = result.status

    @invariant()
    def every_event_has_an_owner(self) -> None:
        ownerless = Event.objects.filter(
            pk__in=list(self.applied),
            responsible_department__isnull=True,
            responsible_user__isnull=True,
        )
        assert not ownerless.exists()

    @invariant()
    def one_step_per_applied_action(self) -> None:
        for event_id, expected in self.applied.items():
            assert EventStep.objects.filter(event_id=event_id).count() == expected

    @invariant()
    def statuses_match_the_model(self) -> None:
        actual = dict(Event.objects.filter(pk__in=list(self.applied)).values_list("pk", "status"))
        assert actual == self.status

    @invariant()
    def closed_means_verified_or_resolved_on_the_spot(self) -> None:
        for event in Event.objects.filter(pk__in=list(self.applied), status=Status.CLOSED):
            closing = (
                EventStep.objects.filter(event=event, to_status=Status.CLOSED)
                .exclude(from_status=Status.CLOSED)
                .latest("id")
            )
            assert closing.action in CLOSING
            assert event.is_self_resolved == (
                closing.action == Action.SELF_RESOLVE
                or (
                    closing.action == "follow_primary"
                    and Event.objects.get(pk=event.merged_into_id).is_self_resolved
                )
            )
            assert event.closed_at is not None

    @invariant()
    def merged_events_point_at_their_primary(self) -> None:
        for event_id, primary_id in self.merged_into.items():
            assert Event.objects.get(pk=event_id).merged_into_id == primary_id

    @invariant()
    def counts_by_status_add_up(self) -> None:
        mine = Event.objects.filter(pk__in=list(self.applied))
        by_status = sum(mine.filter(status=status).count() for status in Status.values)
        assert by_status == mine.count() == len(self.applied)


def test_the_workflow_keeps_its_invariants(users: Any) -> None:
    EventWorkflow.users = users
    EventWorkflow.points = {grid: point_in(grid) for grid in (HOME_GRID, OTHER_GRID)}
    run_state_machine_as_test(
        EventWorkflow,
        settings=settings(
            max_examples=10,
            stateful_step_count=40,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
