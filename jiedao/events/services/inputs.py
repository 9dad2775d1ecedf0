"""The typed input of each workflow action.

:func:`~jiedao.events.services.event_transition` takes every action's data as typed keyword
arguments (:class:`TransitionArgs`); each action then takes from them only what it uses, as its
own frozen input, checked here: text stripped and bounded, and what the action ``requires`` in
the workflow table present — a 422 naming the field otherwise, before anything is written.
Interfaces parse request data into these types (``events.schemas``, ``events.forms``); the
services coerce nothing.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import InvalidInput
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


def note_input(args: TransitionArgs, requires: Requires) -> NoteInput:
    return NoteInput(note=_note(args, requires))


def reason_input(args: TransitionArgs, requires: Requires) -> ReasonInput:
    return ReasonInput(
        reason=clean_text(
            args.reason,
            field="reason",
            label=_("Reason"),
            max_length=MAX_NOTE,
            required="reason" in requires,
        )
    )


def supervise_input(args: TransitionArgs, requires: Requires) -> SuperviseInput:
    # Whether the date lies ahead is checked against the action's business time by the handler.
    return SuperviseInput(note=_note(args, requires), deadline=args.deadline)


def merge_input(args: TransitionArgs, requires: Requires) -> MergeInput:
    note = _note(args, requires)
    value = args.primary
    number = value.number if isinstance(value, Event) else (value or "").strip()
    if not number:
        raise InvalidInput(
            _("Give the number of the event to merge into."), code="required", field="primary"
        )
    return MergeInput(primary_number=number, note=note)


def dispatch_input(args: TransitionArgs, requires: Requires) -> DispatchInput:
    return DispatchInput(department=args.department or None, note=_note(args, requires))


def extension_request_input(args: TransitionArgs, requires: Requires) -> ExtensionRequestInput:
    reason = reason_input(args, requires).reason
    days = args.working_days
    # Typed callers give an int; anything else (a bool is an int to Python) is refused here.
    if isinstance(days, bool) or not isinstance(days, int):
        raise InvalidInput(
            WORKING_DAYS_INVALID,
            code="required",
            field="working_days",
        )
    if not 1 <= days <= MAX_EXTENSION_DAYS:
        raise InvalidInput(
            _("An extension is 1 to %(max)s working days, not %(days)s.")
            % {"max": MAX_EXTENSION_DAYS, "days": days},
            field="working_days",
        )
    return ExtensionRequestInput(reason=reason, working_days=days)


def extension_decision_input(args: TransitionArgs, requires: Requires) -> ExtensionDecisionInput:
    if not isinstance(args.approve, bool):
        raise InvalidInput(
            APPROVE_INVALID,
            code="required",
            field="approve",
        )
    return ExtensionDecisionInput(approve=args.approve, note=_note(args, requires))


def call_input(args: TransitionArgs, requires: Requires) -> CallInput:
    note = _note(args, requires)
    values = args.departments
    # One code is a string, and a string is a sequence of letters: take it as one department.
    departments = (values,) if isinstance(values, str) else tuple(values)
    if not departments:
        raise InvalidInput(
            _("Name at least one department to call."), code="required", field="departments"
        )
    return CallInput(departments=departments, note=note)


def rating_input(args: TransitionArgs, requires: Requires) -> RatingInput:
    value: Any = args.satisfaction
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(
            SATISFACTION_INVALID,
            code="required" if value in (None, "") else "invalid",
            field="satisfaction",
        )
    return RatingInput(satisfaction=value, note=_note(args, requires))


def follow_input(args: TransitionArgs, requires: Requires) -> FollowInput:
    if not isinstance(args.primary, Event):
        raise TypeError("following a primary event needs the Event itself")
    return FollowInput(primary=args.primary)
