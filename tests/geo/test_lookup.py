"""Point → grid lookup over the Wenyan demo, including points on shared borders."""

import numpy as np
import pytest
import shapely
from shapely.geometry import Point, shape

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.coordinates import CRS
from jiedao.core.errors import InvalidInput
from jiedao.geo import lookup
from jiedao.geo.lookup import grid_index
from jiedao.geo.models import Community, Grid
from jiedao.geo.selectors import grid_locate
from jiedao.geo.services import grid_create, grid_update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def grid_shapes() -> dict[str, object]:
    return {
        code: shape(boundary) for code, boundary in Grid.objects.values_list("code", "boundary")
    }


def code_at(lng: float, lat: float) -> str | None:
    grid_id = grid_index().locate(lng, lat)
    if grid_id is None:
        return None
    return Grid.objects.get(pk=grid_id).code


def test_a_point_inside_each_grid_returns_that_grid(wenyan_demo):
    shapes = grid_shapes()

    found = {}
    for code, polygon in shapes.items():
        # A point well inside: away from every border, so exactly one grid covers it.
        inner = polygon.buffer(-0.0002)
        point = inner.representative_point()
        found[code] = code_at(point.x, point.y)

    assert len(found) == 35
    assert found == {code: code for code in shapes}


def test_points_named_in_the_demo_land_in_their_grids(wenyan_demo):
    grid = Grid.objects.get(code="330109012001001")
    point = shape(grid.boundary).representative_point()

    located = grid_locate(user=SYSTEM, lat=point.y, lng=point.x, crs=CRS.WGS84)

    assert located == grid


def test_a_point_outside_the_subdistrict_is_bad_input_naming_lat(wenyan_demo):
    with pytest.raises(InvalidInput) as error:
        grid_locate(user=SYSTEM, lat=30.30, lng=120.10, crs=CRS.WGS84)

    assert error.value.code == "outside_area"
    assert error.value.field == "lat"
    assert code_at(120.10, 30.30) is None


def shared_border_points(shapes: dict) -> list[tuple[Point, str, str]]:
    """For each pair of grids sharing an edge, the midpoint of their first common segment."""
    codes = sorted(shapes)
    points = []
    for index, first in enumerate(codes):
        for second in codes[index + 1 :]:
            common = shapes[first].intersection(shapes[second])
            if common.geom_type != "LineString":
                continue
            (x1, y1), (x2, y2) = list(common.coords)[:2]
            midpoint = Point((x1 + x2) / 2, (y1 + y2) / 2)
            covering = [code for code, polygon in shapes.items() if polygon.covers(midpoint)]
            if covering == [first, second]:
                points.append((midpoint, first, second))
    return points


def test_a_point_on_a_shared_border_returns_the_lowest_code(wenyan_demo):
    shapes = grid_shapes()
    border_points = shared_border_points(shapes)
    first_point, first, second = border_points[0]

    assert (first, second) == ("330109012001001", "330109012001002")
    assert shapes[first].boundary.distance(first_point) == 0
    assert shapes[second].boundary.distance(first_point) == 0
    # Only midpoints that floating point puts exactly on both borders count: a dozen of them.
    assert len(border_points) >= 10
    for point, lower, higher in border_points:
        assert lower < higher
        assert code_at(point.x, point.y) == lower


def test_a_vertex_shared_by_three_grids_returns_the_lowest_code(wenyan_demo):
    shapes = grid_shapes()
    common = shapes["330109012001001"].boundary.intersection(shapes["330109012001003"].boundary)
    vertex = next(
        Point(xy)
        for xy in shapely.get_coordinates(common)
        if shapes["330109012001002"].covers(Point(xy))
    )

    covering = sorted(code for code, polygon in shapes.items() if polygon.covers(vertex))

    assert covering == ["330109012001001", "330109012001002", "330109012001003"]
    assert code_at(vertex.x, vertex.y) == "330109012001001"


