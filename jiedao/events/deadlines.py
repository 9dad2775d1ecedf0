"""Deadlines in working time, and the warning level they give an event.

A category gives two limits, each in working hours or working days
(:class:`jiedao.events.models.Category`):

* the **acceptance limit** runs from the report: ``accept_due_at``;
* the **handling limit** runs from acceptance (and again from a resumption after suspension):
  ``handle_due_at``. An approved extension moves it by working days.

Working time comes from :mod:`jiedao.core.workcalendar` (official holidays and make-up workdays
as data; years nobody entered fall back to Monday–Friday with a warning).

For each deadline we also store the moment its **yellow** warning starts: when the share
``settings.EVENT_YELLOW_WARNING_SHARE`` (0.8) of the allowed *working* time has passed, i.e. in
the last 20 %. **Red** means the deadline has passed. Storing the moment, not the share, lets the
database filter by warning level (:func:`warning_level_expression`) and lets the periodic job
find what changed without computing calendars row by row.

Which deadline applies depends on the status: ``accept_*`` while reported, ``handle_*`` while
accepted, dispatched or handling. Waiting for verification, suspended or finished events carry
no warning.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.conf import settings
from django.db.models import Case, CharField, Q, Value, When
from django.db.models.expressions import Expression
from django.utils.translation import gettext, ngettext

from jiedao.core import workcalendar

from .models import Category, Event
from .workflow import ACCEPT_PHASE, HANDLE_PHASE, WarningLevel


@dataclass(frozen=True)
class Deadline:
    due_at: datetime
    warn_at: datetime
    calendar_warning: str | None = None


class Clock(Protocol):
    """Working-time arithmetic: :mod:`jiedao.core.workcalendar` itself, or a
    :class:`jiedao.core.workclock.WorkingClock` (the same answers, memoised for bulk work)."""

    def add_working_days(self, start: datetime, days: int) -> datetime: ...

    def add_working_hours(self, start: datetime, hours: float) -> datetime: ...

    def working_seconds_between(self, start: datetime, end: datetime) -> float: ...


def deadline_after(start: datetime, limit: int, unit: str) -> Deadline:
    """The deadline ``limit`` working hours or days after ``start``, with its yellow moment."""
    due = due_after(start, limit, unit)
    return Deadline(
        due_at=due,
        warn_at=warning_moment(start, due),
        calendar_warning=workcalendar.calendar_warning(start, due),
    )


def due_after(start: datetime, limit: int, unit: str, clock: Clock = workcalendar) -> datetime:
    """The deadline alone (no warning moment): ``limit`` working hours or days after ``start``."""
    if unit == Category.TimeUnit.WORKING_HOURS:
        return clock.add_working_hours(start, float(limit))
    return clock.add_working_days(start, int(limit))


def warning_moment(
    start: datetime, due: datetime, clock: Clock = workcalendar, share: float | None = None
) -> datetime:
    """When the share ``EVENT_YELLOW_WARNING_SHARE`` of the working time to ``due`` has passed."""
    total = clock.working_seconds_between(start, due)
    if total <= 0:
        return due
    if share is None:
        share = float(settings.EVENT_YELLOW_WARNING_SHARE)
    warn = clock.add_working_hours(start, total * share / 3600)
    return min(warn, due)


def acceptance_deadline(category: Category, start: datetime) -> Deadline:
    return deadline_after(start, category.acceptance_limit, category.acceptance_unit)


def handling_deadline(category: Category, start: datetime) -> Deadline:
    return deadline_after(start, category.handling_limit, category.handling_unit)


def warning_level(event: Event, now: datetime) -> WarningLevel:
    """The event's warning level at ``now`` (the same rule as :func:`warning_level_expression`)."""
    if event.status in ACCEPT_PHASE:
        due, warn = event.accept_due_at, event.accept_warn_at
    elif event.status in HANDLE_PHASE:
        due, warn = event.handle_due_at, event.handle_warn_at
    else:
        return WarningLevel.NONE
    if due is None:
        return WarningLevel.NONE
    if now > due:
        return WarningLevel.RED
    if warn is not None and now >= warn:
        return WarningLevel.YELLOW
    return WarningLevel.NONE


def warning_level_q(level: str, now: datetime) -> Q:
    """Events whose warning level at ``now`` is ``level`` (none, yellow or red)."""
    accept = Q(status__in=ACCEPT_PHASE)
    handle = Q(status__in=HANDLE_PHASE)
    red = (accept & Q(accept_due_at__lt=now)) | (handle & Q(handle_due_at__lt=now))
    yellow = (accept & Q(accept_warn_at__lte=now, accept_due_at__gte=now)) | (
        handle & Q(handle_warn_at__lte=now, handle_due_at__gte=now)
    )
    if level == WarningLevel.RED:
        return red
    if level == WarningLevel.YELLOW:
        return yellow
    return ~red & ~yellow


def warning_level_expression(now: datetime) -> Expression:
    """An annotation giving each event's warning level at ``now``, computed by the database."""
    return Case(
        When(warning_level_q(WarningLevel.RED, now), then=Value(WarningLevel.RED.value)),
        When(warning_level_q(WarningLevel.YELLOW, now), then=Value(WarningLevel.YELLOW.value)),
        default=Value(WarningLevel.NONE.value),
        output_field=CharField(),
    )


@dataclass(frozen=True)
class TimeLeft:
    """The working time until a deadline: ``seconds`` negative when it has passed."""

    seconds: int
    is_overdue: bool
    label: str


def _working_span(seconds: int) -> str:
    day = int(workcalendar.office_hours().seconds_per_day)
    days, rest = divmod(seconds, day)
    hours, rest = divmod(rest, 3600)
    parts = []
    if days:
        parts.append(
            ngettext("%(count)s working day", "%(count)s working days", days) % {"count": days}
        )
    if hours:
        parts.append(ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours})
    if not days and not hours:
        minutes = max(1, rest // 60)
        parts.append(
            ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
        )
    return " ".join(parts)


def time_left(due: datetime, now: datetime) -> TimeLeft:
    """How much working time (office hours on working days) is left until ``due`` at ``now``,
    or by how much it has passed, in words: what a to-do row shows."""
    seconds = int(workcalendar.working_seconds_between(now, due))
    if now > due:
        if -seconds < 60:
            return TimeLeft(seconds, True, gettext("Overdue"))
        return TimeLeft(
            seconds, True, gettext("Overdue by %(time)s") % {"time": _working_span(-seconds)}
        )
    if seconds < 60:
        return TimeLeft(seconds, False, gettext("Due now"))
    return TimeLeft(seconds, False, gettext("%(time)s left") % {"time": _working_span(seconds)})
