"""The geography every report looks up: point → grid with a shapely STRtree, and a
subdistrict's departments by code.

Both are built once per process and rebuilt when their data change: the services that change
grids or departments call :func:`grids_changed` or :func:`departments_changed` after commit,
which drops this process's copy and bumps a version number in the shared cache, so other
workers notice within ``CHECK_INTERVAL`` seconds (immediately in the tests' single process).
"""

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely import STRtree

from jiedao.core.process_cache import ProcessCache

from .geometry import parse_boundary
from .models import Department, Grid, Subdistrict

VERSION_KEY = "jiedao:geo:grid-index-version"
DEPARTMENTS_VERSION_KEY = "jiedao:geo:departments-version"
SUBDISTRICTS_VERSION_KEY = "jiedao:geo:subdistricts-version"
CHECK_INTERVAL = 5.0


@dataclass(frozen=True)
class GridIndex:
    tree: STRtree
    grid_ids: np.ndarray
    # The grids themselves, in tree order, with their community and subdistrict loaded: intake
    # needs all three for every report. Shared by every request of the process, so read-only.
    grids: tuple[Grid, ...]
    version: int
    community_ids: dict[int, int] = field(default_factory=dict)  # grid id → its community id

    @classmethod
    def build(cls, version: int) -> "GridIndex":
        # A retired grid takes no new reports: a point in it lies in no grid, unless a new grid
        # drawn over it takes its place.
        grids = tuple(
            Grid.objects.select_related("community__subdistrict")
            .filter(is_active=True)
            .order_by("code")
        )
        geometries = [parse_boundary(grid.boundary) for grid in grids]
        for geometry in geometries:
            shapely.prepare(geometry)
        return cls(
            tree=STRtree(geometries),
            grid_ids=np.array([grid.pk for grid in grids], dtype=np.int64),
            grids=grids,
            version=version,
            community_ids={grid.pk: grid.community_id for grid in grids},
        )

    def _position(self, lng: float, lat: float) -> int | None:
        hits = self.tree.query(shapely.Point(lng, lat), predicate="covered_by")
        if len(hits) == 0:
            return None
        return int(hits[0] if len(hits) == 1 else hits.min())  # rows are sorted by code

    def locate(self, lng: float, lat: float) -> int | None:
        """The id of the grid covering the point. On a shared border the lowest code wins,
        so the answer never depends on the order grids were loaded in."""
        position = self._position(lng, lat)
        return None if position is None else int(self.grid_ids[position])

    def locate_grid(self, lng: float, lat: float) -> Grid | None:
        """:meth:`locate`, answering the grid with its community and subdistrict (read-only)."""
        position = self._position(lng, lat)
        return None if position is None else self.grids[position]

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


def _department_directory(version: int) -> dict[tuple[int, str], Department]:
    return {
        (department.subdistrict_id, department.code): department
        for department in Department.objects.all()
    }


_departments = ProcessCache(DEPARTMENTS_VERSION_KEY, _department_directory, CHECK_INTERVAL)


def department_by_code(subdistrict_id: int, code: str) -> Department | None:
    """The department with ``code`` in the subdistrict, active or not (shared, so read-only)."""
    return _departments.get().get((subdistrict_id, code))


def departments_changed() -> None:
    """Call after a transaction that changed departments has committed."""
    _departments.changed()


def _subdistrict_list(version: int) -> tuple[Subdistrict, ...]:
    return tuple(Subdistrict.objects.order_by("code"))


_subdistricts = ProcessCache(SUBDISTRICTS_VERSION_KEY, _subdistrict_list, CHECK_INTERVAL)


def subdistricts() -> tuple[Subdistrict, ...]:
    """Every subdistrict in code order (shared, so read-only): Open311 resolves its
    ``jurisdiction_id`` on every request."""
    return _subdistricts.get()


def subdistricts_changed() -> None:
    """Call after a transaction that changed subdistricts has committed."""
    _subdistricts.changed()
