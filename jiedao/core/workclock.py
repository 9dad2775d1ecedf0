"""Working time for bulk work: the answers of :mod:`jiedao.core.workcalendar`, from per-day memos.

A 12345 import computes a deadline for each of a million work orders. The module functions
rebuild the same things on every call — the office hours from the settings, the UTC instants of
a day's office spans, the next working day — which is most of their cost. A
:class:`WorkingClock` takes one snapshot of the calendar and the office hours and remembers,
per local day, its spans and the next working day, and per (day, N) the deadline N working days
later. The arithmetic itself is the module's, step for step (the same ``timedelta`` sums), so the
answers are identical, not merely close: ``tests/core/test_workclock.py`` compares the two on
random instants across holidays and make-up days.

A clock is meant for one batch of work: it does not notice a calendar changed after it was
made (build a new one per import).
"""

from datetime import UTC, date, datetime, timedelta

from .workcalendar import ONE_DAY, CalendarData, OfficeHours, calendar_data, office_hours


class WorkingClock:
    """``add_working_days``, ``add_working_hours`` and ``working_seconds_between`` of
    :mod:`jiedao.core.workcalendar`, memoised per local day (see the module docstring)."""

    def __init__(self) -> None:
        self.office: OfficeHours = office_hours()
        self.data: CalendarData = calendar_data()
        self._zone = self.office.time_zone
        self._spans: dict[date, tuple[tuple[datetime, datetime], ...]] = {}
        self._next: dict[date, date] = {}
        self._closing: dict[date, datetime] = {}
        self._after_days: dict[tuple[date, int], datetime] = {}
        self._seconds_per_day = self.office.seconds_per_day

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self._zone).date()

    def _spans_on(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        spans = self._spans.get(day)
        if spans is None:
            spans = self._spans[day] = tuple(self.office.spans_on(day))
        return spans

    def _next_workday(self, day: date) -> date:
        following = self._next.get(day)
        if following is None:
            following = day + ONE_DAY
            while not self.data.is_workday(following):
                following += ONE_DAY
            self._next[day] = following
        return following

    def _closing_of(self, day: date) -> datetime:
        closing = self._closing.get(day)
        if closing is None:
            closing = self._closing[day] = self.office.closing(day)
        return closing

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """As :func:`jiedao.core.workcalendar.add_working_days`."""
        start = _aware(start)
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ValueError(f"days must be a whole number ≥ 0, got {days!r}")
        day = self.local_date(start)
        if days == 0:
            if self.data.is_workday(day) and start < self._closing_of(day):
                return self._closing_of(day)
            return self._closing_of(self._next_workday(day))
        key = (day, days)
        due = self._after_days.get(key)
        if due is None:
            target = day
            for _ in range(days):
                target = self._next_workday(target)
            due = self._after_days[key] = self._closing_of(target)
        return due

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """As :func:`jiedao.core.workcalendar.add_working_hours`."""
        start = _aware(start)
        if isinstance(hours, bool) or not (0 <= hours < float("inf")):
            raise ValueError(f"hours must be a finite number ≥ 0, got {hours!r}")
        remaining = timedelta(hours=hours)
        day = self.local_date(start)
        if not self.data.is_workday(day):
            day = self._next_workday(day)
        while True:
            for opening, close in self._spans_on(day):
                begin = max(opening, start)
                if begin >= close:
                    continue
                available = close - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day = self._next_workday(day)

    def _seconds_on(self, day: date, start: datetime, end: datetime) -> float:
        seconds = 0.0
        for opening, close in self._spans_on(day):
            overlap = min(close, end) - max(opening, start)
            if overlap > timedelta(0):
                seconds += overlap.total_seconds()
        return seconds

    def working_seconds_between(self, start: datetime, end: datetime) -> float:
        """As :func:`jiedao.core.workcalendar.working_seconds_between`."""
        start, end = _aware(start), _aware(end)
        if end < start:
            return -self.working_seconds_between(end, start)
        first, last = self.local_date(start), self.local_date(end)
        is_workday = self.data.is_workday
        if first == last:
            return self._seconds_on(first, start, end) if is_workday(first) else 0.0
        seconds = 0.0
        if is_workday(first):
            seconds += self._seconds_on(first, start, end)
        if is_workday(last):
            seconds += self._seconds_on(last, start, end)
        return seconds + self.data.workdays_in(first + ONE_DAY, last) * self._seconds_per_day


def _aware(moment: datetime) -> datetime:
    if not isinstance(moment, datetime) or moment.utcoffset() is None:
        raise ValueError(f"an aware datetime is needed, got {moment!r}")
    return moment.astimezone(UTC)
