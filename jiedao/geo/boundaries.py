"""Where a grid's boundary may lie: inside its community or village, and over no other grid.

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


def area_m2(geometry: BaseGeometry) -> float:
    """The area of a WGS-84 geometry in square metres (local equirectangular scale)."""
    if geometry.is_empty:
        return 0.0
    latitude = geometry.centroid.y
    return float(geometry.area) * METRES_PER_DEGREE**2 * math.cos(math.radians(latitude))


@dataclass(frozen=True)
class Placed:
    """A boundary to check, with the grid it is (its code and name) for the messages."""

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


def overlaps(polygon: BaseGeometry, others: list[Placed]) -> list[Any]:
    """One message per other boundary that ``polygon`` overlaps, naming that grid."""
    found = []
    for other in others:
        if not polygon.intersects(other.polygon):
            continue
        shared = area_m2(polygon.intersection(other.polygon))
        if shared > TOLERANCE_M2:
            found.append(
                _("The boundary overlaps grid “%(name)s” (%(code)s) by about %(area)s m².")
                % {"name": other.name, "code": other.code, "area": round(shared)}
            )
    return found


def placed(grid: Grid, polygon: BaseGeometry) -> Placed:
    return Placed(code=grid.code, name=grid.name, polygon=polygon)
