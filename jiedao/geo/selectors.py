"""Reads of the geography, already narrowed to the user's scope."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import get_in_scope, require, scoped
from jiedao.core.coordinates import CRS, to_wgs84
from jiedao.core.errors import InvalidInput, NotFound

from .codes import validate_code
from .lookup import grid_index
from .models import Community, Department, Grid, Subdistrict


def subdistrict_list(*, user: Any) -> QuerySet[Subdistrict]:
    require(user, "geo.view")
    return scoped(user, Subdistrict.objects.all())


def community_list(*, user: Any, include_retired: bool = False) -> QuerySet[Community]:
    """The communities and villages in the user's scope; retired ones only when asked (the
    administration pages), so that no other page offers them."""
    require(user, "geo.view")
    communities = scoped(user, Community.objects.select_related("subdistrict"))
    if not include_retired:
        communities = communities.filter(is_active=True)
    return communities.annotate(grid_count=Count("grids", filter=Q(grids__is_active=True)))


def _is_digits(code: str) -> bool:
    # Codes are ASCII digits; anything else (even a NUL byte, which PostgreSQL refuses to
    # compare) cannot name an object.
    return code.isascii() and code.isdigit()


def community_get(*, user: Any, code: str) -> Community:
    require(user, "geo.view")
    if not _is_digits(code):
        raise NotFound()
    return get_in_scope(user, Community.objects.select_related("subdistrict"), code=code)


def grid_list(
    *, user: Any, community_code: str = "", include_retired: bool = False
) -> QuerySet[Grid]:
    """The grids in the user's scope; retired ones only when asked (the administration pages),
    so that no form offers a grid that takes no new events."""
    require(user, "geo.view")
    grids = scoped(user, Grid.objects.select_related("community"))
    if not include_retired:
        grids = grids.filter(is_active=True)
    if community_code:
        validate_code(community_code, "community", field="community")
        grids = grids.filter(community__code=community_code)
    return grids


def grid_get(*, user: Any, code: str) -> Grid:
    require(user, "geo.view")
    if not _is_digits(code):
        raise NotFound()
    return get_in_scope(user, Grid.objects.select_related("community__subdistrict"), code=code)


def department_list(*, user: Any, include_retired: bool = False) -> QuerySet[Department]:
    """The departments in the user's scope; retired ones only when asked (administration)."""
    require(user, "geo.view")
    departments = scoped(user, Department.objects.all())
    return departments if include_retired else departments.filter(is_active=True)


def department_get(*, user: Any, pk: int) -> Department:
    require(user, "geo.view")
    return get_in_scope(user, Department.objects.select_related("subdistrict"), pk=pk)


def grid_feature(grid: Grid) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": grid.code,
        "geometry": grid.boundary,
        "properties": {
            "code": grid.code,
            "name": grid.name,
            "community_code": grid.community.code,
            "community_name": grid.community.name,
            "synthetic": grid.is_synthetic,
        },
    }


def community_feature(community: Community) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": community.code,
        "geometry": community.boundary,
        "properties": {
            "code": community.code,
            "name": community.name,
            "kind": community.kind,
            "synthetic": community.is_synthetic,
        },
    }


def grids_feature_collection(*, user: Any, community_code: str = "") -> dict[str, Any]:
    """The grids the user may see, as a GeoJSON FeatureCollection (the import format)."""
    grids = grid_list(user=user, community_code=community_code)
    return {"type": "FeatureCollection", "features": [grid_feature(grid) for grid in grids]}


def communities_feature_collection(*, user: Any) -> dict[str, Any]:
    communities = community_list(user=user)
    return {
        "type": "FeatureCollection",
        "features": [community_feature(community) for community in communities],
    }


def grid_locate(*, user: Any, lat: float, lng: float, crs: CRS) -> Grid:
    """The grid containing the point. Outside every grid is bad input; a grid outside the
    user's scope is not found, like a missing one."""
    require(user, "geo.view")
    point = to_wgs84(lat, lng, crs)
    grid_id = grid_index().locate(point.lng, point.lat)
    if grid_id is None:
        raise InvalidInput(
            _("The point (%(lat)s, %(lng)s) lies outside every grid of the subdistrict.")
            % {"lat": lat, "lng": lng},
            code="outside_area",
            field="lat",
        )
    return get_in_scope(user, Grid.objects.select_related("community"), pk=grid_id)
