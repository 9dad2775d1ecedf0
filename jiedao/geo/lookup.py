"""Point → grid lookup with a shapely STRtree.

The index is built once per process from every grid's boundary and rebuilt when grids change:
services that change grids call :func:`grids_changed` after commit, which drops this process's
index and bumps a version number in the shared cache, so other workers notice within
``CHECK_INTERVAL`` seconds (immediately when they run the tests' single process).
"""

from dataclasses import dataclass

import numpy as np
import shapely
from shapely import STRtree

from jiedao.core.process_cache import ProcessCache

from .geometry import parse_boundary
from .models import Grid

VERSION_KEY = "jiedao:geo:grid-index-version"
CHECK_INTERVAL = 5.0


@dataclass(frozen=True)
class GridIndex:
    tree: STRtree
    grid_ids: np.ndarray
    codes: np.ndarray
    version: int

    @classmethod
    def build(cls, version: int) -> "GridIndex":
        rows = list(Grid.objects.order_by("code").values_list("id", "code", "boundary"))
        geometries = [parse_boundary(boundary) for _id, _code, boundary in rows]
        for geometry in geometries:
            shapely.prepare(geometry)
        return cls(
            tree=STRtree(geometries),
            grid_ids=np.array([row[0] for row in rows], dtype=np.int64),
            codes=np.array([row[1] for row in rows]),
            version=version,
        )

    def locate(self, lng: float, lat: float) -> int | None:
        """The id of the grid covering the point. On a shared border the lowest code wins,
        so the answer never depends on the order grids were loaded in."""
        hits = self.tree.query(shapely.Point(lng, lat), predicate="covered_by")
        if len(hits) == 0:
            return None
        first = hits[0] if len(hits) == 1 else hits.min()  # rows are sorted by code
        return int(self.grid_ids[first])

    def locate_many(self, lngs: np.ndarray, lats: np.ndarray) -> np.ndarray:
        """Vectorised :meth:`locate`; -1 where no grid covers the point."""
        points = shapely.points(lngs, lats)
        point_index, tree_index = self.tree.query(points, predicate="covered_by")
        count = len(self.grid_ids)
        best = np.full(len(points), count, dtype=np.int64)
        # The lowest tree index is the lowest code: it wins on shared borders, as in locate().
        np.minimum.at(best, point_index, tree_index)
        found = best < count
        result = np.full(len(points), -1, dtype=np.int64)
        result[found] = self.grid_ids[best[found]]
        return result


_index = ProcessCache(VERSION_KEY, GridIndex.build, CHECK_INTERVAL)


def grid_index() -> GridIndex:
    return _index.get()


def grids_changed() -> None:
    """Call after a transaction that changed grids has committed."""
    _index.changed()
