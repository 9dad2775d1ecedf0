from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from jiedao.core.coordinates import parse_crs, to_wgs84

from . import selectors, services
from .models import Grid
from .schemas import (
    CommunityOut,
    DepartmentOut,
    GridDetailOut,
    GridImportIn,
    GridOut,
    ImportOut,
    LocateOut,
)

router = Router(tags=["geography"])


def grid_out(grid: Grid) -> dict[str, Any]:
    return {
        "code": grid.code,
        "name": grid.name,
        "community_code": grid.community.code,
        "community_name": grid.community.name,
        "is_synthetic": grid.is_synthetic,
    }


@router.get("/communities", response=list[CommunityOut], summary="Communities and villages")
def list_communities(request: HttpRequest) -> Any:
    return selectors.community_list(user=request.user)


@router.get("/communities/geojson", summary="Communities as GeoJSON")
def communities_geojson(request: HttpRequest) -> dict[str, Any]:
    return selectors.communities_feature_collection(user=request.user)


@router.get("/departments", response=list[DepartmentOut], summary="Departments and duties")
def list_departments(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"code": d.code, "name": d.name, "kind": d.kind, "duties": d.duty_list}
        for d in selectors.department_list(user=request.user)
    ]


@router.get("/grids", response=list[GridOut], summary="Grids in your scope")
def list_grids(request: HttpRequest, community: str = "") -> list[dict[str, Any]]:
    return [grid_out(g) for g in selectors.grid_list(user=request.user, community_code=community)]


@router.get("/grids/geojson", summary="Grids as a GeoJSON FeatureCollection (the import format)")
def grids_geojson(request: HttpRequest, community: str = "") -> dict[str, Any]:
    return selectors.grids_feature_collection(user=request.user, community_code=community)


class LocateQuery(Schema):
    lat: float = Field(description="Latitude in the given coordinate system")
    lng: float = Field(description="Longitude in the given coordinate system")
    crs: str = Field("wgs84", description="wgs84 (GPS), gcj02 (Amap, Tencent) or bd09 (Baidu)")


@router.get("/grids/locate", response=LocateOut, summary="Which grid contains a point")
def locate(request: HttpRequest, query: Query[LocateQuery]) -> dict[str, Any]:
    crs = parse_crs(query.crs)
    grid = selectors.grid_locate(user=request.user, lat=query.lat, lng=query.lng, crs=crs)
    point = to_wgs84(query.lat, query.lng, crs)
    return {"grid": grid_out(grid), "wgs84_lat": point.lat, "wgs84_lng": point.lng}


# Before /grids/{code}: Django tries URL patterns in order, and {code} would match "import".
@router.post("/grids/import", response=ImportOut, summary="Import grids from GeoJSON")
def import_grids(request: HttpRequest, payload: GridImportIn) -> dict[str, int]:
    """Create or update grids from a FeatureCollection whose features carry ``code`` and
    ``name`` properties. All or nothing: one bad feature rejects the file, naming it."""
    user: Any = request.user
    return services.grids_import_geojson(
        actor=user, subdistrict=getattr(user, "subdistrict", None), data=payload.model_dump()
    )


@router.get("/grids/{code}", response=GridDetailOut, summary="One grid")
def grid_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    grid = selectors.grid_get(user=request.user, code=code)
    return {
        **grid_out(grid),
        "boundary": grid.boundary,
        "subdistrict_name": grid.community.subdistrict.name,
    }
