"""Reads of what every app shares: the working-time calendar."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import require
from jiedao.core.errors import InvalidInput

from .models import WorkCalendarDay, WorkCalendarYear
from .workcalendar import CalendarWarning


@dataclass(frozen=True)
class CalendarYearView:
    """A year of the working calendar: whether it is known and its exceptions to Mon–Fri."""

    year: int
    entry: WorkCalendarYear | None
    days: list[WorkCalendarDay]

    @property
    def is_known(self) -> bool:
        return self.entry is not None

    @property
    def warning(self) -> str | None:
        return None if self.is_known else CalendarWarning((self.year,)).message


def calendar_year_get(*, user: Any, year: int) -> CalendarYearView:
    """One year of the calendar (known or not: an unknown year answers with a warning)."""
    require(user, "calendar.view")
    if not 1 <= year <= 9999:
        raise InvalidInput(_("%(year)s is not a year.") % {"year": year}, field="year")
    entry = WorkCalendarYear.objects.filter(year=year).first()
    days = list(WorkCalendarDay.objects.filter(date__year=year).order_by("date")) if entry else []
    return CalendarYearView(year=year, entry=entry, days=days)


def calendar_year_list(*, user: Any) -> list[WorkCalendarYear]:
    """Every year whose official schedule is known, oldest first."""
    require(user, "calendar.view")
    return list(WorkCalendarYear.objects.order_by("year"))
