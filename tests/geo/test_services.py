"""Writing the geography: GeoJSON export → import, creating grids, and all-or-nothing imports."""

import copy
from typing import Any

import pytest
from shapely.geometry import shape

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Forbidden, InvalidInput
from jiedao.geo.lookup import grid_index
from jiedao.geo.models import Grid, Subdistrict
from jiedao.geo.selectors import grids_feature_collection
from jiedao.geo.services import grid_update, grids_import_geojson
from tests.geo.grid_files import feature as grid_feature
from tests.geo.grid_files import split_file, split_grid

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [
            [120.2100, 30.1000],
            [120.2110, 30.1000],
            [120.2110, 30.1010],
            [120.2100, 30.1010],
            [120.2100, 30.1000],
        ]
    ],
}
# The two diagonals of a square: a ring that crosses itself.
BOWTIE = {
    "type": "Polygon",
    "coordinates": [
        [
            [120.2100, 30.1000],
            [120.2110, 30.1010],
            [120.2110, 30.1000],
            [120.2100, 30.1010],
            [120.2100, 30.1000],
        ]
    ],
}


def wenyan(wenyan_demo: Any) -> Subdistrict:
    return Subdistrict.objects.get(code="330109012")


def grid_rows() -> list[tuple]:
    return list(
        Grid.objects.order_by("code").values_list(
            "code", "name", "community__code", "boundary", "is_synthetic", "updated_at"
        )
    )


def feature(code: str, name: str, geometry: Any = SQUARE) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry, "properties": {"code": code, "name": name}}


def test_export_then_import_changes_nothing(wenyan_demo, users):
    admin = users["administrator"]
    exported = grids_feature_collection(user=admin)
    rows_before = grid_rows()
    entries_before = AuditEntry.objects.count()

    result = grids_import_geojson(actor=admin, subdistrict=admin.subdistrict, data=exported)

    # Every grid is already as the file says: not saved (same modification time), not audited.
    assert result == {"created": 0, "updated": 0}
    assert grid_rows() == rows_before
    assert AuditEntry.objects.count() == entries_before


def test_the_export_is_the_import_format(wenyan_demo, users):
    exported = grids_feature_collection(user=users["administrator"])

    first = exported["features"][0]
    assert exported["type"] == "FeatureCollection"
    assert len(exported["features"]) == 35
    assert first["properties"] == {
        "code": "330109012001001",
        "name": "三江社区第1网格",
        "community_code": "330109012001",
        "community_name": "三江社区",
        "synthetic": True,
    }
    assert first["id"] == "330109012001001"
    assert first["geometry"] == Grid.objects.get(code="330109012001001").boundary


def test_import_creates_new_grids_and_updates_existing_ones(
    wenyan_demo, users, django_capture_on_commit_callbacks
):
    admin = users["administrator"]
    data = split_file("330109012001001", "330109012001007", "三江社区第7网格")
    data["features"][0]["properties"]["name"] = "三江社区第1网格（调整）"
    kept, carved = data["features"][0]["geometry"], data["features"][1]["geometry"]
    entries_before = AuditEntry.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        result = grids_import_geojson(actor=admin, subdistrict=admin.subdistrict, data=data)

    assert result == {"created": 1, "updated": 1}
    assert Grid.objects.count() == 36
    created = Grid.objects.get(code="330109012001007")
    assert (created.name, created.community.code, created.boundary, created.is_synthetic) == (
        "三江社区第7网格",
        "330109012001",
        carved,
        False,
    )
    updated = Grid.objects.get(code="330109012001001")
    assert (updated.name, updated.boundary) == ("三江社区第1网格（调整）", kept)
    actions = list(
        AuditEntry.objects.filter(id__gt=0)
        .order_by("id")
        .values_list("action", "target_id")[entries_before:]
    )
    assert actions == [
        ("geo.grid.update", str(updated.pk)),
        ("geo.grid.create", str(created.pk)),
    ]
    # The point-in-grid index learns of the new grid once the import has committed.
    point = shape(carved).representative_point()
    assert grid_index().locate(point.x, point.y) == created.pk


