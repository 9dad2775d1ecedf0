"""GCJ-02 and BD-09 ↔ WGS-84, checked against reference points other projects publish."""

import math
import random

import pytest

from jiedao.core.coordinates import CRS, LatLng, from_wgs84, parse_crs, to_wgs84, validate_latlng
from jiedao.core.errors import InvalidInput

pytestmark = pytest.mark.usefixtures("english")

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(a: LatLng, b: LatLng) -> float:
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    d_lat = lat2 - lat1
    d_lng = math.radians(b.lng - a.lng)
    h = math.sin(d_lat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(d_lng / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


# googollee/eviltransform, go/transform_test.go and python/test.py ("wgsLat, wgsLng, gcjLat,
# gcjLng"); its own tests require WGS→GCJ to match and the exact GCJ→WGS to land < 0.5 m away.
EVILTRANSFORM_WGS_GCJ = [
    pytest.param(31.1774276, 121.5272106, 31.17530398364597, 121.531541859215, id="shanghai"),
    pytest.param(22.543847, 113.912316, 22.540796131694766, 113.9171764808363, id="shenzhen"),
    pytest.param(39.911954, 116.377817, 39.91334545536069, 116.38404722455657, id="beijing"),
]

# wandergis/coordtransform README.md, example for (lng 116.404, lat 39.915):
#   wgs84togcj02: [116.41024449916938, 39.91640428150164]
#   gcj02tobd09:  [116.41036949371029, 39.92133699351021]
#   bd09togcj02:  [116.39762729119315, 39.90865673957631]
#   gcj02towgs84: [116.39775550083061, 39.91359571849836]   (one-step approximation)
# athxx/coordtransform-rs src/lib.rs tests, same input:
#   wgs84_to_bd09: (116.41662724378733, 39.922699552216216)
#   bd09_to_wgs84: (116.39138369954496, 39.90725321448524)   (one-step approximation)
BEIJING = LatLng(39.915, 116.404)


@pytest.mark.parametrize(("wgs_lat", "wgs_lng", "gcj_lat", "gcj_lng"), EVILTRANSFORM_WGS_GCJ)
def test_wgs84_to_gcj02_matches_eviltransform(wgs_lat, wgs_lng, gcj_lat, gcj_lng):
    point = from_wgs84(wgs_lat, wgs_lng, CRS.GCJ02)

    assert point.lat == pytest.approx(gcj_lat, abs=1e-9)
    assert point.lng == pytest.approx(gcj_lng, abs=1e-9)


@pytest.mark.parametrize(("wgs_lat", "wgs_lng", "gcj_lat", "gcj_lng"), EVILTRANSFORM_WGS_GCJ)
def test_gcj02_to_wgs84_lands_on_eviltransform_point(wgs_lat, wgs_lng, gcj_lat, gcj_lng):
    point = to_wgs84(gcj_lat, gcj_lng, CRS.GCJ02)

    assert haversine_m(point, LatLng(wgs_lat, wgs_lng)) < 0.01


def test_wgs84_to_gcj02_matches_coordtransform():
    point = from_wgs84(BEIJING.lat, BEIJING.lng, CRS.GCJ02)

    assert point.lat == pytest.approx(39.91640428150164, abs=1e-9)
    assert point.lng == pytest.approx(116.41024449916938, abs=1e-9)


def test_wgs84_to_bd09_matches_coordtransform_rs():
    point = from_wgs84(BEIJING.lat, BEIJING.lng, CRS.BD09)

    assert point.lat == pytest.approx(39.922699552216216, abs=1e-9)
    assert point.lng == pytest.approx(116.41662724378733, abs=1e-9)


def test_gcj02_to_wgs84_inverts_the_published_gcj_point():
    point = to_wgs84(39.91640428150164, 116.41024449916938, CRS.GCJ02)

    assert haversine_m(point, BEIJING) < 0.01


def test_bd09_to_wgs84_inverts_the_published_bd_point():
    point = to_wgs84(39.922699552216216, 116.41662724378733, CRS.BD09)

    assert haversine_m(point, BEIJING) < 0.01


def test_gcj02_to_wgs84_is_within_metres_of_the_published_approximation():
    # The published gcj02towgs84 is the one-step inverse, off by about a metre; ours iterates.
    point = to_wgs84(BEIJING.lat, BEIJING.lng, CRS.GCJ02)

    approximation = LatLng(39.91359571849836, 116.39775550083061)
    assert haversine_m(point, approximation) < 5
    assert haversine_m(from_wgs84(point.lat, point.lng, CRS.GCJ02), BEIJING) < 0.01


def test_bd09_to_wgs84_is_within_metres_of_the_published_approximation():
    point = to_wgs84(BEIJING.lat, BEIJING.lng, CRS.BD09)

    approximation = LatLng(39.90725321448524, 116.39138369954496)
    assert haversine_m(point, approximation) < 5
    assert haversine_m(from_wgs84(point.lat, point.lng, CRS.BD09), BEIJING) < 0.01


def test_gcj02_shift_near_wenyan_is_hundreds_of_metres():
    # Why the conversion matters: an Amap point in Wenyan is ~500 m away from its GPS position.
    wgs = LatLng(30.12, 120.21)

    shift = haversine_m(from_wgs84(wgs.lat, wgs.lng, CRS.GCJ02), wgs)

    assert 400 < shift < 600


@pytest.mark.parametrize("crs", [CRS.GCJ02, CRS.BD09])
def test_round_trip_is_below_half_a_metre_across_china(crs):
    rng = random.Random(20260101)
    for _ in range(500):
        wgs = LatLng(rng.uniform(18.0, 53.0), rng.uniform(74.0, 134.0))

        there = from_wgs84(wgs.lat, wgs.lng, crs)
        back = to_wgs84(there.lat, there.lng, crs)

        assert haversine_m(back, wgs) < 0.5


def test_wgs84_is_returned_unchanged():
    assert to_wgs84(30.12, 120.21, CRS.WGS84) == LatLng(30.12, 120.21)
    assert from_wgs84(30.12, 120.21, CRS.WGS84) == LatLng(30.12, 120.21)


def test_gcj02_outside_china_equals_wgs84_both_ways():
    paris = LatLng(48.8566, 2.3522)

    assert to_wgs84(paris.lat, paris.lng, CRS.GCJ02) == paris
    assert from_wgs84(paris.lat, paris.lng, CRS.GCJ02) == paris


def test_bd09_outside_china_round_trips():
    paris = LatLng(48.8566, 2.3522)

    there = from_wgs84(paris.lat, paris.lng, CRS.BD09)
    back = to_wgs84(there.lat, there.lng, CRS.BD09)

    assert haversine_m(back, paris) < 0.01


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, CRS.WGS84),
        ("", CRS.WGS84),
        ("wgs84", CRS.WGS84),
        ("gcj02", CRS.GCJ02),
        ("GCJ02", CRS.GCJ02),
        ("bd09", CRS.BD09),
    ],
)
def test_parse_crs_accepts_known_systems(value, expected):
    assert parse_crs(value) is expected


