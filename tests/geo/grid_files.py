"""GeoJSON files of grids that fit the demo: a new grid is carved out of an existing one, and the
file redraws that one around it, since the demo's grids tile each community without gaps."""

import json
from typing import Any

from shapely.geometry import box, mapping, shape

from jiedao.geo.models import Grid


def _geojson(geometry: Any) -> dict[str, Any]:
    # Through JSON, as a file or a request body arrives (tuples become lists).
    return json.loads(json.dumps(mapping(geometry)))


def split_grid(code: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The boundary of grid ``code`` cut in two along its middle meridian: (the eastern part it
    keeps, the western part that becomes a new grid)."""
    polygon = shape(Grid.objects.get(code=code).boundary)
    min_x, min_y, max_x, max_y = polygon.bounds
    middle = (min_x + max_x) / 2
    west = polygon.intersection(box(min_x - 1, min_y - 1, middle, max_y + 1))
    east = polygon.intersection(box(middle, min_y - 1, max_x + 1, max_y + 1))
    return _geojson(east), _geojson(west)


def feature(code: str, name: str, geometry: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": {"code": code, "name": name}}


def split_file(code: str, new_code: str, new_name: str) -> dict[str, Any]:
    """A file that carves the new grid ``new_code`` out of grid ``code`` (redrawn, same name)."""
    kept, carved = split_grid(code)
    name = Grid.objects.get(code=code).name
    return {
        "type": "FeatureCollection",
        "features": [feature(code, name, kept), feature(new_code, new_name, carved)],
    }
