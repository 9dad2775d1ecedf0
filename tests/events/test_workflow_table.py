"""The whole transition table × every role, through the one service that applies transitions.

For each row (status, action) of the workflow table and each role, the demo user with that role
acts on an event put in that status, set up so that the user has the relation the row asks of
their role (their grid, their community, their department, their own report). Allowed → the table's next status, one step and one audit entry more. Not allowed → 403
(role or relation) or 404 (the event is outside what they may see), and nothing changed.
Every (status, action) pair NOT in the table answers 409 to a role that may take the action
somewhere, again with nothing changed.

The table the cases are built from is written out below as plain strings, not read from the
code: a wrong row in ``workflow.TRANSITIONS`` fails ``test_the_table_is_exactly_the_expected_one``
and the behavioural cases then test the rows as they should be.
"""

from typing import Any

import pytest

from jiedao.accounts.models import Role
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import ApplicationError
from jiedao.events.models import Event, EventStep
from jiedao.events.workflow import TRANSITIONS, Action, Relation, Status
from tests.roles import ALL_ROLES

from .conftest import OTHER_GRID, act, png, report

pytestmark = pytest.mark.django_db

STATUSES = [
    "reported",
    "accepted",
    "rejected",
    "dispatched",
    "handling",
    "reported_back",
    "closed",
    "suspended",
    "merged",
]
ACTIONS = [
    "report",
    "self_resolve",
    "accept",
    "reject",
    "dispatch",
    "start_handling",
    "return",
    "report_back",
    "verify_pass",
    "verify_fail",
    "request_extension",
    "decide_extension",
    "suspend",
    "resume",
    "urge",
    "supervise",
    "call_departments",
    "report_in",
    "reopen",
    "rate",
    "merge",
    "follow_primary",
    "auto_close",
]