@pytest.mark.parametrize("value", ["foo", "epsg:4326", "gcj-02", "wgs 84"])
def test_parse_crs_rejects_unknown_system_naming_the_field(value):
    with pytest.raises(InvalidInput) as error:
        parse_crs(value)

    assert error.value.status == 422
    assert error.value.code == "unknown_crs"
    assert error.value.field == "crs"
    assert str(error.value.message) == (
        f"Unknown coordinate system “{value}”: use wgs84, gcj02 or bd09."
    )


@pytest.mark.parametrize(
    ("lat", "lng", "field"),
    [
        (95, 120.21, "lat"),
        (-90.0001, 120.21, "lat"),
        (30.12, 200, "lng"),
        (30.12, -180.5, "lng"),
    ],
)
def test_out_of_range_coordinates_are_refused_naming_the_field(lat, lng, field):
    for convert in (validate_latlng, lambda a, b: to_wgs84(a, b, CRS.GCJ02)):
        with pytest.raises(InvalidInput) as error:
            convert(lat, lng)

        assert error.value.code == "out_of_range"
        assert error.value.field == field


def test_range_limits_are_inclusive():
    assert validate_latlng(90, 180) == LatLng(90, 180)
    assert validate_latlng(-90, -180) == LatLng(-90, -180)
