"""Writes to what every app shares: the working-time calendar."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import require
from jiedao.audit.services import audit_record, snapshot
from jiedao.core.errors import InvalidInput

from .models import WorkCalendarDay, WorkCalendarYear
from .workcalendar import calendar_changed

FIRST_PUBLISHABLE_YEAR = 2000
LAST_PUBLISHABLE_YEAR = 2099
NAME_MAX_LENGTH = WorkCalendarDay._meta.get_field("name").max_length or 100


@dataclass(frozen=True)
class CalendarDayInput:
    """One exception to Monday–Friday in a year's official schedule."""

    date: date
    is_workday: bool
    name: str


def _validated_days(year: int, days: list[Any]) -> list[CalendarDayInput]:
    if not days:
        raise InvalidInput(
            _("The schedule of %(year)s lists no days: enter at least its public holidays.")
            % {"year": year},
            code="empty",
            field="days",
        )
    validated: list[CalendarDayInput] = []
    seen: dict[date, int] = {}
    for number, entry in enumerate(days):
        where = f"days[{number}]"
        try:
            day, is_workday, name = entry
        except (TypeError, ValueError):
            raise InvalidInput(
                _("%(where)s must be (date, is working day, name).") % {"where": where},
                field=where,
            ) from None
        if not isinstance(day, date) or isinstance(day, datetime):
            raise InvalidInput(
                _("%(where)s: %(value)s is not a date.") % {"where": where, "value": day},
                field=f"{where}.date",
            )
        if day.year != year:
            raise InvalidInput(
                _("%(where)s: %(date)s is not in %(year)s.")
                % {"where": where, "date": day.isoformat(), "year": year},
                code="outside_year",
                field=f"{where}.date",
            )
        if day in seen:
            raise InvalidInput(
                _("%(where)s: %(date)s is listed twice (also at days[%(other)s]).")
                % {"where": where, "date": day.isoformat(), "other": seen[day]},
                code="duplicate",
                field=f"{where}.date",
            )
        seen[day] = number
        if not isinstance(is_workday, bool):
            raise InvalidInput(
                _("%(where)s: say whether %(date)s is a working day (true or false).")
                % {"where": where, "date": day.isoformat()},
                field=f"{where}.is_workday",
            )
        is_weekend = day.weekday() >= 5
        if not is_workday and is_weekend:
            raise InvalidInput(
                _(
                    "%(where)s: %(date)s is a Saturday or Sunday, which is a day off anyway; "
                    "list only holidays that fall on weekdays."
                )
                % {"where": where, "date": day.isoformat()},
                code="not_an_exception",
                field=f"{where}.is_workday",
            )
        if is_workday and not is_weekend:
            raise InvalidInput(
                _(
                    "%(where)s: %(date)s is a weekday, which is worked anyway; list only "
                    "weekend days that are worked (调休)."
                )
                % {"where": where, "date": day.isoformat()},
                code="not_an_exception",
                field=f"{where}.is_workday",
            )
        name = name.strip() if isinstance(name, str) else ""
        if not name:
            raise InvalidInput(
                _("%(where)s: give %(date)s a name, e.g. 春节 or 调休上班.")
                % {"where": where, "date": day.isoformat()},
                code="required",
                field=f"{where}.name",
            )
        if len(name) > NAME_MAX_LENGTH:
            raise InvalidInput(
                _("%(where)s: the name is longer than %(limit)s characters.")
                % {"where": where, "limit": NAME_MAX_LENGTH},
                field=f"{where}.name",
            )
        validated.append(CalendarDayInput(date=day, is_workday=is_workday, name=name))
    return sorted(validated, key=lambda entry: entry.date)


def _year_snapshot(calendar_year: WorkCalendarYear | None) -> dict[str, Any] | None:
    if calendar_year is None:
        return None
    days = WorkCalendarDay.objects.filter(date__year=calendar_year.year).order_by("date")
    return {
        **snapshot(calendar_year),
        "days": [
            {"date": day.date.isoformat(), "is_workday": day.is_workday, "name": day.name}
            for day in days
        ],
    }


@transaction.atomic
def calendar_year_publish(
    *, actor: Any, year: int, days: list[Any], note: str = ""
) -> WorkCalendarYear:
    """Enter a year's official holiday schedule (国务院办公厅 notice), all or nothing.

    ``days`` lists the exceptions to Monday–Friday as ``(date, is_workday, name)``: holidays
    on weekdays (``is_workday=False``) and weekend days that are worked (``True``, 调休上班).
    A day that would change nothing — a weekend "holiday", a weekday "working day" — is
    rejected, as are dates outside the year and duplicates. Publishing a year that is already
    known replaces its schedule (a correction); the audit entry keeps the one it replaced.
    Deadline computations use the new schedule as soon as the transaction commits.
    """
    require(actor, "calendar.manage")
    if (
        isinstance(year, bool)
        or not isinstance(year, int)
        or not FIRST_PUBLISHABLE_YEAR <= year <= LAST_PUBLISHABLE_YEAR
    ):
        raise InvalidInput(
            _("The year must be between %(first)s and %(last)s.")
            % {"first": FIRST_PUBLISHABLE_YEAR, "last": LAST_PUBLISHABLE_YEAR},
            field="year",
        )
    validated = _validated_days(year, days)
    calendar_year = WorkCalendarYear.objects.select_for_update().filter(year=year).first()
    before = _year_snapshot(calendar_year)
    if calendar_year is None:
        calendar_year = WorkCalendarYear(year=year)
    calendar_year.source = WorkCalendarYear.Source.ADMINISTRATOR
    calendar_year.published_at = timezone.now()
    calendar_year.note = (note or "").strip()
    if calendar_year.pk is None:
        calendar_year.save()
    else:
        calendar_year.save(update_fields=["source", "published_at", "note"])
    WorkCalendarDay.objects.filter(date__year=year).delete()
    WorkCalendarDay.objects.bulk_create(
        WorkCalendarDay(date=entry.date, is_workday=entry.is_workday, name=entry.name)
        for entry in validated
    )
    audit_record(
        actor=actor,
        action="core.calendar_year.publish",
        target=calendar_year,
        before=before,
        after=_year_snapshot(calendar_year),
    )
    transaction.on_commit(calendar_changed)
    return calendar_year
