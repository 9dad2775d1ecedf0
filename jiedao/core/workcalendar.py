"""Working time: which days are worked, deadlines in working days or office hours.

The calendar is data (:mod:`jiedao.core.models`): a year that has been entered follows its
official schedule — holidays on weekdays are off, weekend make-up days (调休) are worked — and
any other day follows Monday to Friday. For a year nobody has entered yet the computation falls
back to Monday to Friday and :func:`calendar_warning` says so: it never crashes and never guesses
silently.

Definitions (all local times are in ``settings.WORKING_TIME_ZONE``, Asia/Shanghai by default):

* **Office hours** are the spans of ``settings.WORKING_HOURS`` (08:30–12:00 and 13:30–17:30)
  on working days. A span includes its opening instant and ends at its closing instant.
* :func:`add_working_days` — the deadline *N working days after* ``start`` is the close of
  office hours (17:30) on the Nth working day strictly after the local day of ``start``. The day
  of ``start`` never counts, whatever the hour (期间开始之日不计算在内), and a deadline that would
  fall on a holiday moves on to the next working day by construction. ``days=0`` means "by the
  end of this working day": the close of the day of ``start`` if that is a working day and the
  office has not yet closed, otherwise the close of the next working day.
* :func:`add_working_hours` — counting starts at ``start`` if the office is open then, or at the
  next opening; the result is the instant at which ``hours`` of office time have passed. It
  always lies inside office hours: a count that ends exactly at a closing time returns that
  closing time (17:30), not the next opening.
* :func:`working_seconds_between` — the office seconds between two instants; negative when
  ``end`` is before ``start``.

The known data is cached per process, as the grid index is in :mod:`jiedao.geo.lookup`: services
that change the calendar call :func:`calendar_changed` after commit, which drops this process's
copy and bumps a version in the shared cache that other workers check every
``CHECK_INTERVAL`` seconds.
"""

import bisect
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

from .models import WorkCalendarDay, WorkCalendarYear
from .process_cache import ProcessCache

VERSION_KEY = "jiedao:core:work-calendar-version"
CHECK_INTERVAL = 5.0
ONE_DAY = timedelta(days=1)


# --- The known calendar, cached per process -----------------------------------------------------


@dataclass(frozen=True)
class CalendarData:
    """The entered years and their exceptions to Monday–Friday, ready for fast questions."""

    known_years: frozenset[int]
    exceptions: dict[date, tuple[bool, str]]
    exception_dates: tuple[date, ...]  # sorted
    # adjustment_prefix[i]: working days gained (+) or lost (−) against Monday–Friday by the
    # first i exceptions, so a range's adjustment is a difference of two entries.
    adjustment_prefix: tuple[int, ...]
    version: int

    @classmethod
    def build(cls, version: int) -> "CalendarData":
        known_years = frozenset(WorkCalendarYear.objects.values_list("year", flat=True))
        exceptions = {
            day: (is_workday, name)
            for day, is_workday, name in WorkCalendarDay.objects.order_by("date").values_list(
                "date", "is_workday", "name"
            )
            # Days of a year that is not marked as entered are not trusted: Monday–Friday.
            if day.year in known_years
        }
        dates = tuple(sorted(exceptions))
        prefix = [0]
        for day in dates:
            prefix.append(prefix[-1] + int(exceptions[day][0]) - int(day.weekday() < 5))
        return cls(
            known_years=known_years,
            exceptions=exceptions,
            exception_dates=dates,
            adjustment_prefix=tuple(prefix),
            version=version,
        )

    def is_workday(self, day: date) -> bool:
        exception = self.exceptions.get(day)
        if exception is not None:
            return exception[0]
        return day.weekday() < 5

    def workdays_in(self, first: date, stop: date) -> int:
        """How many working days there are in ``first`` ≤ day < ``stop``."""
        if stop <= first:
            return 0
        full_weeks, rest = divmod((stop - first).days, 7)
        weekdays = full_weeks * 5 + sum(
            1 for offset in range(rest) if (first.weekday() + offset) % 7 < 5
        )
        low = bisect.bisect_left(self.exception_dates, first)
        high = bisect.bisect_left(self.exception_dates, stop)
        return weekdays + self.adjustment_prefix[high] - self.adjustment_prefix[low]


