"""The memoised working clock gives exactly the working calendar's answers (not merely close
ones): across the 2023 and 2024 holidays and make-up days, at any hour, for days and hours."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiedao.core import workcalendar
from jiedao.core.workclock import WorkingClock

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 2023-09-29 to 2023-10-06 off, 2023-10-07/08 worked; 2024-10-01 to 07 off, 09-29 and 10-12
# worked; 2027 not entered (Monday to Friday).
MOMENTS = st.builds(
    lambda day, minutes: (
        datetime.combine(day, time(0), tzinfo=SHANGHAI) + timedelta(minutes=minutes)
    ),
    st.dates(min_value=date(2023, 9, 20), max_value=date(2027, 1, 20)),
    st.integers(min_value=0, max_value=24 * 60 - 1),
)
CHECKS = settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@CHECKS
@given(start=MOMENTS, days=st.integers(min_value=0, max_value=30))
def test_working_days_are_the_calendars(start: datetime, days: int) -> None:
    clock = WorkingClock()

    assert clock.add_working_days(start, days) == workcalendar.add_working_days(start, days)
    # asked again, from the memo
    assert clock.add_working_days(start, days) == workcalendar.add_working_days(start, days)


@CHECKS
@given(
    start=MOMENTS,
    hours=st.one_of(
        st.integers(min_value=0, max_value=60).map(float),
        st.floats(min_value=0, max_value=200, allow_nan=False, allow_infinity=False),
    ),
)
def test_working_hours_are_the_calendars(start: datetime, hours: float) -> None:
    clock = WorkingClock()

    assert clock.add_working_hours(start, hours) == workcalendar.add_working_hours(start, hours)


@CHECKS
@given(start=MOMENTS, end=MOMENTS)
def test_working_seconds_are_the_calendars(start: datetime, end: datetime) -> None:
    clock = WorkingClock()

    assert clock.working_seconds_between(start, end) == workcalendar.working_seconds_between(
        start, end
    )


def test_the_clock_refuses_what_the_calendar_refuses() -> None:
    clock = WorkingClock()
    naive = datetime(2024, 10, 8, 9, 0)  # noqa: DTZ001 - the point of the test
    aware = datetime(2024, 10, 8, 9, 0, tzinfo=SHANGHAI)

    with pytest.raises(ValueError, match="aware"):
        clock.add_working_hours(naive, 1.0)
    with pytest.raises(ValueError, match="days must be a whole number"):
        clock.add_working_days(aware, -1)
    with pytest.raises(ValueError, match="hours must be a finite number"):
        clock.add_working_hours(aware, float("nan"))


def test_a_known_deadline_across_national_day() -> None:
    # given Monday 2024-09-30 16:00, the last working day before the week off
    start = datetime(2024, 9, 30, 16, 0, tzinfo=SHANGHAI)

    # then 4 working hours end on Tuesday 2024-10-08 at 11:00 (1.5 h on the 30th, 2.5 h after
    # 08:30 on the 8th), and 2 working days on Wednesday 2024-10-09 at 17:30
    assert WorkingClock().add_working_hours(start, 4.0) == datetime(
        2024, 10, 8, 11, 0, tzinfo=SHANGHAI
    )
    assert WorkingClock().add_working_days(start, 2) == datetime(
        2024, 10, 9, 17, 30, tzinfo=SHANGHAI
    )
