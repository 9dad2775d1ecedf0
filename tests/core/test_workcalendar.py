"""Working days and office hours against the official schedules.

The schedules used below (国务院办公厅 notices, as chinese-calendar records them):

* 2023 Mid-autumn + National Day: 2023-09-29 (Fri) to 2023-10-06 (Fri) off; Saturday
  2023-10-07 and Sunday 2023-10-08 worked (调休上班).
* 2024 Mid-autumn: 2024-09-15 (Sun) to 2024-09-17 (Tue) off, Saturday 2024-09-14 worked.
  2024 National Day: 2024-10-01 (Tue) to 2024-10-07 (Mon) off; Sunday 2024-09-29 and Saturday
  2024-10-12 worked.

Office hours are 08:30–12:00 and 13:30–17:30 in Asia/Shanghai (7.5 hours a day).
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from jiedao.accounts.permissions import SYSTEM
from jiedao.core import workcalendar
from jiedao.core.apps import restore_empty_work_calendar
from jiedao.core.calendar_library import library_years
from jiedao.core.models import WorkCalendarDay, WorkCalendarYear
from jiedao.core.services import calendar_year_publish
from jiedao.core.workcalendar import (
    CalendarWarning,
    add_working_days,
    add_working_hours,
    calendar_gaps,
    calendar_warning,
    is_workday,
    working_seconds_between,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOUR = 3600.0


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


# --- Which days are worked ----------------------------------------------------------------------


def test_seeded_calendar_agrees_with_chinese_calendar_on_every_day_2004_to_2026():
    # given the calendar seeded by the data migration
    day = date(2004, 1, 1)
    disagreements = []
    # when every day is asked about, then the answer is chinese-calendar's
    while day <= date(2026, 12, 31):
        if is_workday(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == []
    assert list(WorkCalendarYear.objects.values_list("year", flat=True)) == list(range(2004, 2027))


def test_national_day_2023_holidays_and_make_up_days():
    assert [is_workday(date(2023, 9, day)) for day in (28, 29, 30)] == [True, False, False]
    assert [is_workday(date(2023, 10, day)) for day in range(1, 10)] == [
        False,  # 1 Sun
        False,  # 2 Mon
        False,  # 3 Tue
        False,  # 4 Wed
        False,  # 5 Thu
        False,  # 6 Fri
        True,  # 7 Sat, 调休上班
        True,  # 8 Sun, 调休上班
        True,  # 9 Mon
    ]
    assert list(
        WorkCalendarDay.objects.filter(date__range=(date(2023, 9, 29), date(2023, 10, 8)))
        .order_by("date")
        .values_list("date", "is_workday", "name")
    ) == [
        (date(2023, 9, 29), False, "中秋节"),
        (date(2023, 10, 2), False, "国庆节"),
        (date(2023, 10, 3), False, "国庆节"),
        (date(2023, 10, 4), False, "国庆节"),
        (date(2023, 10, 5), False, "国庆节"),
        (date(2023, 10, 6), False, "国庆节"),
        (date(2023, 10, 7), True, "调休上班"),
        (date(2023, 10, 8), True, "调休上班"),
    ]


def test_is_workday_takes_an_aware_datetime_on_its_local_day():
    # 2023-10-06 20:00 UTC is already Saturday 2023-10-07 04:00 in Shanghai, a make-up day.
    assert is_workday(datetime(2023, 10, 6, 20, 0, tzinfo=UTC)) is True
    assert is_workday(date(2023, 10, 6)) is False


# --- Working days -------------------------------------------------------------------------------


def test_three_working_days_across_national_day_2023():
    # Registered Thursday 2023-09-28. The day of registration does not count. After it:
    # 09-29 Fri 中秋 off, 09-30 Sat off, 10-01..10-06 国庆 off, 10-07 Sat worked → day 1,
    # 10-08 Sun worked → day 2, 10-09 Mon → day 3. Deadline: 10-09 at 17:30.
    start = local(2023, 9, 28, 10, 0)
    deadline = add_working_days(start, 3)
    assert deadline == local(2023, 10, 9, 17, 30)
    assert deadline == datetime(2023, 10, 9, 9, 30, tzinfo=UTC)
    assert deadline.utcoffset() == timedelta(0)
    assert add_working_days(start, 1) == local(2023, 10, 7, 17, 30)
    assert add_working_days(start, 2) == local(2023, 10, 8, 17, 30)


def test_the_hour_of_the_start_day_does_not_matter_for_working_days():
    # 2023-09-28 23:00 is still Thursday in Shanghai (15:00 UTC): same deadline as at 10:00.
    assert add_working_days(datetime(2023, 9, 28, 15, 0, tzinfo=UTC), 3) == local(
        2023, 10, 9, 17, 30
    )
    # 2023-09-28 17:00 UTC is already Friday 2023-09-29 01:00 in Shanghai, a holiday; the next
    # working days are 10-07, 10-08, 10-09.
    assert add_working_days(datetime(2023, 9, 28, 17, 0, tzinfo=UTC), 3) == local(
        2023, 10, 9, 17, 30
    )
    # Registered on a holiday: the first working day after it is 10-07.
    assert add_working_days(local(2023, 10, 3, 9, 0), 1) == local(2023, 10, 7, 17, 30)


def test_working_days_around_national_day_2024():
    # Friday 09-27, 2 days: 09-28 Sat off, 09-29 Sun worked → 1, 09-30 Mon → 2.
    assert add_working_days(local(2024, 9, 27, 16, 0), 2) == local(2024, 9, 30, 17, 30)
    # Monday 09-30, 1 day: 10-01..10-07 off, 10-08 Tue → 1.
    assert add_working_days(local(2024, 9, 30, 9, 0), 1) == local(2024, 10, 8, 17, 30)
    # Thursday 10-10, 5 days: 10-11 Fri → 1, 10-12 Sat worked → 2, 10-13 Sun off,
    # 10-14 Mon → 3, 10-15 → 4, 10-16 → 5.
    assert add_working_days(local(2024, 10, 10, 11, 0), 5) == local(2024, 10, 16, 17, 30)
    # Friday 09-13, 1 day: 09-14 Sat worked (Mid-autumn make-up day) → 1.
    assert add_working_days(local(2024, 9, 13, 9, 0), 1) == local(2024, 9, 14, 17, 30)


def test_zero_working_days_is_the_end_of_this_working_day():
    assert add_working_days(local(2023, 9, 28, 10, 0), 0) == local(2023, 9, 28, 17, 30)
    # After closing, or on a holiday: the end of the next working day.
    assert add_working_days(local(2023, 9, 28, 17, 30), 0) == local(2023, 10, 7, 17, 30)
    assert add_working_days(local(2023, 10, 1, 10, 0), 0) == local(2023, 10, 7, 17, 30)


@pytest.mark.parametrize("days", [-1, 1.5, True])
def test_working_days_must_be_a_whole_number_from_zero(days):
    with pytest.raises(ValueError, match="days must be a whole number"):
        add_working_days(local(2023, 9, 28, 10, 0), days)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="aware datetime"):
        add_working_days(datetime(2023, 9, 28, 10, 0), 1)  # noqa: DTZ001
    with pytest.raises(ValueError, match="aware datetime"):
        working_seconds_between(local(2023, 9, 28), datetime(2023, 9, 29))  # noqa: DTZ001


# --- Office hours -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # across lunch: 11:00–12:00 is 1 h, then 13:30 + 1 h
        (local(2023, 9, 28, 11, 0), 2, local(2023, 9, 28, 14, 30)),
        # across a night: 16:30–17:30 is 1 h, then Wednesday 08:30 + 1 h
        (local(2023, 9, 26, 16, 30), 2, local(2023, 9, 27, 9, 30)),
        # across a weekend: Friday 17:00–17:30, then Monday 08:30 + 0.5 h
        (local(2023, 9, 22, 17, 0), 1, local(2023, 9, 25, 9, 0)),
        # across the 2023 holiday: Thursday 16:30–17:30, then Saturday 10-07 (worked) + 1 h
        (local(2023, 9, 28, 16, 30), 2, local(2023, 10, 7, 9, 30)),
        # across the 2024 holiday: Monday 09-30 17:00–17:30, then Tuesday 10-08 + 1.5 h
        (local(2024, 9, 30, 17, 0), 2, local(2024, 10, 8, 10, 0)),
        # a whole day and a half: Thursday 10:00 + 6 h → Thu done (6 h), 10-07 08:30 + 4 h
        # = 08:30–12:00 (3.5 h) + 13:30–14:00
        (local(2023, 9, 28, 10, 0), 10, local(2023, 10, 7, 14, 0)),
        # a count that ends at a closing time stays there instead of moving to the next opening
        (local(2023, 9, 26, 8, 30), 3.5, local(2023, 9, 26, 12, 0)),
        (local(2023, 9, 26, 8, 30), 7.5, local(2023, 9, 26, 17, 30)),
        (local(2023, 9, 26, 10, 0), 0, local(2023, 9, 26, 10, 0)),
        (local(2023, 9, 26, 10, 0), 0.25, local(2023, 9, 26, 10, 15)),
    ],
)
def test_add_working_hours(start, hours, expected):
    result = add_working_hours(start, hours)
    assert result == expected
    assert result.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (local(2023, 9, 26, 7, 0), local(2023, 9, 26, 9, 30)),  # before opening
        (local(2023, 9, 26, 12, 30), local(2023, 9, 26, 14, 30)),  # at lunch
        (local(2023, 9, 26, 12, 0), local(2023, 9, 26, 14, 30)),  # at the closing instant
        (local(2023, 9, 26, 20, 0), local(2023, 9, 27, 9, 30)),  # in the evening
        (local(2023, 9, 23, 10, 0), local(2023, 9, 25, 9, 30)),  # on a Saturday
        (local(2023, 10, 3, 10, 0), local(2023, 10, 7, 9, 30)),  # on a holiday
    ],
)
def test_a_start_outside_office_hours_counts_from_the_next_opening(start, expected):
    assert add_working_hours(start, 1) == expected


def test_zero_hours_outside_office_hours_is_the_next_opening():
    assert add_working_hours(local(2023, 9, 26, 20, 0), 0) == local(2023, 9, 27, 8, 30)


def test_office_hours_come_from_settings(settings):
    # e.g. summer hours with a longer lunch break
    settings.WORKING_HOURS = [("08:30", "12:00"), ("14:00", "18:00")]
    assert add_working_hours(local(2023, 9, 26, 11, 0), 2) == local(2023, 9, 26, 15, 0)
    assert add_working_days(local(2023, 9, 26, 11, 0), 1) == local(2023, 9, 27, 18, 0)
    assert working_seconds_between(local(2023, 9, 26), local(2023, 9, 27)) == 7.5 * HOUR


@pytest.mark.parametrize(
    "spans",
    [[], [("08:30", "12:00"), ("11:00", "17:30")], [("17:30", "08:30")], [("8h30", "12:00")]],
)
def test_bad_office_hours_are_a_configuration_error(settings, spans):
    settings.WORKING_HOURS = spans
    with pytest.raises(ImproperlyConfigured, match="WORKING_HOURS"):
        add_working_hours(local(2023, 9, 26, 11, 0), 2)


@pytest.mark.parametrize("hours", [-0.5, float("nan"), float("inf")])
def test_working_hours_must_be_a_finite_number_from_zero(hours):
    with pytest.raises(ValueError, match="hours must be a finite number"):
        add_working_hours(local(2023, 9, 26, 10, 0), hours)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (local(2023, 9, 26, 10, 0), local(2023, 9, 26, 10, 0), 0),
        (local(2023, 9, 26, 8, 0), local(2023, 9, 26, 18, 0), 7.5),
        (local(2023, 9, 26, 11, 0), local(2023, 9, 26, 14, 0), 1.5),  # lunch does not count
        (local(2023, 9, 26, 12, 10), local(2023, 9, 26, 13, 20), 0),
        (local(2023, 9, 23, 9, 0), local(2023, 9, 24, 17, 0), 0),  # a weekend
        (local(2023, 10, 1, 0, 0), local(2023, 10, 7, 0, 0), 0),  # the holiday itself
        # Thursday 10:00 → Monday 10-09 10:00: 6 h on 09-28, 7.5 h on 10-07 and on 10-08,
        # 1.5 h on 10-09.
        (local(2023, 9, 28, 10, 0), local(2023, 10, 9, 10, 0), 22.5),
    ],
)
def test_working_seconds_between(start, end, hours):
    assert working_seconds_between(start, end) == hours * HOUR
    assert working_seconds_between(end, start) == -hours * HOUR


def test_working_seconds_over_a_whole_year_counts_its_working_days():
    # 2023: 260 weekdays − 18 weekday holidays (01-02, 01-23..27, 04-05, 05-01..03, 06-22..23,
    # 09-29, 10-02..06) + 7 worked weekend days (01-28, 01-29, 04-23, 05-06, 06-25, 10-07,
    # 10-08) = 249 working days of 7.5 hours.
    days_2023 = [date(2023, 1, 1) + timedelta(days=offset) for offset in range(365)]
    assert sum(chinese_calendar.is_workday(day) for day in days_2023) == 249
    seconds = working_seconds_between(local(2023, 1, 1), local(2024, 1, 1))
    assert seconds == 249 * 7.5 * HOUR


def test_computations_do_not_query_the_database_for_each_day(django_assert_num_queries):
    # given the calendar loaded once
    is_workday(date(2023, 1, 1))
    # when deadlines are computed over months, then no query is made at all
    with django_assert_num_queries(0):
        add_working_days(local(2023, 1, 3, 9, 0), 200)
        add_working_hours(local(2023, 1, 3, 9, 0), 1000)
        working_seconds_between(local(2020, 1, 1), local(2026, 1, 1))


# --- Years nobody has entered -------------------------------------------------------------------


def test_unknown_year_falls_back_to_monday_to_friday_with_a_warning():
    # 2027 has not been entered. 2027-01-01 is a Friday: counted as a working day.
    start = local(2026, 12, 30, 10, 0)  # Wednesday
    deadline = add_working_days(start, 2)
    assert deadline == local(2027, 1, 1, 17, 30)
    assert calendar_gaps(start.date(), deadline.date()) == [2027]
    with translation.override("zh-hans"):
        assert calendar_warning(start, deadline) == (
            "2027 年的法定节假日尚未录入，已按周一至周五计算"
        )
    with translation.override("en"):
        assert calendar_warning(start, deadline) == (
            "The official holidays of 2027 have not been entered yet; working time is counted "
            "Monday to Friday."
        )
    # Thursday 2026-12-31 17:00 → Monday 2027-01-04 09:00: 0.5 h + 7.5 h (Friday) + 0.5 h.
    assert working_seconds_between(local(2026, 12, 31, 17, 0), local(2027, 1, 4, 9, 0)) == (
        8.5 * HOUR
    )


def test_publishing_the_year_is_used_at_once_and_the_warning_disappears(
    django_capture_on_commit_callbacks,
):
    # given the fallback computation for 2027 (the cache now holds "2027 unknown")
    start = local(2026, 12, 30, 10, 0)
    assert add_working_days(start, 2) == local(2027, 1, 1, 17, 30)
    # when an administrator publishes 2027 (test data, not the official schedule)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_publish(
            actor=SYSTEM,
            year=2027,
            days=[
                (date(2027, 1, 1), False, "元旦"),
                (date(2027, 2, 5), False, "春节"),
                (date(2027, 2, 20), True, "调休上班"),
            ],
            note="test schedule",
        )
    # then the same computation skips New Year's Day and there is no warning any more
    deadline = add_working_days(start, 2)
    assert deadline == local(2027, 1, 4, 17, 30)
    assert calendar_warning(start, deadline) is None
    assert working_seconds_between(local(2026, 12, 31, 17, 0), local(2027, 1, 4, 9, 0)) == (
        1 * HOUR
    )
    assert is_workday(date(2027, 2, 20)) is True
    assert is_workday(date(2027, 2, 5)) is False


def test_other_processes_notice_a_change_through_the_shared_version(monkeypatch):
    # given this process's copy, checked just now
    data = workcalendar.calendar_data()
    assert 2027 not in data.known_years
    # when another process publishes 2027 (rows written, shared version bumped, but this
    # process's copy not dropped)
    WorkCalendarYear.objects.create(
        year=2027, source="administrator", published_at=local(2026, 11, 1)
    )
    WorkCalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    cache.incr(workcalendar.VERSION_KEY)
    # then it is still used until the check interval has passed ...
    assert is_workday(date(2027, 1, 1)) is True
    monkeypatch.setattr(workcalendar._calendar, "_checked_at", -workcalendar.CHECK_INTERVAL)
    # ... and then rebuilt
    assert is_workday(date(2027, 1, 1)) is False


def test_calendar_gaps_and_warning_for_several_years():
    assert calendar_gaps(date(2028, 6, 1), date(2026, 1, 1)) == [2027, 2028]
    assert calendar_gaps(date(2003, 12, 1), date(2004, 1, 10)) == [2003]
    assert calendar_gaps(date(2023, 1, 1), date(2026, 12, 31)) == []
    with translation.override("zh-hans"):
        assert calendar_warning(date(2026, 1, 1), date(2028, 6, 1)) == (
            "2027、2028 年的法定节假日尚未录入，已按周一至周五计算"
        )
    assert CalendarWarning.between(date(2026, 1, 1), date(2028, 6, 1)) == CalendarWarning(
        (2027, 2028)
    )
    assert calendar_warning(date(2023, 1, 1), date(2023, 12, 31)) is None


def test_year_days_of_an_unmarked_year_are_not_trusted():
    # A stray row for a year nobody marked as entered changes nothing: that year is Mon–Fri.
    WorkCalendarDay.objects.create(date=date(2027, 1, 1), is_workday=False, name="元旦")
    workcalendar.calendar_changed()
    assert is_workday(date(2027, 1, 1)) is True


def test_an_emptied_calendar_is_restored_after_flush():
    # given a database whose calendar was emptied (as ``flush`` does in transactional tests)
    WorkCalendarDay.objects.all().delete()
    WorkCalendarYear.objects.all().delete()
    # when post_migrate runs
    restore_empty_work_calendar(apps=apps, using="default")
    workcalendar.calendar_changed()
    # then the library years are back
    assert list(WorkCalendarYear.objects.values_list("year", flat=True)) == library_years()
    assert is_workday(date(2023, 10, 7)) is True


# --- Property: the two computations agree -------------------------------------------------------

KNOWN_AND_UNKNOWN_DAYS = st.dates(min_value=date(2022, 1, 1), max_value=date(2027, 12, 31))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    day=KNOWN_AND_UNKNOWN_DAYS,
    span=st.sampled_from([(time(8, 30), time(12, 0)), (time(13, 30), time(17, 30))]),
    fraction=st.floats(min_value=0, max_value=1, exclude_max=True),
    hours=st.floats(min_value=0, max_value=500, allow_nan=False, allow_infinity=False),
)
def test_adding_hours_then_measuring_gives_the_hours_back(day, span, fraction, hours):
    assume(is_workday(day))
    opening = datetime.combine(day, span[0], tzinfo=SHANGHAI)
    closing = datetime.combine(day, span[1], tzinfo=SHANGHAI)
    start = opening + (closing - opening) * fraction
    result = add_working_hours(start, hours)
    assert abs(working_seconds_between(start, result) - hours * HOUR) < 1
    assert result >= start
    assert is_workday(result)