# (status, action) → (target, {role: relation}, guard, requires): the workflow as it must be.
# target "stay" keeps the status, "restore" goes back to the status before the suspension,
# "follow" takes the primary event's outcome.
Row = tuple[str, dict[str, str], str | None, tuple[str, ...]]
WORKFLOW: dict[tuple[str, str], Row] = {
    # reported
    ("reported", "self_resolve"): ("closed", {"grid_worker": "in_grid"}, None, ()),
    ("reported", "accept"): ("accepted", {"dispatcher": "subdistrict"}, None, ()),
    ("reported", "reject"): ("rejected", {"dispatcher": "subdistrict"}, None, ("reason",)),
    ("reported", "urge"): (
        "stay",
        {"dispatcher": "subdistrict", "supervisor": "subdistrict", "grid_lead": "in_community"},
        None,
        (),
    ),
    ("reported", "supervise"): (
        "stay",
        {"dispatcher": "subdistrict", "supervisor": "subdistrict"},
        None,
        ("note",),
    ),
    ("reported", "merge"): ("merged", {"dispatcher": "subdistrict"}, None, ("primary",)),
    # accepted
    ("accepted", "dispatch"): ("dispatched", {"dispatcher": "subdistrict"}, None, ()),
    ("accepted", "suspend"): ("suspended", {"dispatcher": "subdistrict"}, None, ("reason",)),
    ("accepted", "urge"): (
        "stay",
        {"dispatcher": "subdistrict", "supervisor": "subdistrict", "grid_lead": "in_community"},
        None,
        (),
    ),
    ("accepted", "supervise"): (
        "stay",
        {"dispatcher": "subdistrict", "supervisor": "subdistrict"},
        None,
        ("note",),
    ),
    ("accepted", "merge"): ("merged", {"dispatcher": "subdistrict"}, None, ("primary",)),
    # dispatched
    ("dispatched", "start_handling"): (
        "handling",
        {
            "department_handler": "responsible_department",
            "enforcement_officer": "responsible_department",
        },
        None,
        (),
    ),
    ("dispatched", "return"): (
        "accepted",
        {
            "department_handler": "responsible_department",
            "enforcement_officer": "responsible_department",
        },
        None,
        ("reason",),
    ),
    ("dispatched", "request_extension"): (
        "stay",
        {
            "department_handler": "responsible_department",
            "enforcement_officer": "responsible_department",
        },
        "no_extension_requested",
        ("reason", "working_days"),
    ),
    ("dispatched", "decide_extension"): (
        "stay",
        {"dispatcher": "subdistrict"},
        "extension_requested",
        ("approve",),
    ),
    ("dispatched", "suspend"): ("suspended", {"dispatcher": "subdistrict"}, None, ("reason",)),
    ("dispatched", "urge"): (
        "stay",
        {"dispatcher": "subdistrict", "supervisor": "subdistrict", "grid_lead": "in_community"},
        None,
        (),
    ),
    ("dispatched", "supervise"): (
        "stay",
        {"dispatcher": "subdistrict", "supervisor": "subdistrict"},
        None,
        ("note",),
    ),
    ("dispatched", "call_departments"): (
        "stay",
        {
            "department_handler": "responsible_department",
            "enforcement_officer": "responsible_department",
            "dispatcher": "subdistrict",
            "grid_lead": "in_community",
        },
        None,
        ("departments",),
    ),
    ("dispatched", "report_in"): (
        "stay",
        {
            "department_handler": "cooperating_department",
            "enforcement_officer": "cooperating_department",
        },
        "cooperation_pending",
        ("note",),
    ),
    # handling
    ("handling", "return"): (
        "accepted",
        {
            "department_handler": "responsible_department",
            "enforcement_officer": "responsible_department",
        },
        None,
        ("reason",),
    ),
    ("handling", "report_back"): (
        "reported_back",
        {
            "department_handler": "responsible_department",
            "enforcement_officer": "responsible_department",
        },
        None,
        ("note",),
    ),
    ("handling", "request_extension"): (
        "stay",
        {
            "department_handler": "responsible_department",
            "enforcement_officer": "responsible_department",
        },
        "no_extension_requested",
        ("reason", "working_days"),
    ),
    ("handling", "decide_extension"): (
        "stay",
        {"dispatcher": "subdistrict"},
        "extension_requested",
        ("approve",),
    ),
    ("handling", "suspend"): ("suspended", {"dispatcher": "subdistrict"}, None, ("reason",)),
    ("handling", "urge"): (
        "stay",
        {"dispatcher": "subdistrict", "supervisor": "subdistrict", "grid_lead": "in_community"},
        None,
        (),
    ),
    ("handling", "supervise"): (
        "stay",
        {"dispatcher": "subdistrict", "supervisor": "subdistrict"},
        None,
        ("note",),
    ),
    ("handling", "call_departments"): (
        "stay",
        {
            "department_handler": "responsible_department",
            "enforcement_officer": "responsible_department",
            "dispatcher": "subdistrict",
            "grid_lead": "in_community",
        },
        None,
        ("departments",),
    ),
    ("handling", "report_in"): (
        "stay",
        {
            "department_handler": "cooperating_department",
            "enforcement_officer": "cooperating_department",
        },
        "cooperation_pending",
        ("note",),
    ),
    # reported_back
    ("reported_back", "verify_pass"): (
        "closed",
        {"grid_worker": "in_grid", "dispatcher": "subdistrict"},
        None,
        (),
    ),
    ("reported_back", "verify_fail"): (
        "handling",
        {"grid_worker": "in_grid", "dispatcher": "subdistrict"},
        None,
        ("reason",),
    ),
    ("reported_back", "urge"): (
        "stay",
        {"dispatcher": "subdistrict", "supervisor": "subdistrict", "grid_lead": "in_community"},
        None,
        (),
    ),
    ("reported_back", "supervise"): (
        "stay",
        {"dispatcher": "subdistrict", "supervisor": "subdistrict"},
        None,
        ("note",),
    ),
    # closed
    ("closed", "reopen"): (
        "handling",
        {"resident": "reporter", "dispatcher": "subdistrict"},
        "was_dispatched",
        ("reason",),
    ),
    ("closed", "rate"): (
        "stay",
        {"resident": "reporter", "dispatcher": "subdistrict"},
        "not_rated",
        ("satisfaction",),
    ),
    # suspended
    ("suspended", "resume"): ("restore", {"dispatcher": "subdistrict"}, None, ()),
    ("suspended", "urge"): (
        "stay",
        {"dispatcher": "subdistrict", "supervisor": "subdistrict", "grid_lead": "in_community"},
        None,
        (),
    ),
    ("suspended", "supervise"): (
        "stay",
        {"dispatcher": "subdistrict", "supervisor": "subdistrict"},
        None,
        ("note",),
    ),
    # merged
    ("merged", "follow_primary"): ("follow", {}, None, ()),
    # a sensor's recovery closes its event (the sensors listener only)
    ("reported", "auto_close"): ("closed", {}, None, ("note",)),
    ("accepted", "auto_close"): ("closed", {}, None, ("note",)),
    ("dispatched", "auto_close"): ("closed", {}, None, ("note",)),
    ("handling", "auto_close"): ("closed", {}, None, ("note",)),
    ("reported_back", "auto_close"): ("closed", {}, None, ("note",)),
}


