from typing import Any

from ninja import Schema


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
