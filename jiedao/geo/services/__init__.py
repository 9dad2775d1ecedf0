"""Writes to the geography, each audited: the places one by one (:mod:`.places`: subdistricts,
communities and villages, grids, departments) and whole GeoJSON files of boundaries, grids or
communities and villages, previewed before they are saved (:mod:`.imports`)."""

from .imports import (
    PlannedPlace,
    communities_import_geojson,
    communities_import_plan,
    grids_import_geojson,
    grids_import_plan,
)
from .places import (
    NAME_MAX_LENGTH,
    community_create,
    community_set_active,
    community_update,
    department_create,
    department_set_active,
    department_update,
    grid_create,
    grid_set_active,
    grid_update,
    subdistrict_create,
)

__all__ = [
    "NAME_MAX_LENGTH",
    "PlannedPlace",
    "communities_import_geojson",
    "communities_import_plan",
    "community_create",
    "community_set_active",
    "community_update",
    "department_create",
    "department_set_active",
    "department_update",
    "grid_create",
    "grid_set_active",
    "grid_update",
    "grids_import_geojson",
    "grids_import_plan",
    "subdistrict_create",
]