def plain(transitions: Any) -> dict[tuple[str, str], Row]:
    """The code's table in the literal table's terms: strings, dicts and tuples only."""
    return {
        (str(status), str(action)): (
            str(transition.target),
            {str(role): str(relation) for role, relation in transition.allowed.items()},
            None if transition.guard is None else str(transition.guard),
            tuple(str(name) for name in transition.requires),
        )
        for (status, action), transition in transitions.items()
    }


def test_the_table_is_exactly_the_expected_one() -> None:
    actual = plain(TRANSITIONS)
    # no row missing from the code, no row the code has on top, then every row's content
    assert sorted(set(WORKFLOW) - set(actual)) == []
    assert sorted(set(actual) - set(WORKFLOW)) == []
    assert len(actual) == 44
    for pair, row in WORKFLOW.items():
        assert actual[pair] == row, pair
    assert actual == WORKFLOW


def test_statuses_and_actions_are_the_expected_ones() -> None:
    assert Status.values == STATUSES
    assert Action.values == ACTIONS


DEPARTMENT_ROLES = {Role.DEPARTMENT_HANDLER, Role.ENFORCEMENT_OFFICER}
OWN_DEPARTMENT = {
    Role.DEPARTMENT_HANDLER: "city-management",
    Role.ENFORCEMENT_OFFICER: "enforcement",
}
DISPATCHED_STATES = {
    Status.DISPATCHED,
    Status.HANDLING,
    Status.REPORTED_BACK,
    Status.CLOSED,
    Status.SUSPENDED,
}


def departments_for(role: str, action: str) -> tuple[str, str]:
    """(lead department, department called in) so that ``role`` has its relation."""
    own = OWN_DEPARTMENT.get(role)
    if action == Action.REPORT_IN:
        called = own or "enforcement"
        lead = "enforcement" if called == "city-management" else "city-management"
        return lead, called
    return own or "city-management", "safety"


def path_to(status: str, lead: str) -> list[tuple[str, dict[str, Any]]]:
    dispatched = [("accept", {}), ("dispatch", {"department": lead})]
    return {
        Status.REPORTED: [],
        Status.ACCEPTED: [("accept", {})],
        Status.REJECTED: [("reject", {"reason": "不属于受理范围"})],
        Status.DISPATCHED: dispatched,
        Status.HANDLING: [*dispatched, ("start_handling", {})],
        Status.REPORTED_BACK: [
            *dispatched,
            ("start_handling", {}),
            ("report_back", {"note": "已清理"}),
        ],
        Status.CLOSED: [
            *dispatched,
            ("start_handling", {}),
            ("report_back", {"note": "已清理"}),
            ("verify_pass", {}),
        ],
        Status.SUSPENDED: [*dispatched, ("suspend", {"reason": "需长期整治"})],
        Status.MERGED: [],  # merged below, into a second event
    }[status]