def test_import_names_every_grid_a_boundary_overlaps_and_stores_nothing(wenyan_demo, users):
    admin = users["administrator"]
    _kept, carved = split_grid("330109012001001")
    whole = Grid.objects.get(code="330109012001001").boundary
    data = {
        "type": "FeatureCollection",
        "features": [
            grid_feature("330109012001007", "三江社区第7网格", carved),
            grid_feature("330109012002099", "江澜社区新网格", whole),
        ],
    }
    rows_before = grid_rows()
    entries_before = AuditEntry.objects.count()

    with pytest.raises(InvalidInput) as raised:
        grids_import_geojson(actor=admin, subdistrict=admin.subdistrict, data=data)

    errors = raised.value.extra["errors"]
    assert list(errors) == ["features[0].geometry", "features[1].geometry"]
    assert errors["features[0].geometry"].startswith(
        "The boundary overlaps grid “三江社区第1网格” (330109012001001) by about "
    )
    assert errors["features[1].geometry"].startswith(
        "The boundary reaches outside its community or village “江澜社区” (about "
    )
    assert "“三江社区第1网格” (330109012001001)" in errors["features[1].geometry"]
    assert "“三江社区第7网格” (330109012001007)" not in errors["features[0].geometry"]
    assert grid_rows() == rows_before
    assert AuditEntry.objects.count() == entries_before


def three_features() -> list[dict[str, Any]]:
    return [
        feature("330109012001001", "改名一"),
        feature("330109012001099", "新网格"),
        feature("330109012002001", "改名三"),
    ]


def with_third(**changes: Any) -> dict[str, Any]:
    features = three_features()
    features[2] = {**features[2], **changes}
    return {"type": "FeatureCollection", "features": features}


def with_third_properties(**changes: Any) -> dict[str, Any]:
    features = three_features()
    features[2] = copy.deepcopy(features[2])
    features[2]["properties"].update(changes)
    return {"type": "FeatureCollection", "features": features}