_calendar = ProcessCache(VERSION_KEY, CalendarData.build, CHECK_INTERVAL)


def calendar_data() -> CalendarData:
    """This process's copy of the calendar, rebuilt when another process changed it."""
    return _calendar.get()


def calendar_changed() -> None:
    """Call after a transaction that changed the calendar has committed."""
    _calendar.changed()


# --- Office hours -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeHours:
    time_zone: ZoneInfo
    spans: tuple[tuple[time, time], ...]

    @property
    def seconds_per_day(self) -> float:
        return sum(
            (
                datetime.combine(date.min, close) - datetime.combine(date.min, opening)
            ).total_seconds()
            for opening, close in self.spans
        )

    def spans_on(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """The office spans of ``day`` as UTC instants (whether or not ``day`` is worked)."""
        for opening, close in self.spans:
            yield (
                datetime.combine(day, opening, tzinfo=self.time_zone).astimezone(UTC),
                datetime.combine(day, close, tzinfo=self.time_zone).astimezone(UTC),
            )

    def closing(self, day: date) -> datetime:
        return datetime.combine(day, self.spans[-1][1], tzinfo=self.time_zone).astimezone(UTC)

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.time_zone).date()


def _parse_clock(text: str) -> time:
    try:
        hours, minutes = (int(part) for part in text.split(":"))
        return time(hours, minutes)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(
            f"WORKING_HOURS: {text!r} is not a time of day like 08:30."
        ) from None


@lru_cache(maxsize=8)
def _office_hours(time_zone: str, spans: tuple[tuple[str, str], ...]) -> OfficeHours:
    if not spans:
        raise ImproperlyConfigured("WORKING_HOURS lists no office hours.")
    parsed = tuple((_parse_clock(opening), _parse_clock(close)) for opening, close in spans)
    previous_close = time.min
    for number, (opening, close) in enumerate(parsed):
        if not opening < close or (number and not previous_close <= opening):
            raise ImproperlyConfigured(
                f"WORKING_HOURS must be increasing, non-overlapping spans; got {list(spans)}."
            )
        previous_close = close
    return OfficeHours(time_zone=ZoneInfo(time_zone), spans=parsed)


def office_hours() -> OfficeHours:
    """The configured office hours (``settings.WORKING_HOURS`` in ``WORKING_TIME_ZONE``)."""
    spans = tuple((str(opening), str(close)) for opening, close in settings.WORKING_HOURS)
    return _office_hours(settings.WORKING_TIME_ZONE, spans)


# --- Questions and computations -----------------------------------------------------------------


def _aware(moment: datetime, name: str) -> datetime:
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime, got {moment!r}")
    return moment.astimezone(UTC)


def _as_local_date(value: date) -> date:
    if isinstance(value, datetime):
        return office_hours().local_date(_aware(value, "value"))
    return value


def is_workday(day: date) -> bool:
    """Whether ``day`` is a working day (an aware datetime is taken on its local day)."""
    return calendar_data().is_workday(_as_local_date(day))


def next_workday(day: date) -> date:
    """The first working day strictly after ``day``."""
    data = calendar_data()
    day += ONE_DAY
    while not data.is_workday(day):
        day += ONE_DAY
    return day


