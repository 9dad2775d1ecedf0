"""The working-time calendar over HTTP: read a year, publish a year's official schedule."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from . import selectors, services
from .schemas import CalendarYearIn, CalendarYearOut

router = Router(tags=["calendar"])


def calendar_year_out(view: selectors.CalendarYearView) -> dict[str, Any]:
    return {
        "year": view.year,
        "known": view.is_known,
        "source": view.entry.source if view.entry else None,
        "published_at": view.entry.published_at if view.entry else None,
        "note": view.entry.note if view.entry else "",
        "warning": view.warning,
        "days": [
            {"date": day.date, "is_workday": day.is_workday, "name": day.name} for day in view.days
        ],
    }


@router.get("/{int:year}", response=CalendarYearOut, summary="One year of the working calendar")
def calendar_year(request: HttpRequest, year: int) -> dict[str, Any]:
    """The year's exceptions to Monday–Friday (holidays on weekdays, worked weekend days) and
    whether the year is known. An unknown year counts Monday to Friday and carries a warning."""
    return calendar_year_out(selectors.calendar_year_get(user=request.user, year=year))


@router.post("/{int:year}", response=CalendarYearOut, summary="Publish a year's holidays")
def calendar_year_publish(request: HttpRequest, year: int, payload: CalendarYearIn) -> Any:
    """Enter the official schedule of ``year`` (administrators). All or nothing: any bad day
    rejects the whole schedule, naming it. Publishing a known year replaces its schedule."""
    services.calendar_year_publish(
        actor=request.user,
        year=year,
        days=[(day.date, day.is_workday, day.name) for day in payload.days],
        note=payload.note,
    )
    return calendar_year_out(selectors.calendar_year_get(user=request.user, year=year))
