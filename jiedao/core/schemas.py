from datetime import date, datetime

from ninja import Schema
from pydantic import Field


class CalendarDayIn(Schema):
    date: date
    is_workday: bool = Field(
        description="true: a weekend day that is worked (调休上班); false: a weekday holiday"
    )
    name: str = Field(max_length=100, description="e.g. 春节, 国庆节, 调休上班")


class CalendarYearIn(Schema):
    days: list[CalendarDayIn] = Field(
        description="Every exception to Monday–Friday in the year, and nothing else"
    )
    note: str = Field(
        "", description="Where the schedule comes from, e.g. the State Council notice"
    )


class CalendarDayOut(Schema):
    date: date
    is_workday: bool
    name: str


class CalendarYearOut(Schema):
    year: int
    known: bool = Field(description="false: nobody has entered this year; it counts Mon–Fri")
    source: str | None
    published_at: datetime | None
    note: str
    warning: str | None = Field(description="Shown when the year is not known")
    days: list[CalendarDayOut]
