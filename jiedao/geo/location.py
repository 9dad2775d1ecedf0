"""Where a report is: a WGS-84 point and the grid it lies in.

Intake (:func:`jiedao.events.services.event_report`) and every door that reports through it give
either coordinates (in any supported coordinate system) or, for a hotline call without them, only
the grid code; :func:`locate` turns either into a :class:`Location`, or a 422 naming the field.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from jiedao.core.coordinates import CRS, parse_crs, to_wgs84
from jiedao.core.errors import InvalidInput

from .geometry import parse_boundary
from .lookup import grid_index
from .models import Grid


@dataclass(frozen=True)
class Location:
    lat: float
    lng: float
    grid: Grid
    is_approximate: bool


def grid_by_code(code: str) -> Grid:
    """The active grid with ``code`` (with its community and subdistrict), or a 422 on ``grid``
    (a retired grid takes no new reports)."""
    grid = (
        Grid.objects.select_related("community__subdistrict")
        .filter(code=code, is_active=True)
        .first()
    )
    if grid is None:
        raise InvalidInput(
            _("Unknown grid code “%(code)s”.") % {"code": code},
            code="unknown_grid",
            field="grid",
        )
    return grid


def locate(*, lat: object, lng: object, crs: CRS | str, grid_code: str) -> Location:
    """WGS-84 point and grid of a report: from coordinates (in ``crs``), or — for a hotline call
    without coordinates — a point inside the given grid, flagged approximate.

    ``lat`` and ``lng`` are whatever the caller received: anything but a number is a 422 naming
    the field, so that a door that forgot to parse them cannot place an event anywhere."""
    crs = crs if isinstance(crs, CRS) else parse_crs(crs)
    if lat is None and lng is None:
        if not grid_code:
            raise InvalidInput(
                _("Where is it? Place the pin on the map (or give the latitude and longitude)."),
                code="required",
                field="lat",
            )
        grid = grid_by_code(grid_code)
        point = parse_boundary(grid.boundary).representative_point()
        return Location(lat=point.y, lng=point.x, grid=grid, is_approximate=True)
    numbers: list[float] = []
    for name, label, value in (("lat", _("Latitude"), lat), ("lng", _("Longitude"), lng)):
        if value is None or isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidInput(
                _("%(field)s must be a number."),
                params={"field": label},
                code="required",
                field=name,
            )
        numbers.append(float(value))
    point = to_wgs84(numbers[0], numbers[1], crs)
    located = grid_index().locate_grid(point.lng, point.lat)
    if located is None:
        raise InvalidInput(
            _(
                "The location (%(lat)s, %(lng)s, %(crs)s) lies outside every grid of the "
                "subdistrict. Check the point on the map."
            )
            % {"lat": lat, "lng": lng, "crs": crs.value},
            code="outside_area",
            field="lat",
        )
    if grid_code and grid_code != located.code:
        grid_by_code(grid_code)  # unknown code: say so
        raise InvalidInput(
            _("The location lies in grid %(actual)s, not in grid %(given)s.")
            % {"actual": located.code, "given": grid_code},
            code="grid_mismatch",
            field="grid",
        )
    return Location(lat=point.lat, lng=point.lng, grid=located, is_approximate=False)
