"""What each workflow action does to an event, beyond the move the table makes.

A handler receives a :class:`Change` carrying the event (locked), who acts, when, and the action's
typed input (:mod:`.inputs`); it sets fields, names the department concerned, adds what the
timeline step should record, and raises when the data does not fit. :func:`.transitions.
transition_apply` then saves, logs, stores the photos and tells people.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import scoped
from jiedao.core import workcalendar
from jiedao.core.errors import Conflict, InvalidInput
from jiedao.geo.models import Department

from ..deadlines import handling_deadline, warning_moment
from ..models import Event, EventAssignment, EventStep
from ..photos import CheckedPhoto
from ..routing import command_centre, route_propose
from ..workflow import FINAL_STATES, OPEN_STATES, Action, PhotoStage, Status, WarningLevel
from .common import Reporter, user_or_none
from .inputs import (
    CallInput,
    DispatchInput,
    ExtensionDecisionInput,
    ExtensionRequestInput,
    FollowInput,
    MergeInput,
    NoteInput,
    RatingInput,
    ReasonInput,
    Requires,
    SuperviseInput,
    TransitionArgs,
    call_input,
    dispatch_input,
    extension_decision_input,
    extension_request_input,
    follow_input,
    merge_input,
    note_input,
    rating_input,
    reason_input,
    supervise_input,
)

InputT = TypeVar("InputT")


@dataclass
class Change(Generic[InputT]):
    """What an action handler decided; :func:`.transitions.transition_apply` saves it, logs it
    and tells people."""

    event: Event
    actor: Reporter
    action: str
    at: datetime
    input: InputT
    fields: set[str] = field(default_factory=set)
    note: str = ""
    department: Department | None = None
    step_data: dict[str, Any] = field(default_factory=dict)
    photos: list[CheckedPhoto] = field(default_factory=list)
    called: list[int] = field(default_factory=list)

    def set(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self.event, name, value)
            self.fields.add(name)


@dataclass(frozen=True)
class ActionSpec(Generic[InputT]):
    """How one action reads its input, and what it then does."""

    read: Callable[[TransitionArgs, Requires, datetime], InputT]
    handle: Callable[[Change[InputT]], None]


def _department_by_code(value: str | None, *, subdistrict_id: int, field: str) -> Department:
    code = value.strip() if isinstance(value, str) else ""
    if not code:
        raise InvalidInput(_("Choose a department."), code="required", field=field)
    department = Department.objects.filter(subdistrict_id=subdistrict_id, code=code).first()
    if department is None:
        raise InvalidInput(
            _("Unknown department code “%(code)s”.") % {"code": code},
            code="unknown_department",
            field=field,
        )
    return department


def _department(value: Department | str | None, *, subdistrict_id: int, field: str) -> Department:
    department = (
        value
        if isinstance(value, Department)
        else _department_by_code(value, subdistrict_id=subdistrict_id, field=field)
    )
    if department.subdistrict_id != subdistrict_id or not department.is_active:
        raise InvalidInput(
            _("%(department)s cannot take events of this subdistrict.")
            % {"department": department.name},
            code="unknown_department",
            field=field,
        )
    return department


def _start_handle_clock(change: Change[Any]) -> None:
    deadline = handling_deadline(change.event.category, change.at)
    change.set(
        handle_due_at=deadline.due_at,
        handle_warn_at=deadline.warn_at,
        alert_level=WarningLevel.NONE,
    )
    change.step_data["handle_due_at"] = deadline.due_at.isoformat()
    if deadline.calendar_warning:
        change.step_data["calendar_warning"] = deadline.calendar_warning


def _handle_self_resolve(change: Change[NoteInput]) -> None:
    event = change.event
    change.note = change.input.note
    has_after_photo = change.photos or event.photos.filter(stage=PhotoStage.AFTER).exists()
    if not has_after_photo:
        raise InvalidInput(
            _("Resolving on the spot needs a photo taken after the work."),
            code="required",
            field="photos",
        )
    change.set(is_self_resolved=True, closed_at=change.at)
    user = user_or_none(change.actor)
    if user is not None:
        change.set(responsible_user=user)


def _handle_accept(change: Change[NoteInput]) -> None:
    change.note = change.input.note
    proposed = route_propose(change.event)
    change.set(accepted_at=change.at, proposed_department=proposed)
    change.department = proposed
    change.step_data["proposed_department"] = proposed.code if proposed else None
    _start_handle_clock(change)


def _handle_reject(change: Change[ReasonInput]) -> None:
    change.note = change.input.reason
    change.set(rejected_at=change.at)


def _handle_merge(change: Change[MergeInput]) -> None:
    event = change.event
    change.note = change.input.note
    number = change.input.primary_number
    primary = scoped(change.actor, Event.objects.select_for_update()).filter(number=number).first()
    if primary is None:
        raise InvalidInput(
            _("No event %(number)s that you can see.") % {"number": number},
            code="unknown_event",
            field="primary",
        )
    if primary.pk == event.pk:
        raise InvalidInput(_("An event cannot be merged into itself."), field="primary")
    if primary.status not in OPEN_STATES or primary.status == Status.MERGED:
        raise Conflict(
            _("Event %(number)s is %(status)s: merge only into an open event.")
            % {"number": primary.number, "status": Status(primary.status).label},
            code="invalid_transition",
            field="primary",
        )
    if Event.objects.filter(merged_into=event).exists():
        raise Conflict(
            _(
                "Other events are merged into %(number)s; merge %(primary)s into it instead, "
                "or keep both."
            )
            % {"number": event.number, "primary": primary.number},
            code="has_duplicates",
            field="primary",
        )
    change.set(merged_into=primary)
    change.step_data["primary"] = primary.number


def _handle_dispatch(change: Change[DispatchInput]) -> None:
    event = change.event
    change.note = change.input.note
    value = change.input.department or event.proposed_department or route_propose(event)
    department = _department(value, subdistrict_id=event.subdistrict_id, field="department")
    change.set(
        responsible_department=department,
        responsible_user=None,
        dispatched_at=change.at,
        extension_requested_until=None,
    )
    change.department = department
    change.step_data.update(
        department=department.code,
        proposed_department=event.proposed_department.code if event.proposed_department else None,
        overridden=event.proposed_department_id not in (None, department.pk),
    )
    EventAssignment.objects.filter(
        event=event, role=EventAssignment.Role.LEAD, ended_at__isnull=True
    ).exclude(department=department).update(ended_at=change.at)
    EventAssignment.objects.update_or_create(
        event=event,
        department=department,
        defaults={
            "role": EventAssignment.Role.LEAD,
            "assigned_at": change.at,
            "assigned_by": user_or_none(change.actor),
            "ended_at": None,
        },
    )


def _handle_start_handling(change: Change[NoteInput]) -> None:
    change.note = change.input.note
    change.department = change.event.responsible_department
    values: dict[str, Any] = {"handling_started_at": change.at}
    user = user_or_none(change.actor)
    if user is not None:
        values["responsible_user"] = user
    change.set(**values)


def _handle_return(change: Change[ReasonInput]) -> None:
    event = change.event
    change.note = change.input.reason
    returning = event.responsible_department
    centre = command_centre(event.subdistrict_id)
    if centre is None:
        raise Conflict(
            _(
                "There is no command centre to return the event to; an administrator must create it."
            ),
            code="no_command_centre",
        )
    change.department = returning
    # The proposal for the next dispatch skips every department that has returned the event.
    returned_by = set(
        EventStep.objects.filter(
            event=event, action=Action.RETURN, department__isnull=False
        ).values_list("department_id", flat=True)
    )
    if returning is not None:
        returned_by.add(returning.pk)
    change.set(
        responsible_department=centre,
        responsible_user=None,
        extension_requested_until=None,
        proposed_department=route_propose(event, exclude=returned_by),
    )
    change.step_data["returned_by"] = returning.code if returning else None
    if returning is not None:
        EventAssignment.objects.filter(
            event=event, department=returning, ended_at__isnull=True
        ).update(ended_at=change.at, result=change.note)


def _handle_report_back(change: Change[NoteInput]) -> None:
    change.note = change.input.note
    change.department = change.event.responsible_department
    change.set(reported_back_at=change.at)


def _handle_verify_pass(change: Change[NoteInput]) -> None:
    change.note = change.input.note
    change.set(closed_at=change.at)


def _handle_verify_fail(change: Change[ReasonInput]) -> None:
    change.note = change.input.reason
    change.department = change.event.responsible_department
    change.set(rework_count=change.event.rework_count + 1)


def _handle_request_extension(change: Change[ExtensionRequestInput]) -> None:
    event = change.event
    change.note = change.input.reason
    days = change.input.working_days
    base = max(event.handle_due_at or change.at, change.at)
    until = workcalendar.add_working_days(base, days)
    change.set(extension_requested_until=until)
    change.department = event.responsible_department
    change.step_data.update(working_days=days, until=until.isoformat())
    warning = workcalendar.calendar_warning(base, until)
    if warning:
        change.step_data["calendar_warning"] = warning


def _handle_decide_extension(change: Change[ExtensionDecisionInput]) -> None:
    event = change.event
    approved = change.input.approve
    change.note = change.input.note
    until = event.extension_requested_until or change.at  # the table's guard makes it set
    change.step_data.update(approved=approved, until=until.isoformat())
    if approved:
        change.step_data["previous_due_at"] = (
            event.handle_due_at.isoformat() if event.handle_due_at else None
        )
        change.set(
            handle_due_at=until,
            handle_warn_at=warning_moment(change.at, until),
            alert_level=WarningLevel.NONE,
            extension_count=event.extension_count + 1,
        )
    change.set(extension_requested_until=None)
    change.department = event.responsible_department


def _handle_suspend(change: Change[ReasonInput]) -> None:
    change.note = change.input.reason
    change.set(status_before_suspension=change.event.status, suspended_at=change.at)


def _handle_resume(change: Change[NoteInput]) -> None:
    change.note = change.input.note
    # The handling clock starts again: a long-term case is not overdue for its time on hold.
    _start_handle_clock(change)


def _handle_urge(change: Change[NoteInput]) -> None:
    event = change.event
    change.note = change.input.note
    change.department = event.responsible_department
    # An unanswered supervision (督办) outranks an urging (催办): it keeps its kind and deadline.
    if event.supervision_kind != Action.SUPERVISE:
        change.set(supervision_kind=Action.URGE, supervision_since=change.at)


def _handle_supervise(change: Change[SuperviseInput]) -> None:
    event = change.event
    deadline = change.input.deadline  # checked with the note by supervise_input
    change.note = change.input.note
    change.department = event.responsible_department
    change.set(
        supervision_kind=Action.SUPERVISE,
        supervision_since=change.at,
        supervision_deadline=deadline,
    )
    if deadline is not None:
        change.step_data["deadline"] = deadline.isoformat()


PRESSING = frozenset({Action.URGE, Action.SUPERVISE})


def supervision_answered(
    change: Change[Any], *, responsible_before: int | None, target: str
) -> bool:
    """Whether this step answers an unanswered 督办 or 催办: any step that staff of the department
    responsible for the event take on it (start handling, report back, ask for time, return it,
    call others in), a new dispatch (the event then has a new owner), or the end of the event."""
    if not change.event.supervision_kind or change.action in PRESSING:
        return False
    department_id = getattr(change.actor, "department_id", None)
    by_department = department_id is not None and department_id == responsible_before
    return by_department or change.action == Action.DISPATCH or target in FINAL_STATES


def _handle_call_departments(change: Change[CallInput]) -> None:
    event = change.event
    change.note = change.input.note
    departments = [
        _department(value, subdistrict_id=event.subdistrict_id, field="departments")
        for value in change.input.departments
    ]
    existing = {
        assignment.department_id: assignment
        for assignment in EventAssignment.objects.filter(event=event, ended_at__isnull=True)
    }
    seen: set[int] = set()
    for department in departments:
        if department.pk == event.responsible_department_id:
            raise InvalidInput(
                _("%(department)s is already responsible for the event.")
                % {"department": department.name},
                field="departments",
            )
        if department.pk in seen or (
            department.pk in existing and existing[department.pk].reported_in_at is None
        ):
            raise InvalidInput(
                _("%(department)s has already been called.") % {"department": department.name},
                field="departments",
            )
        seen.add(department.pk)
    for department in departments:
        EventAssignment.objects.update_or_create(
            event=event,
            department=department,
            defaults={
                "role": EventAssignment.Role.COOPERATING,
                "assigned_at": change.at,
                "assigned_by": user_or_none(change.actor),
                "reported_in_at": None,
                "reported_in_by": None,
                "result": "",
                "ended_at": None,
            },
        )
    change.called = [department.pk for department in departments]
    change.step_data["departments"] = [department.code for department in departments]


def _handle_report_in(change: Change[NoteInput]) -> None:
    change.note = change.input.note
    user = user_or_none(change.actor)
    assignments = EventAssignment.objects.filter(
        event=change.event,
        role=EventAssignment.Role.COOPERATING,
        reported_in_at__isnull=True,
        ended_at__isnull=True,
    )
    if user is not None:
        assignments = assignments.filter(department_id=user.department_id or 0)
    assignment = assignments.select_related("department").first()
    if assignment is None:
        raise Conflict(
            _("No department is waiting to report in to event %(number)s.")
            % {"number": change.event.number},
            code="invalid_transition",
        )
    assignment.reported_in_at = change.at
    assignment.reported_in_by = user
    assignment.result = change.note
    assignment.save(update_fields=["reported_in_at", "reported_in_by", "result"])
    change.department = assignment.department


def _handle_reopen(change: Change[ReasonInput]) -> None:
    event = change.event
    change.note = change.input.reason
    change.department = event.responsible_department
    change.set(
        closed_at=None,
        satisfaction=None,
        reopen_count=event.reopen_count + 1,
    )
    _start_handle_clock(change)


def _handle_rate(change: Change[RatingInput]) -> None:
    value = change.input.satisfaction
    change.note = change.input.note
    change.set(satisfaction=value)
    change.step_data["satisfaction"] = value


def _handle_follow_primary(change: Change[FollowInput]) -> None:
    primary = change.input.primary
    change.note = gettext("Follows %(number)s.") % {"number": primary.number}
    change.step_data["primary"] = primary.number
    if primary.status == Status.CLOSED:
        change.set(closed_at=change.at, is_self_resolved=primary.is_self_resolved)
    elif primary.status == Status.REJECTED:
        change.set(rejected_at=change.at)


def _handle_auto_close(change: Change[NoteInput]) -> None:
    change.note = change.input.note
    change.department = change.event.responsible_department
    change.set(closed_at=change.at)


HANDLERS: dict[str, ActionSpec[Any]] = {
    Action.SELF_RESOLVE: ActionSpec(note_input, _handle_self_resolve),
    Action.ACCEPT: ActionSpec(note_input, _handle_accept),
    Action.REJECT: ActionSpec(reason_input, _handle_reject),
    Action.MERGE: ActionSpec(merge_input, _handle_merge),
    Action.DISPATCH: ActionSpec(dispatch_input, _handle_dispatch),
    Action.START_HANDLING: ActionSpec(note_input, _handle_start_handling),
    Action.RETURN: ActionSpec(reason_input, _handle_return),
    Action.REPORT_BACK: ActionSpec(note_input, _handle_report_back),
    Action.VERIFY_PASS: ActionSpec(note_input, _handle_verify_pass),
    Action.VERIFY_FAIL: ActionSpec(reason_input, _handle_verify_fail),
    Action.REQUEST_EXTENSION: ActionSpec(extension_request_input, _handle_request_extension),
    Action.DECIDE_EXTENSION: ActionSpec(extension_decision_input, _handle_decide_extension),
    Action.SUSPEND: ActionSpec(reason_input, _handle_suspend),
    Action.RESUME: ActionSpec(note_input, _handle_resume),
    Action.URGE: ActionSpec(note_input, _handle_urge),
    Action.SUPERVISE: ActionSpec(supervise_input, _handle_supervise),
    Action.CALL_DEPARTMENTS: ActionSpec(call_input, _handle_call_departments),
    Action.REPORT_IN: ActionSpec(note_input, _handle_report_in),
    Action.REOPEN: ActionSpec(reason_input, _handle_reopen),
    Action.RATE: ActionSpec(rating_input, _handle_rate),
    Action.FOLLOW_PRIMARY: ActionSpec(follow_input, _handle_follow_primary),
    Action.AUTO_CLOSE: ActionSpec(note_input, _handle_auto_close),
}