def test_the_answer_does_not_depend_on_the_order_grids_were_loaded(wenyan_demo):
    shapes = grid_shapes()
    point, lower, _higher = shared_border_points(shapes)[0]
    index = grid_index()
    reversed_index = lookup.GridIndex(
        tree=shapely.STRtree([shapes[code] for code in sorted(shapes, reverse=True)]),
        grid_ids=index.grid_ids[::-1].copy(),
        grids=index.grids[::-1],
        version=index.version,
    )

    # The index keeps rows sorted by code; built the other way round it would pick the other grid.
    assert Grid.objects.get(pk=index.locate(point.x, point.y)).code == lower
    assert Grid.objects.get(pk=reversed_index.locate(point.x, point.y)).code != lower
    # locate_grid answers the same grid as locate, with its community and subdistrict
    found = index.locate_grid(point.x, point.y)
    assert (found.code, found.community.code, found.community.subdistrict.code) == (
        lower,
        lower[:12],
        lower[:9],
    )


def test_locate_many_agrees_with_locate_for_random_points(wenyan_demo):
    index = grid_index()
    min_lng, min_lat, max_lng, max_lat = shapely.union_all(list(grid_shapes().values())).bounds
    rng = np.random.default_rng(2026)
    lngs = rng.uniform(min_lng, max_lng, 2000)
    lats = rng.uniform(min_lat, max_lat, 2000)
    shapes = grid_shapes()
    border_points = shared_border_points(shapes)
    # Add the border points: the tie-break must agree too.
    lngs = np.concatenate([lngs, [point.x for point, _a, _b in border_points]])
    lats = np.concatenate([lats, [point.y for point, _a, _b in border_points]])

    many = index.locate_many(lngs, lats)

    one_by_one = [index.locate(lng, lat) for lng, lat in zip(lngs, lats, strict=True)]
    assert many.tolist() == [-1 if grid_id is None else grid_id for grid_id in one_by_one]
    inside = int((many >= 0).sum())
    # The bounding box is larger than the subdistrict: some points fall outside, most inside.
    assert 1000 < inside < 2000 + len(border_points)
    assert len(set(many.tolist()) - {-1}) == 35


def test_the_index_is_built_once_and_rebuilt_after_a_grid_update_commits(
    wenyan_demo, django_capture_on_commit_callbacks
):
    grid = Grid.objects.get(code="330109012001001")
    point = shape(grid.boundary).buffer(-0.0002).representative_point()
    before = grid_index()
    assert code_at(point.x, point.y) == "330109012001001"
    # Far from the point: a small square in the south of the subdistrict.
    elsewhere = {
        "type": "Polygon",
        "coordinates": [
            [
                [120.210, 30.100],
                [120.211, 30.100],
                [120.211, 30.101],
                [120.210, 30.101],
                [120.210, 30.100],
            ]
        ],
    }

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        grid_update(actor=SYSTEM, grid=grid, boundary=elsewhere)
        # Not yet committed: the index in use is still the one built before.
        assert grid_index() is before
        assert code_at(point.x, point.y) == "330109012001001"

    # The index's rebuild, besides the audit entry's announcement to the sealer.
    names = [getattr(callback, "func", callback).__name__ for callback in callbacks]
    assert names == ["_announced", "grids_changed"]
    rebuilt = grid_index()
    assert rebuilt is not before
    assert rebuilt.version > before.version
    assert code_at(point.x, point.y) is None
    assert code_at(120.2105, 30.1005) == "330109012001001"


def test_the_index_is_rebuilt_after_a_grid_is_created(
    wenyan_demo, django_capture_on_commit_callbacks
):
    community = Community.objects.get(code="330109012001")
    # South-east of the subdistrict's outline, where no grid is yet.
    point = Point(120.245, 30.095)
    assert code_at(point.x, point.y) is None

    with django_capture_on_commit_callbacks(execute=True):
        grid_create(
            actor=SYSTEM,
            community=community,
            name="新网格",
            code="330109012001099",
            boundary=shapely.geometry.mapping(point.buffer(0.0005)),
        )

    assert code_at(point.x, point.y) == "330109012001099"
