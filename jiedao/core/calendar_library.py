"""The official schedules that the chinese-calendar package knows, as calendar exceptions.

Used by the data migration that seeds the working calendar (and to restore it in a database
that was emptied, see :mod:`jiedao.core.apps`); after that the database is the calendar and
administrators extend it year by year (the package stops at 2026).
"""

from datetime import date
from typing import Any

import chinese_calendar
from chinese_calendar.constants import Holiday
from django.utils import timezone

# The package's short names (中秋, 端午, 清明) in the form the State Council notices use.
HOLIDAY_NAMES = {
    Holiday.new_years_day.value: "元旦",
    Holiday.spring_festival.value: "春节",
    Holiday.tomb_sweeping_day.value: "清明节",
    Holiday.labour_day.value: "劳动节",
    Holiday.dragon_boat_festival.value: "端午节",
    Holiday.national_day.value: "国庆节",
    Holiday.mid_autumn_festival.value: "中秋节",
    Holiday.anti_fascist_70th_day.value: Holiday.anti_fascist_70th_day.chinese,
}
MAKE_UP_WORKDAY_NAME = "调休上班"

# The years chinese-calendar 1.11 covers. Fixed, so that the migration seeds the same rows
# whatever version of the package happens to be installed later.
FIRST_YEAR = 2004
LAST_YEAR = 2026


def library_years() -> list[int]:
    """The years of FIRST_YEAR..LAST_YEAR that the installed package really knows."""
    known = {day.year for day in chinese_calendar.holidays}
    return [year for year in range(FIRST_YEAR, LAST_YEAR + 1) if year in known]


def library_exceptions(year: int) -> list[tuple[date, bool, str]]:
    """(date, is_workday, name) for each day of ``year`` that differs from Monday to Friday:
    holidays on weekdays, and weekend days worked in exchange (调休上班)."""
    exceptions: list[tuple[date, bool, str]] = []
    for day, holiday in chinese_calendar.holidays.items():
        if day.year == year and day.weekday() < 5:
            exceptions.append((day, False, HOLIDAY_NAMES[holiday]))
    for day in chinese_calendar.workdays:
        if day.year == year and day.weekday() >= 5:
            exceptions.append((day, True, MAKE_UP_WORKDAY_NAME))
    return sorted(exceptions)


def seed_library_years(year_model: Any, day_model: Any) -> list[int]:
    """Store every library year that is not in the database yet; returns the years stored.

    Takes the model classes so that the data migration can pass its historical models.
    """
    now = timezone.now()
    existing = set(year_model.objects.values_list("year", flat=True))
    seeded = []
    for year in library_years():
        if year in existing:
            continue
        year_model.objects.create(
            year=year,
            source="chinese_calendar",
            published_at=now,
            note=f"chinese-calendar {chinese_calendar.__version__}",
        )
        day_model.objects.bulk_create(
            day_model(date=day, is_workday=is_workday, name=name)
            for day, is_workday, name in library_exceptions(year)
        )
        seeded.append(year)
    return seeded