@pytest.mark.parametrize(
    ("data", "code", "field", "message"),
    [
        pytest.param(
            with_third(geometry={"type": "Polygon", "coordinates": [[120.21, 30.10]]}),
            "bad_geometry",
            "features[2].geometry",
            "The boundary's coordinates are malformed: a polygon is a list of rings, each a "
            "closed list of [longitude, latitude] pairs.",
            id="malformed-coordinates",
        ),
        pytest.param(
            with_third(geometry={"type": "Polygon", "coordinates": "120.21,30.10"}),
            "bad_geometry",
            "features[2].geometry",
            "The boundary's coordinates are malformed: a polygon is a list of rings, each a "
            "closed list of [longitude, latitude] pairs.",
            id="coordinates-not-a-list",
        ),
        pytest.param(
            with_third(geometry=BOWTIE),
            "bad_geometry",
            "features[2].geometry",
            "The boundary is not a valid polygon: Self-intersection[120.2105 30.1005].",
            id="self-intersecting",
        ),
        pytest.param(
            with_third(geometry={"type": "Point", "coordinates": [120.21, 30.10]}),
            "bad_geometry",
            "features[2].geometry",
            "The boundary must be a GeoJSON Polygon or MultiPolygon, not Point.",
            id="point-geometry",
        ),
        pytest.param(
            with_third(geometry=None),
            "bad_geometry",
            "features[2].geometry",
            "The boundary must be a GeoJSON Polygon or MultiPolygon, not NoneType.",
            id="no-geometry",
        ),
        pytest.param(
            with_third(
                geometry={
                    "type": "Polygon",
                    "coordinates": [
                        [[30.10, 120.21], [30.11, 120.21], [30.11, 120.22], [30.10, 120.21]]
                    ],
                }
            ),
            "out_of_range",
            "features[2].geometry",
            "The boundary has coordinates out of range; GeoJSON order is [longitude, latitude].",
            id="latitude-longitude-swapped",
        ),
        pytest.param(
            with_third_properties(code="33010901200200A"),
            "bad_code",
            "features[2].properties.code",
            "“33010901200200A” is not a grid code: it must be exactly 15 digits.",
            id="bad-code",
        ),
        pytest.param(
            with_third_properties(code="330109012002000"),
            "bad_code",
            "features[2].properties.code",
            "“330109012002000” has 000 at digits 13–15; sequence numbers start at 001.",
            id="000-sequence",
        ),
        pytest.param(
            with_third_properties(code=None),
            "bad_code",
            "features[2].properties.code",
            "“” is not a grid code: it must be exactly 15 digits.",
            id="missing-code",
        ),
        pytest.param(
            with_third_properties(code="330109012099001"),
            "unknown_community",
            "features[2].properties.code",
            "features[2]: no community of 闻堰街道 has code 330109012099.",
            id="unknown-community",
        ),
        pytest.param(
            with_third_properties(code="330109013001001"),
            "unknown_community",
            "features[2].properties.code",
            "features[2]: no community of 闻堰街道 has code 330109013001.",
            id="other-subdistrict",
        ),
        pytest.param(
            with_third_properties(code="330109012001001"),
            "duplicate",
            "features[2].properties.code",
            "Grid code 330109012001001 appears twice.",
            id="duplicate-code",
        ),
        pytest.param(
            with_third_properties(name="  "),
            "required",
            "features[2].properties.name",
            "name is required.",
            id="blank-name",
        ),
        pytest.param(
            with_third_properties(name="网" * 101),
            "too_long",
            "features[2].properties.name",
            "name is too long: at most 100 characters.",
            id="name-too-long",
        ),
        pytest.param(
            with_third(properties=["330109012002001"]),
            "bad_geojson",
            "features[2].properties",
            "features[2]: properties must be an object with code and name.",
            id="properties-not-an-object",
        ),
        pytest.param(
            with_third(type="Polygon"),
            "bad_geojson",
            "features[2]",
            "features[2] is not a GeoJSON Feature.",
            id="not-a-feature",
        ),
        pytest.param(
            {"type": "FeatureCollection", "features": [*three_features()[:2], "330109012002001"]},
            "bad_geojson",
            "features[2]",
            "features[2] is not a GeoJSON Feature.",
            id="feature-is-a-string",
        ),
    ],
)
def test_a_bad_third_feature_rejects_the_whole_file_and_stores_nothing(
    wenyan_demo, users, data, code, field, message
):
    admin = users["administrator"]
    rows_before = grid_rows()
    entries_before = AuditEntry.objects.count()

    with pytest.raises(InvalidInput) as error:
        grids_import_geojson(actor=admin, subdistrict=admin.subdistrict, data=data)

    assert (error.value.code, error.value.field, str(error.value.message)) == (code, field, message)
    assert grid_rows() == rows_before
    assert AuditEntry.objects.count() == entries_before


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"type": "Feature", "features": three_features()},
            "type",
            "Expected a GeoJSON FeatureCollection.",
        ),
        (three_features(), "type", "Expected a GeoJSON FeatureCollection."),
        ("FeatureCollection", "type", "Expected a GeoJSON FeatureCollection."),
        (
            {"type": "FeatureCollection", "features": []},
            "features",
            "The FeatureCollection has no features.",
        ),
        ({"type": "FeatureCollection"}, "features", "The FeatureCollection has no features."),
        (
            {"type": "FeatureCollection", "features": {"0": three_features()[0]}},
            "features",
            "The FeatureCollection has no features.",
        ),
    ],
)
def test_a_file_that_is_not_a_feature_collection_is_refused(
    wenyan_demo, users, data, field, message
):
    admin = users["administrator"]
    rows_before = grid_rows()
    entries_before = AuditEntry.objects.count()

    with pytest.raises(InvalidInput) as error:
        grids_import_geojson(actor=admin, subdistrict=admin.subdistrict, data=data)

    assert (error.value.code, error.value.field, str(error.value.message)) == (
        "bad_geojson",
        field,
        message,
    )
    assert grid_rows() == rows_before
    assert AuditEntry.objects.count() == entries_before


@pytest.mark.parametrize(
    "role", ["grid_worker", "grid_lead", "dispatcher", "supervisor", "resident"]
)
def test_only_administrators_may_import(wenyan_demo, users, role):
    user = users[role]
    rows_before = grid_rows()
    entries_before = AuditEntry.objects.count()

    with pytest.raises(Forbidden):
        grids_import_geojson(
            actor=user,
            subdistrict=Subdistrict.objects.get(code="330109012"),
            data={"type": "FeatureCollection", "features": three_features()},
        )

    assert grid_rows() == rows_before
    assert AuditEntry.objects.count() == entries_before


def test_grid_update_refuses_a_bad_boundary_and_keeps_the_old_one(wenyan_demo):
    grid = Grid.objects.get(code="330109012001001")
    boundary_before = grid.boundary
    entries_before = AuditEntry.objects.count()

    with pytest.raises(InvalidInput) as error:
        grid_update(actor=SYSTEM, grid=grid, boundary=BOWTIE)

    assert (error.value.code, error.value.field) == ("bad_geometry", "boundary")
    assert Grid.objects.get(code="330109012001001").boundary == boundary_before
    assert AuditEntry.objects.count() == entries_before


def test_grid_update_without_changes_writes_nothing(wenyan_demo):
    grid = Grid.objects.get(code="330109012001001")
    entries_before = AuditEntry.objects.count()

    grid_update(actor=SYSTEM, grid=grid)

    assert AuditEntry.objects.count() == entries_before
