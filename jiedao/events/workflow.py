"""The event workflow as plain data: states, actions and the transition table.

GB/T 30428 digital urban management: 信息收集 → 立案 → 派遣 → 处置 → 反馈 → 核查结案 → 综合评价.
This module says *what may happen*; :func:`jiedao.events.services.event_transition` is the one
place that *makes it happen*, and :func:`jiedao.events.selectors.event_allowed_actions` the one
place that tells pages and the API which actions a user may take on an event now. Nothing here
touches the database.

How to read the table. ``TRANSITIONS[(status, action)]`` exists when ``action`` is possible in
``status``; its :class:`Transition` says

* ``target`` — the next status, or :data:`STAY` (the action is logged but the status does not
  change: urging, extensions, calls), :data:`RESTORE` (back to the status the event had before
  it was suspended) or :data:`FOLLOW` (a merged event takes its primary's outcome);
* ``allowed`` — role → :class:`Relation` the actor must have to the event. A role missing from
  the mapping may not take the action in that status (403); an actor whose role is allowed but
  who lacks the relation (a handler of another department) gets 403 too;
* ``guard`` — a condition on the event beyond its status (an extension must be pending before it
  is decided); when it fails the answer is 409, like a wrong status;
* ``requires`` — data the action cannot do without (a reason to reject, a note to report back).

Every event always has an owner: at intake the command centre (首接负责), after dispatch the
responsible department; a return hands it back to the command centre, never to nobody.

``SYSTEM`` (commands, background tasks, the demo generator) passes the role check but never the
status check: even the installation cannot close an event that is not reported back.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import Role


class Status(models.TextChoices):
    REPORTED = "reported", _("Reported")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    DISPATCHED = "dispatched", _("Dispatched")
    HANDLING = "handling", _("Handling")
    REPORTED_BACK = "reported_back", _("Reported back")
    CLOSED = "closed", _("Closed")
    SUSPENDED = "suspended", _("Suspended")
    MERGED = "merged", _("Merged into another event")


class Action(models.TextChoices):
    REPORT = "report", _("Report")
    SELF_RESOLVE = "self_resolve", _("Resolve on the spot")
    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Reject")
    DISPATCH = "dispatch", _("Dispatch")
    START_HANDLING = "start_handling", _("Start handling")
    RETURN = "return", _("Return to the dispatcher")
    REPORT_BACK = "report_back", _("Report back")
    VERIFY_PASS = "verify_pass", _("Verify and close")
    VERIFY_FAIL = "verify_fail", _("Send back for rework")
    REQUEST_EXTENSION = "request_extension", _("Request an extension")
    DECIDE_EXTENSION = "decide_extension", _("Decide on the extension")
    SUSPEND = "suspend", _("Suspend")
    RESUME = "resume", _("Resume")
    URGE = "urge", _("Urge")
    SUPERVISE = "supervise", _("Supervise")
    CALL_DEPARTMENTS = "call_departments", _("Call departments")
    REPORT_IN = "report_in", _("Report in")
    REOPEN = "reopen", _("Reopen")
    RATE = "rate", _("Rate")
    MERGE = "merge", _("Merge into another event")
    FOLLOW_PRIMARY = "follow_primary", _("Follow the primary event")
    AUTO_CLOSE = "auto_close", _("Close on the device's recovery")


class Source(models.TextChoices):
    GRID_PATROL = "grid_patrol", _("Grid patrol")
    RESIDENT = "resident", _("Resident report")
    HOTLINE_12345 = "hotline_12345", _("12345 hotline")
    SENSOR = "sensor", _("Sensor alarm")
    DEPARTMENT_TRANSFER = "department_transfer", _("Department transfer")
    LEADER_ASSIGNMENT = "leader_assignment", _("Leader assignment")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    CRITICAL = "critical", _("Critical")


class WarningLevel(models.TextChoices):
    """Deadline warning: yellow in the last share of the allowed working time, red when overdue."""

    NONE = "none", _("On time")
    YELLOW = "yellow", _("Deadline near")
    RED = "red", _("Overdue")


WARNING_RANK = {WarningLevel.NONE: 0, WarningLevel.YELLOW: 1, WarningLevel.RED: 2}


class Relation(StrEnum):
    """What the actor must be to the event, beyond seeing it (seeing is checked first: 404)."""

    SUBDISTRICT = "subdistrict"  # anywhere the actor can see: dispatchers, supervisors
    IN_GRID = "in_grid"  # the event lies in the actor's grid
    IN_COMMUNITY = "in_community"  # the event lies in the actor's community
    RESPONSIBLE_DEPARTMENT = "responsible_department"  # the actor's department is responsible
    COOPERATING_DEPARTMENT = "cooperating_department"  # called and not yet reported in
    REPORTER = "reporter"  # the actor reported the event


class Guard(StrEnum):
    """Conditions on the event beyond its status; a failed guard answers 409."""

    EXTENSION_REQUESTED = "extension_requested"
    NO_EXTENSION_REQUESTED = "no_extension_requested"
    WAS_DISPATCHED = "was_dispatched"  # only events a department handled can be reopened
    NOT_RATED = "not_rated"
    COOPERATION_PENDING = "cooperation_pending"  # a called department has yet to report in


STAY = "stay"
RESTORE = "restore"
FOLLOW = "follow"


@dataclass(frozen=True)
class Transition:
    target: str  # a Status value, STAY, RESTORE or FOLLOW
    allowed: "RoleRelations"
    guard: Guard | None = None
    requires: tuple[str, ...] = field(default_factory=tuple)


# The states in which an event is still being worked on.
OPEN_STATES = frozenset(
    {
        Status.REPORTED,
        Status.ACCEPTED,
        Status.DISPATCHED,
        Status.HANDLING,
        Status.REPORTED_BACK,
        Status.SUSPENDED,
    }
)
FINAL_STATES = frozenset({Status.CLOSED, Status.REJECTED, Status.MERGED})
# Which deadline runs in which status. Suspended events and events waiting for verification
# raise no warning: the clock is not the department's then.
ACCEPT_PHASE = frozenset({Status.REPORTED})
HANDLE_PHASE = frozenset({Status.ACCEPTED, Status.DISPATCHED, Status.HANDLING})

R = Relation
RoleRelations = Mapping[str, Relation]
DISPATCHER: RoleRelations = {Role.DISPATCHER: R.SUBDISTRICT}
DEPARTMENT: RoleRelations = {
    Role.DEPARTMENT_HANDLER: R.RESPONSIBLE_DEPARTMENT,
    Role.ENFORCEMENT_OFFICER: R.RESPONSIBLE_DEPARTMENT,
}
COOPERATING: RoleRelations = {
    Role.DEPARTMENT_HANDLER: R.COOPERATING_DEPARTMENT,
    Role.ENFORCEMENT_OFFICER: R.COOPERATING_DEPARTMENT,
}
VERIFIERS: RoleRelations = {Role.GRID_WORKER: R.IN_GRID, Role.DISPATCHER: R.SUBDISTRICT}
SUPERVISORS: RoleRelations = {Role.DISPATCHER: R.SUBDISTRICT, Role.SUPERVISOR: R.SUBDISTRICT}
URGERS: RoleRelations = {**SUPERVISORS, Role.GRID_LEAD: R.IN_COMMUNITY}
CALLERS: RoleRelations = {**DEPARTMENT, **DISPATCHER, Role.GRID_LEAD: R.IN_COMMUNITY}
RESIDENT_OR_DISPATCHER: RoleRelations = {Role.RESIDENT: R.REPORTER, **DISPATCHER}
SYSTEM_ONLY: RoleRelations = {}

S = Status
A = Action

TRANSITIONS: dict[tuple[str, str], Transition] = {
    # 信息收集 → 立案
    (S.REPORTED, A.SELF_RESOLVE): Transition(S.CLOSED, {Role.GRID_WORKER: R.IN_GRID}),
    (S.REPORTED, A.ACCEPT): Transition(S.ACCEPTED, DISPATCHER),
    (S.REPORTED, A.REJECT): Transition(S.REJECTED, DISPATCHER, requires=("reason",)),
    (S.REPORTED, A.MERGE): Transition(S.MERGED, DISPATCHER, requires=("primary",)),
    (S.ACCEPTED, A.MERGE): Transition(S.MERGED, DISPATCHER, requires=("primary",)),
    # 派遣 → 处置 → 反馈
    (S.ACCEPTED, A.DISPATCH): Transition(S.DISPATCHED, DISPATCHER),
    (S.DISPATCHED, A.START_HANDLING): Transition(S.HANDLING, DEPARTMENT),
    (S.DISPATCHED, A.RETURN): Transition(S.ACCEPTED, DEPARTMENT, requires=("reason",)),
    (S.HANDLING, A.RETURN): Transition(S.ACCEPTED, DEPARTMENT, requires=("reason",)),
    (S.HANDLING, A.REPORT_BACK): Transition(S.REPORTED_BACK, DEPARTMENT, requires=("note",)),
    # 核查结案
    (S.REPORTED_BACK, A.VERIFY_PASS): Transition(S.CLOSED, VERIFIERS),
    (S.REPORTED_BACK, A.VERIFY_FAIL): Transition(S.HANDLING, VERIFIERS, requires=("reason",)),
    # 延期
    (S.DISPATCHED, A.REQUEST_EXTENSION): Transition(
        STAY, DEPARTMENT, Guard.NO_EXTENSION_REQUESTED, ("reason", "working_days")
    ),
    (S.HANDLING, A.REQUEST_EXTENSION): Transition(
        STAY, DEPARTMENT, Guard.NO_EXTENSION_REQUESTED, ("reason", "working_days")
    ),
    (S.DISPATCHED, A.DECIDE_EXTENSION): Transition(
        STAY, DISPATCHER, Guard.EXTENSION_REQUESTED, ("approve",)
    ),
    (S.HANDLING, A.DECIDE_EXTENSION): Transition(
        STAY, DISPATCHER, Guard.EXTENSION_REQUESTED, ("approve",)
    ),
    # 挂账
    (S.ACCEPTED, A.SUSPEND): Transition(S.SUSPENDED, DISPATCHER, requires=("reason",)),
    (S.DISPATCHED, A.SUSPEND): Transition(S.SUSPENDED, DISPATCHER, requires=("reason",)),
    (S.HANDLING, A.SUSPEND): Transition(S.SUSPENDED, DISPATCHER, requires=("reason",)),
    (S.SUSPENDED, A.RESUME): Transition(RESTORE, DISPATCHER),
    # 吹哨报到
    (S.DISPATCHED, A.CALL_DEPARTMENTS): Transition(STAY, CALLERS, requires=("departments",)),
    (S.HANDLING, A.CALL_DEPARTMENTS): Transition(STAY, CALLERS, requires=("departments",)),
    (S.DISPATCHED, A.REPORT_IN): Transition(
        STAY, COOPERATING, Guard.COOPERATION_PENDING, ("note",)
    ),
    (S.HANDLING, A.REPORT_IN): Transition(STAY, COOPERATING, Guard.COOPERATION_PENDING, ("note",)),
    # 综合评价
    (S.CLOSED, A.REOPEN): Transition(
        S.HANDLING, RESIDENT_OR_DISPATCHER, Guard.WAS_DISPATCHED, ("reason",)
    ),
    (S.CLOSED, A.RATE): Transition(
        STAY, RESIDENT_OR_DISPATCHER, Guard.NOT_RATED, ("satisfaction",)
    ),
    # A merged event takes its primary's outcome (applied by the service, never by a user).
    (S.MERGED, A.FOLLOW_PRIMARY): Transition(FOLLOW, SYSTEM_ONLY),
}

# A sensor alarm whose type says so closes its event when the device reports recovery (the
# sensors listener, never a user); a suspended event waits for the dispatcher instead.
for _status in (S.REPORTED, S.ACCEPTED, S.DISPATCHED, S.HANDLING, S.REPORTED_BACK):
    TRANSITIONS[(_status, A.AUTO_CLOSE)] = Transition(S.CLOSED, SYSTEM_ONLY, requires=("note",))

# 催办 and 督办: logged and notified in every open status, never a change of status.
for _status in sorted(OPEN_STATES):
    TRANSITIONS[(_status, A.URGE)] = Transition(STAY, URGERS)
    TRANSITIONS[(_status, A.SUPERVISE)] = Transition(STAY, SUPERVISORS, requires=("note",))

# The actions that move an event along its main line: an event on which a user can take one of
# these is waiting for them (their inbox). Urging, suspending, merging … are possible, not due.
WAITING_ACTIONS = frozenset(
    {
        A.ACCEPT,
        A.DISPATCH,
        A.START_HANDLING,
        A.REPORT_BACK,
        A.VERIFY_PASS,
        A.DECIDE_EXTENSION,
        A.REPORT_IN,
    }
)

# Creation is not a transition between two states, but it is governed the same way.
REPORT_ROLES = frozenset(
    {
        Role.RESIDENT,
        Role.GRID_WORKER,
        Role.GRID_LEAD,
        Role.DISPATCHER,
        Role.DEPARTMENT_HANDLER,
        Role.ENFORCEMENT_OFFICER,
        Role.SUPERVISOR,
    }
)
# The sources each role may report from; the first is the default.
REPORT_SOURCES: dict[str, tuple[str, ...]] = {
    Role.RESIDENT: (Source.RESIDENT,),
    Role.GRID_WORKER: (Source.GRID_PATROL,),
    Role.GRID_LEAD: (Source.GRID_PATROL, Source.RESIDENT),
    Role.DISPATCHER: (
        Source.HOTLINE_12345,
        Source.RESIDENT,
        Source.GRID_PATROL,
        Source.SENSOR,
        Source.DEPARTMENT_TRANSFER,
        Source.LEADER_ASSIGNMENT,
    ),
    Role.DEPARTMENT_HANDLER: (Source.DEPARTMENT_TRANSFER,),
    Role.ENFORCEMENT_OFFICER: (Source.DEPARTMENT_TRANSFER,),
    Role.SUPERVISOR: (Source.LEADER_ASSIGNMENT,),
}
SYSTEM_DEFAULT_SOURCE = Source.SENSOR

# Everyone with a role in the workflow sees events in their scope; a social organisation works
# through the community's needs list instead, and a resident sees only their own reports.
VIEW_ROLES = frozenset(set(Role) - {Role.SOCIAL_ORGANISATION})

# Who may see a reporter's full phone number (always logged): the people who must call back.
CONTACT_RELATIONS: Mapping[str, Relation] = {
    Role.DISPATCHER: R.SUBDISTRICT,
    Role.GRID_WORKER: R.IN_GRID,
    Role.DEPARTMENT_HANDLER: R.RESPONSIBLE_DEPARTMENT,
    Role.ENFORCEMENT_OFFICER: R.RESPONSIBLE_DEPARTMENT,
}

# Who may add photos to an open event (留痕 of the work on the spot).
PHOTO_RELATIONS: Mapping[str, Relation] = {
    Role.RESIDENT: R.REPORTER,
    Role.GRID_WORKER: R.IN_GRID,
    Role.GRID_LEAD: R.IN_COMMUNITY,
    Role.DISPATCHER: R.SUBDISTRICT,
    Role.DEPARTMENT_HANDLER: R.RESPONSIBLE_DEPARTMENT,
    Role.ENFORCEMENT_OFFICER: R.RESPONSIBLE_DEPARTMENT,
}


class PhotoStage(models.TextChoices):
    BEFORE = "before", _("Before")
    HANDLING = "handling", _("During handling")
    AFTER = "after", _("After")


# The stage of the photos that come with an action.
ACTION_PHOTO_STAGE: dict[str, str] = {
    A.REPORT: PhotoStage.BEFORE,
    A.SELF_RESOLVE: PhotoStage.AFTER,
    A.START_HANDLING: PhotoStage.HANDLING,
    A.REPORT_BACK: PhotoStage.AFTER,
    A.VERIFY_PASS: PhotoStage.AFTER,
    A.VERIFY_FAIL: PhotoStage.AFTER,
    A.REPORT_IN: PhotoStage.HANDLING,
    A.REOPEN: PhotoStage.AFTER,
}


class Audience(StrEnum):
    """Who is told about a step (a :class:`~jiedao.events.models.Notification` after commit)."""

    REPORTER = "reporter"
    DISPATCHERS = "dispatchers"
    RESPONSIBLE = "responsible"  # staff of the responsible department, and its handler
    VERIFIERS = "verifiers"  # the grid workers of the event's grid
    CALLED = "called"  # the departments just called


NOTIFY: dict[str, tuple[Audience, ...]] = {
    A.REPORT: (Audience.DISPATCHERS,),
    A.ACCEPT: (Audience.REPORTER,),
    A.REJECT: (Audience.REPORTER,),
    A.DISPATCH: (Audience.RESPONSIBLE,),
    A.RETURN: (Audience.DISPATCHERS,),
    A.REPORT_BACK: (Audience.VERIFIERS, Audience.DISPATCHERS),
    A.VERIFY_PASS: (Audience.RESPONSIBLE, Audience.REPORTER),
    A.VERIFY_FAIL: (Audience.RESPONSIBLE,),
    A.REQUEST_EXTENSION: (Audience.DISPATCHERS,),
    A.DECIDE_EXTENSION: (Audience.RESPONSIBLE,),
    A.SUSPEND: (Audience.RESPONSIBLE,),
    A.RESUME: (Audience.RESPONSIBLE,),
    A.URGE: (Audience.RESPONSIBLE,),
    A.SUPERVISE: (Audience.RESPONSIBLE, Audience.DISPATCHERS),
    A.CALL_DEPARTMENTS: (Audience.CALLED,),
    A.REPORT_IN: (Audience.RESPONSIBLE,),
    A.REOPEN: (Audience.RESPONSIBLE, Audience.DISPATCHERS),
    A.RATE: (Audience.RESPONSIBLE,),
    A.MERGE: (Audience.REPORTER,),
    A.FOLLOW_PRIMARY: (Audience.REPORTER,),
    A.AUTO_CLOSE: (Audience.RESPONSIBLE,),
}
# Deadline warnings from the periodic job (steps of kind "warning").
WARNING_NOTIFY: dict[str, tuple[Audience, ...]] = {
    WarningLevel.YELLOW: (Audience.RESPONSIBLE,),
    WarningLevel.RED: (Audience.RESPONSIBLE, Audience.DISPATCHERS),
}


def transition_for(status: str, action: str) -> Transition | None:
    return TRANSITIONS.get((status, action))


def actions_in(status: str) -> list[str]:
    """The actions the table knows in ``status``, in the order of :class:`Action`."""
    return [action for action in Action.values if (status, action) in TRANSITIONS]


def roles_for(action: str) -> frozenset[str]:
    """Every role that may take ``action`` in some status (the permission table's row)."""
    return frozenset(
        role
        for (_status, table_action), transition in TRANSITIONS.items()
        if table_action == action
        for role in transition.allowed
    )


# What the audit trail calls the entries of the event services (see jiedao.audit.labels):
# ``events.event.<action>`` for each action, the warnings, photos added later, a shown number.
AUDIT_ACTION_LABELS: dict[str, Any] = {
    **{f"events.event.{action.value}": action.label for action in Action},
    "events.event.warning": _("Deadline warning"),
    "events.event.add_photo": _("Photo added"),
    "events.event.reveal_contact": _("Reporter's number shown"),
    "events.event.export": _("Event list exported"),
    "events.event.import": _("12345 work orders imported"),
}
