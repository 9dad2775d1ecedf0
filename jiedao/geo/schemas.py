from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field


class CommunityOut(Schema):
    code: str
    name: str
    kind: str
    grid_count: int
    is_synthetic: bool


class GridOut(Schema):
    code: str
    name: str
    community_code: str
    community_name: str
    is_synthetic: bool


class GridDetailOut(GridOut):
    boundary: dict[str, Any]
    subdistrict_name: str


class DepartmentOut(Schema):
    code: str
    name: str
    kind: str
    duties: list[str]


class LocateOut(Schema):
    grid: GridOut
    wgs84_lat: float
    wgs84_lng: float


class ImportOut(Schema):
    created: int
    updated: int


class GridImportIn(Schema):
    """A GeoJSON FeatureCollection of grids; each feature's properties carry ``code`` and
    ``name``. The features are checked one by one by the import service, which names the bad one.
    """

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="Must be FeatureCollection")
    features: list[Any] = Field(
        description="GeoJSON Features with a Polygon or MultiPolygon geometry in WGS-84 and "
        "properties {code: 15-digit grid code, name, synthetic?}"
    )
