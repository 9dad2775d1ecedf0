"""The typed input of each workflow action.

:func:`~jiedao.events.services.event_transition` takes every action's data as typed keyword
arguments (:class:`TransitionArgs`); each action then takes from them only what it uses, as its
own frozen input, checked here: text stripped and bounded, and what the action ``requires`` in
the workflow table present — a 422 naming the field otherwise, before anything is written.
Every field of an action is checked, and all its problems are raised together (an
:class:`~jiedao.core.errors.ErrorList`), so that a page shows each beside its field at once.
A reader takes the action's business time (``at``) for the checks that depend on the day.
Interfaces parse request data into these types (``events.schemas``, ``events.forms``); the
services coerce nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import ErrorList, InvalidInput
from jiedao.core.localtime import local_time
from jiedao.core.text import clean_text
from jiedao.geo.models import Department

from ..models import Event
from ..schemas import APPROVE_INVALID, SATISFACTION_INVALID, WORKING_DAYS_INVALID
from .common import MAX_EXTENSION_DAYS, MAX_NOTE

Requires = tuple[str, ...]


@dataclass(frozen=True)
class TransitionArgs:
    """What the caller gave, whichever action it is."""

    note: str = ""
    reason: str = ""
    department: Department | str | None = None  # a Department or its code
    departments: Sequence[Department | str] = ()
    working_days: int | None = None
    approve: bool | None = None
    satisfaction: int | None = None
    primary: Event | str | None = None  # an Event or its number
    deadline: date | None = None  # supervise: the date by which the department must answer


@dataclass(frozen=True)
class NoteInput:
    note: str


@dataclass(frozen=True)
class ReasonInput:
    reason: str


@dataclass(frozen=True)
class SuperviseInput:
    note: str
    deadline: date | None


@dataclass(frozen=True)
class MergeInput:
    primary_number: str
    note: str


@dataclass(frozen=True)
class DispatchInput:
    department: Department | str | None  # None: the proposed department
    note: str


@dataclass(frozen=True)
class ExtensionRequestInput:
    reason: str
    working_days: int


@dataclass(frozen=True)
class ExtensionDecisionInput:
    approve: bool
    note: str


@dataclass(frozen=True)
class CallInput:
    departments: tuple[Department | str, ...]
    note: str


@dataclass(frozen=True)
class RatingInput:
    satisfaction: int
    note: str


@dataclass(frozen=True)
class FollowInput:
    primary: Event


def _note(args: TransitionArgs, requires: Requires) -> str:
    return clean_text(
        args.note,
        field="note",
        label=_("Note"),
        max_length=MAX_NOTE,
        required="note" in requires,
    )


def _reason(args: TransitionArgs, requires: Requires) -> str:
    return clean_text(
        args.reason,
        field="reason",
        label=_("Reason"),
        max_length=MAX_NOTE,
        required="reason" in requires,
    )


def _working_days(value: Any) -> int:
    # Typed callers give an int; anything else (a bool is an int to Python) is refused here.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(WORKING_DAYS_INVALID, code="required", field="working_days")
    if not 1 <= value <= MAX_EXTENSION_DAYS:
        raise InvalidInput(
            _("An extension is 1 to %(max)s working days, not %(days)s.")
            % {"max": MAX_EXTENSION_DAYS, "days": value},
            field="working_days",
        )
    return value


def _answer_by(value: date | None, at: datetime) -> date | None:
    """A supervision's answer date: none, or the day of the supervision or later."""
    if value is not None and value < local_time(at).date():
        raise InvalidInput(
            _("Answer by: choose the day of the supervision or a later date."),
            code="invalid",
            field="deadline",
        )
    return value


def _primary_number(value: Event | str | None) -> str:
    number = value.number if isinstance(value, Event) else (value or "").strip()
    if not number:
        raise InvalidInput(
            _("Give the number of the event to merge into."), code="required", field="primary"
        )
    return number


def _departments(values: Sequence[Department | str]) -> tuple[Department | str, ...]:
    # One code is a string, and a string is a sequence of letters: take it as one department.
    departments = (values,) if isinstance(values, str) else tuple(values)
    if not departments:
        raise InvalidInput(
            _("Name at least one department to call."), code="required", field="departments"
        )
    return departments


def _approve(value: bool | None) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(APPROVE_INVALID, code="required", field="approve")
    return value


def _satisfaction(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(
            SATISFACTION_INVALID,
            code="required" if value in (None, "") else "invalid",
            field="satisfaction",
        )
    return int(value)


def note_input(args: TransitionArgs, requires: Requires, at: datetime) -> NoteInput:
    return NoteInput(note=_note(args, requires))


def reason_input(args: TransitionArgs, requires: Requires, at: datetime) -> ReasonInput:
    return ReasonInput(reason=_reason(args, requires))


def supervise_input(args: TransitionArgs, requires: Requires, at: datetime) -> SuperviseInput:
    errors = ErrorList()
    note = errors.check(lambda: _note(args, requires), "")
    deadline = errors.check(lambda: _answer_by(args.deadline, at), None)
    errors.raise_any()
    return SuperviseInput(note=note, deadline=deadline)


def merge_input(args: TransitionArgs, requires: Requires, at: datetime) -> MergeInput:
    errors = ErrorList()
    note = errors.check(lambda: _note(args, requires), "")
    number = errors.check(lambda: _primary_number(args.primary), "")
    errors.raise_any()
    return MergeInput(primary_number=number, note=note)


def dispatch_input(args: TransitionArgs, requires: Requires, at: datetime) -> DispatchInput:
    return DispatchInput(department=args.department or None, note=_note(args, requires))


def extension_request_input(
    args: TransitionArgs, requires: Requires, at: datetime
) -> ExtensionRequestInput:
    errors = ErrorList()
    reason = errors.check(lambda: _reason(args, requires), "")
    days = errors.check(lambda: _working_days(args.working_days), 0)
    errors.raise_any()
    return ExtensionRequestInput(reason=reason, working_days=days)


def extension_decision_input(
    args: TransitionArgs, requires: Requires, at: datetime
) -> ExtensionDecisionInput:
    errors = ErrorList()
    approve = errors.check(lambda: _approve(args.approve), False)
    note = errors.check(lambda: _note(args, requires), "")
    errors.raise_any()
    return ExtensionDecisionInput(approve=approve, note=note)


def call_input(args: TransitionArgs, requires: Requires, at: datetime) -> CallInput:
    errors = ErrorList()
    note = errors.check(lambda: _note(args, requires), "")
    none: tuple[Department | str, ...] = ()
    departments = errors.check(lambda: _departments(args.departments), none)
    errors.raise_any()
    return CallInput(departments=departments, note=note)


def rating_input(args: TransitionArgs, requires: Requires, at: datetime) -> RatingInput:
    errors = ErrorList()
    satisfaction = errors.check(lambda: _satisfaction(args.satisfaction), 0)
    note = errors.check(lambda: _note(args, requires), "")
    errors.raise_any()
    return RatingInput(satisfaction=satisfaction, note=note)


def follow_input(args: TransitionArgs, requires: Requires, at: datetime) -> FollowInput:
    if not isinstance(args.primary, Event):
        raise TypeError("following a primary event needs the Event itself")
    return FollowInput(primary=args.primary)