def add_working_days(start: datetime, days: int) -> datetime:
    """The deadline ``days`` working days after ``start``: the close of office hours on the
    Nth working day after the local day of ``start`` (see the module docstring), in UTC."""
    start = _aware(start, "start")
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"days must be a whole number ≥ 0, got {days!r}")
    office = office_hours()
    data = calendar_data()
    day = office.local_date(start)
    if days == 0:
        if data.is_workday(day) and start < office.closing(day):
            return office.closing(day)
        return office.closing(next_workday(day))
    for _ in range(days):
        day = next_workday(day)
    return office.closing(day)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """The instant at which ``hours`` of office time have passed since ``start`` (counting from
    the next opening when the office is closed at ``start``), in UTC."""
    start = _aware(start, "start")
    if isinstance(hours, bool) or not math.isfinite(hours) or hours < 0:
        raise ValueError(f"hours must be a finite number ≥ 0, got {hours!r}")
    remaining = timedelta(hours=hours)
    office = office_hours()
    data = calendar_data()
    day = office.local_date(start)
    if not data.is_workday(day):
        day = next_workday(day)
    while True:
        for opening, close in office.spans_on(day):
            begin = max(opening, start)
            if begin >= close:
                continue
            available = close - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        day = next_workday(day)


def _seconds_on(day: date, start: datetime, end: datetime) -> float:
    """Office seconds of ``day`` (assumed a working day) that lie between start and end."""
    seconds = 0.0
    for opening, close in office_hours().spans_on(day):
        overlap = min(close, end) - max(opening, start)
        if overlap > timedelta(0):
            seconds += overlap.total_seconds()
    return seconds


def working_seconds_between(start: datetime, end: datetime) -> float:
    """Office seconds between two instants (negative when ``end`` is before ``start``).

    Whole days in between are counted from the calendar's exceptions, not day by day, so an
    event open for months costs the same as one open for an hour."""
    start = _aware(start, "start")
    end = _aware(end, "end")
    if end < start:
        return -working_seconds_between(end, start)
    office = office_hours()
    data = calendar_data()
    first = office.local_date(start)
    last = office.local_date(end)
    if first == last:
        return _seconds_on(first, start, end) if data.is_workday(first) else 0.0
    seconds = 0.0
    if data.is_workday(first):
        seconds += _seconds_on(first, start, end)
    if data.is_workday(last):
        seconds += _seconds_on(last, start, end)
    return seconds + data.workdays_in(first + ONE_DAY, last) * office.seconds_per_day


# --- Years nobody has entered -------------------------------------------------------------------


def calendar_gaps(start: date, end: date) -> list[int]:
    """The years from ``start`` to ``end`` (either order, inclusive) whose official schedule
    nobody has entered; computations over them fall back to Monday–Friday."""
    first, last = sorted((_as_local_date(start), _as_local_date(end)))
    known = calendar_data().known_years
    return [year for year in range(first.year, last.year + 1) if year not in known]


@dataclass(frozen=True)
class CalendarWarning:
    """Working time was computed over years whose holidays are not entered."""

    years: tuple[int, ...]

    @classmethod
    def between(cls, start: date, end: date) -> "CalendarWarning | None":
        years = calendar_gaps(start, end)
        return cls(tuple(years)) if years else None

    @property
    def message(self) -> str:
        """In the active language, e.g. 2027 年的法定节假日尚未录入，已按周一至周五计算."""
        # Translators: separator between years in a list, e.g. "2027, 2028".
        separator = gettext(", ")
        return gettext(
            # Translators: the product's wording (PRODUCT.md, issue 3) in Chinese is
            # "2027 年的法定节假日尚未录入，已按周一至周五计算"; tests assert it exactly.
            "The official holidays of %(years)s have not been entered yet; working time is "
            "counted Monday to Friday."
        ) % {"years": separator.join(str(year) for year in self.years)}

    def __str__(self) -> str:
        return self.message


def calendar_warning(start: date, end: date) -> str | None:
    """The translated warning for a computation from ``start`` to ``end``, or None when every
    year it touches has been entered. Pass the start and the computed deadline."""
    warning = CalendarWarning.between(start, end)
    return warning.message if warning else None