def event_in(status: str, action: str, role: str, reporter: Any) -> Event:
    lead, called = departments_for(role, action)
    event = report(reporter)
    for step_action, data in path_to(status, lead):
        event = act(event, step_action, **data)
    if status == Status.MERGED:
        primary = report(reporter, description="同一处垃圾")
        event = act(event, "merge", primary=primary.number)
    # The guards of these two rows need a pending request / call, where one can be made.
    if action == Action.DECIDE_EXTENSION and (status, Action.REQUEST_EXTENSION) in WORKFLOW:
        event = act(event, "request_extension", reason="需协调物业", working_days=2)
    if action == Action.REPORT_IN and (status, Action.CALL_DEPARTMENTS) in WORKFLOW:
        event = act(event, "call_departments", departments=[called])
    return event


def action_data(action: str, reporter: Any) -> dict[str, Any]:
    if action == Action.MERGE:
        return {"primary": report(reporter, description="另一条上报").number}
    return {
        Action.SELF_RESOLVE: {"photos": [png()], "note": "现场已清理"},
        Action.REJECT: {"reason": "重复上报"},
        Action.RETURN: {"reason": "不属于本部门职责"},
        Action.REPORT_BACK: {"note": "已处置完毕"},
        Action.VERIFY_FAIL: {"reason": "仍有垃圾"},
        Action.REQUEST_EXTENSION: {"reason": "需协调", "working_days": 3},
        Action.DECIDE_EXTENSION: {"approve": True},
        Action.SUSPEND: {"reason": "需长期整治"},
        Action.URGE: {"note": "请尽快处理"},
        Action.SUPERVISE: {"note": "街道督办"},
        Action.CALL_DEPARTMENTS: {"departments": ["safety"]},
        Action.REPORT_IN: {"note": "已到场配合"},
        Action.REOPEN: {"reason": "居民不满意"},
        Action.RATE: {"satisfaction": 4},
    }.get(action, {})


def visible(role: str, status: str) -> bool:
    """Who sees the test event: everyone with a scope covering the home grid, the resident who
    reported it, and department staff once their department holds or was called to it."""
    if role in DEPARTMENT_ROLES:
        return status in DISPATCHED_STATES
    return role != Role.SOCIAL_ORGANISATION


def expected_status(status: str, target: str) -> str:
    if target == "stay":
        return status
    if target == "restore":
        return Status.DISPATCHED  # the suspended test event was dispatched
    return target


def snapshot_counts(event: Event) -> tuple[str, int, int]:
    event.refresh_from_db()
    return event.status, EventStep.objects.filter(event=event).count(), AuditEntry.objects.count()


TABLE_CASES = [
    pytest.param(status, action, role, id=f"{status}-{action}-{role}")
    for (status, action) in WORKFLOW
    for role in ALL_ROLES
]


@pytest.mark.parametrize(("status", "action", "role"), TABLE_CASES)
def test_transition_table_by_role(status: str, action: str, role: str, users: Any) -> None:
    # given an event in `status` that this role's demo user stands in the right relation to
    actor = users[role]
    event = event_in(status, action, role, users[Role.RESIDENT])
    data = action_data(action, users[Role.RESIDENT])
    target, allowed, _guard, _requires = WORKFLOW[(status, action)]
    status_before, steps_before, audits_before = snapshot_counts(event)

    if role in allowed and action != Action.FOLLOW_PRIMARY:
        # when the allowed role acts, then the table's next status is reached and logged once
        result = act(event, action, actor, **data)
        result.refresh_from_db()
        assert result.status == expected_status(status, target)
        assert EventStep.objects.filter(event=event).count() == steps_before + 1
        last = EventStep.objects.filter(event=event).latest("id")
        assert (last.action, last.from_status, last.to_status, last.actor_id) == (
            action,
            status,
            result.status,
            actor.pk,
        )
        assert AuditEntry.objects.count() == audits_before + 1
        assert result.responsible_department_id or result.responsible_user_id
        return

    # when anyone else tries, then 404 if they cannot see it, else 403 — and nothing changes
    with pytest.raises(ApplicationError) as raised:
        act(event, action, actor, **data)
    expected = 403 if visible(role, status) or role == Role.SOCIAL_ORGANISATION else 404
    assert raised.value.status == expected, raised.value.message
    assert snapshot_counts(event) == (status_before, steps_before, audits_before)


