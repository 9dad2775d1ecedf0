"""Checking GeoJSON boundaries before they are stored."""

from typing import Any

import shapely
from django.utils.translation import gettext_lazy as _
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from jiedao.core.errors import InvalidInput

POLYGON_TYPES = {"Polygon", "MultiPolygon"}


def parse_boundary(geometry: Any, *, field: str = "geometry") -> BaseGeometry:
    """A valid WGS-84 Polygon or MultiPolygon, or InvalidInput that says what is wrong."""
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGON_TYPES:
        found = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise InvalidInput(
            _("The boundary must be a GeoJSON Polygon or MultiPolygon, not %(found)s.")
            % {"found": found},
            code="bad_geometry",
            field=field,
        )
    try:
        polygon = shape(geometry)
    except (
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        shapely.errors.ShapelyError,
    ):
        raise InvalidInput(
            _(
                "The boundary's coordinates are malformed: a polygon is a list of rings, each a "
                "closed list of [longitude, latitude] pairs."
            ),
            code="bad_geometry",
            field=field,
        ) from None
    if polygon.is_empty:
        raise InvalidInput(_("The boundary is empty."), code="bad_geometry", field=field)
    min_lng, min_lat, max_lng, max_lat = polygon.bounds
    if not (-180 <= min_lng <= max_lng <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise InvalidInput(
            _("The boundary has coordinates out of range; GeoJSON order is [longitude, latitude]."),
            code="out_of_range",
            field=field,
        )
    if not polygon.is_valid:
        raise InvalidInput(
            _("The boundary is not a valid polygon: %(reason)s.")
            % {"reason": shapely.is_valid_reason(polygon)},
            code="bad_geometry",
            field=field,
        )
    return polygon
