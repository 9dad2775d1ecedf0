"""Where a boundary may lie: a grid's inside its community or village and over no other grid, a
community's or village's over no other community or village and around all of its grids.

Shared borders are allowed (grids tile a community); what counts is the area two boundaries share
or the area outside the community, above :data:`TOLERANCE_M2` (a patch of about 7 × 7 m) so that the rounding of
coordinates drawn in different tools is not an error. Areas are in square metres, from the local
scale at the boundary's latitude (precise enough at the size of a subdistrict).
"""

import math
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from shapely.geometry.base import BaseGeometry

from .models import Community, Grid

TOLERANCE_M2 = 50.0
METRES_PER_DEGREE = 111_320.0

GRID_OVERLAP = _("The boundary overlaps grid “%(name)s” (%(code)s) by about %(area)s m².")
COMMUNITY_OVERLAP = _(
    "The boundary overlaps the community or village “%(name)s” (%(code)s) by about %(area)s m²."
)


def area_m2(geometry: BaseGeometry) -> float:
    """The area of a WGS-84 geometry in square metres (local equirectangular scale)."""
    if geometry.is_empty:
        return 0.0
    latitude = geometry.centroid.y
    return float(geometry.area) * METRES_PER_DEGREE**2 * math.cos(math.radians(latitude))


@dataclass(frozen=True)
class Placed:
    """A boundary to check, with the place it is (its code and name) for the messages."""

    code: str
    name: str
    polygon: BaseGeometry


def outside_community(polygon: BaseGeometry, community: Community, community_polygon: Any) -> Any:
    """The message when ``polygon`` reaches outside its community, else None."""
    outside = area_m2(polygon.difference(community_polygon))
    if outside <= TOLERANCE_M2:
        return None
    return _(
        "The boundary reaches outside its community or village “%(community)s” (about "
        "%(area)s m² outside)."
    ) % {"community": community.name, "area": round(outside)}


def overlaps(
    polygon: BaseGeometry, others: list[Placed], *, message: Any = GRID_OVERLAP
) -> list[Any]:
    """One message per other boundary that ``polygon`` overlaps, naming that place."""
    found = []
    for other in others:
        if not polygon.intersects(other.polygon):
            continue
        shared = area_m2(polygon.intersection(other.polygon))
        if shared > TOLERANCE_M2:
            found.append(message % {"name": other.name, "code": other.code, "area": round(shared)})
    return found


def grids_outside(polygon: BaseGeometry, grids: list[Placed]) -> list[Any]:
    """One message per grid that a community's new boundary ``polygon`` would leave partly
    outside: the grid's own check (:func:`outside_community`) seen from the community."""
    found = []
    for grid in grids:
        outside = area_m2(grid.polygon.difference(polygon))
        if outside > TOLERANCE_M2:
            found.append(
                _(
                    "The boundary leaves its grid “%(name)s” (%(code)s) partly outside (about "
                    "%(area)s m²): redraw the grid first."
                )
                % {"name": grid.name, "code": grid.code, "area": round(outside)}
            )
    return found


def placed(place: Grid | Community, polygon: BaseGeometry) -> Placed:
    return Placed(code=place.code, name=place.name, polygon=polygon)