ACTOR_PREFERENCE = [
    Role.DISPATCHER,
    Role.DEPARTMENT_HANDLER,
    Role.GRID_WORKER,
    Role.SUPERVISOR,
    Role.RESIDENT,
]


def actor_role_for(action: str) -> str:
    roles = {
        role for (_, row_action), row in WORKFLOW.items() if row_action == action for role in row[1]
    }
    return next(role for role in ACTOR_PREFERENCE if role in roles)


MISSING_CASES = [
    pytest.param(status, action, id=f"{status}-{action}")
    for status in STATUSES
    for action in ACTIONS
    if action not in ("report", "follow_primary", "auto_close") and (status, action) not in WORKFLOW
]


@pytest.mark.parametrize(("status", "action"), MISSING_CASES)
def test_moves_outside_the_table_are_409(status: str, action: str, users: Any) -> None:
    # given an event the actor reported (so they can see it) in a status the action does not fit
    role = actor_role_for(action)
    actor = users[role]
    event = event_in(status, action, role, actor)
    data = action_data(action, actor)
    before = snapshot_counts(event)

    # when they try it, then 409 names the status and the action, and nothing changes
    with pytest.raises(ApplicationError) as raised:
        act(event, action, actor, **data)
    assert raised.value.status == 409
    assert raised.value.extra == {"status": status, "action": action}
    assert snapshot_counts(event) == before


def test_every_status_and_action_is_covered() -> None:
    assert len(TABLE_CASES) == 44 * 9
    pairs = {(case.values[0], case.values[1]) for case in MISSING_CASES} | set(WORKFLOW)
    # every status × action but report and the system's two; + follow_primary, + auto_close
    assert len(pairs) == 9 * (23 - 3) + 1 + 5


OTHER_DEPARTMENT = {
    Role.DEPARTMENT_HANDLER: "enforcement",
    Role.ENFORCEMENT_OFFICER: "city-management",
}
RELATION_CASES = [
    pytest.param(status, action, role, id=f"{status}-{action}-{role}")
    for (status, action), (_target, allowed, _guard, _requires) in WORKFLOW.items()
    for role, relation in allowed.items()
    if relation != "subdistrict"
]


def event_without_relation(status: str, action: str, role: str, users: Any) -> Event:
    """An event the user can see but does not stand in the row's relation to."""
    relation = WORKFLOW[(status, action)][1][role]
    actor = users[role]
    if relation in (Relation.IN_GRID, Relation.IN_COMMUNITY):
        # they reported it themselves, in another community's grid
        event = report(actor, grid=OTHER_GRID)
        lead = "city-management"
    elif relation == Relation.REPORTER:
        event = report(users[Role.DISPATCHER])  # someone else's report
        lead = "city-management"
    else:
        event = report(users[Role.RESIDENT])
        lead = (
            OWN_DEPARTMENT[role]
            if relation == Relation.COOPERATING_DEPARTMENT
            else OTHER_DEPARTMENT[role]
        )
    for step_action, data in path_to(status, lead):
        event = act(event, step_action, **data)
    if relation == Relation.RESPONSIBLE_DEPARTMENT:
        # called in to help, so they see it — but another department is responsible
        event = act(event, "call_departments", departments=[OWN_DEPARTMENT[role]])
    if action == Action.DECIDE_EXTENSION:
        event = act(event, "request_extension", reason="需协调物业", working_days=2)
    return event


@pytest.mark.parametrize(("status", "action", "role"), RELATION_CASES)
def test_allowed_role_without_the_relation_is_refused(
    status: str, action: str, role: str, users: Any
) -> None:
    # given an event of another grid / community / department / reporter
    event = event_without_relation(status, action, role, users)
    data = action_data(action, users[role] if role != Role.RESIDENT else users[Role.DISPATCHER])
    before = snapshot_counts(event)

    # when the role the row allows tries it, then 403 (404 for a resident: not their report)
    with pytest.raises(ApplicationError) as raised:
        act(event, action, users[role], **data)
    assert raised.value.status == (404 if role == Role.RESIDENT else 403), raised.value.message
    assert snapshot_counts(event) == before
