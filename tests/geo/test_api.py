"""The geography API, endpoint by endpoint and role by role, plus the OpenAPI document."""

import json
from typing import Any

import pytest
from django.test import Client
from shapely.geometry import Point, shape

from jiedao.audit.models import AuditEntry
from jiedao.core.coordinates import CRS, from_wgs84
from jiedao.geo.models import Grid
from tests.geo.grid_files import split_file
from tests.roles import ALL_ROLES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


GRIDS_PER_COMMUNITY = {"001": 6, "002": 6, "003": 5, "004": 5, "005": 5, "006": 4, "007": 4}
ALL_GRIDS = [
    f"330109012{community}{number:03d}"
    for community, count in GRIDS_PER_COMMUNITY.items()
    for number in range(1, count + 1)
]
SANJIANG_GRIDS = [code for code in ALL_GRIDS if code.startswith("330109012001")]
ALL_COMMUNITIES = [f"330109012{community}" for community in GRIDS_PER_COMMUNITY]

# Which grids each role sees. Grid workers see their grid; the community lead and the social
# organisation (both scoped to 三江社区 in the demo) see that community; the rest the subdistrict.
VISIBLE_GRIDS: dict[str, list[str] | None] = {
    "resident": None,
    "grid_worker": ["330109012001001"],
    "grid_lead": SANJIANG_GRIDS,
    "dispatcher": ALL_GRIDS,
    "department_handler": ALL_GRIDS,
    "enforcement_officer": ALL_GRIDS,
    "supervisor": ALL_GRIDS,
    "social_organisation": SANJIANG_GRIDS,
    "administrator": ALL_GRIDS,
}
VISIBLE_COMMUNITIES: dict[str, list[str] | None] = {
    role: None if grids is None else sorted({code[:12] for code in grids})
    for role, grids in VISIBLE_GRIDS.items()
}

FORBIDDEN_BODY = {
    "error": {
        "code": "forbidden",
        "message": "Your role (Resident) may not do this.",
        "field": None,
        "extra": {},
    }
}
UNAUTHENTICATED_BODY = {
    "error": {
        "code": "unauthenticated",
        "message": "Sign in, or send a valid token as “Authorization: Bearer <token>”.",
        "field": None,
        "extra": {},
    }
}
NOT_FOUND_BODY = {
    "error": {
        "code": "not_found",
        "message": "Not found, or outside your scope.",
        "field": None,
        "extra": {},
    }
}


def inside(code: str) -> tuple[float, float]:
    """(lat, lng) of a point well inside the grid ``code``."""
    point = shape(Grid.objects.get(code=code).boundary).buffer(-0.0002).representative_point()
    return point.y, point.x


def assert_refused(response: Any, role: str) -> None:
    if role == "resident":
        assert response.status_code == 403
        assert response.json() == FORBIDDEN_BODY
    else:
        raise AssertionError(role)


# --- /api/geo/communities -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_communities_per_role(client_for, role):
    response = client_for(role).get("/api/geo/communities")

    expected = VISIBLE_COMMUNITIES[role]
    if expected is None:
        assert_refused(response, role)
        return
    assert response.status_code == 200
    body = response.json()
    assert [community["code"] for community in body] == expected
    assert body[0] == {
        "code": "330109012001",
        "name": "三江社区",
        "kind": "community",
        "grid_count": 6,
        "is_synthetic": True,
    }


def test_communities_list_every_community_with_its_grid_count(client_for):
    body = client_for("administrator").get("/api/geo/communities").json()

    assert [(c["name"], c["kind"], c["grid_count"]) for c in body] == [
        ("三江社区", "community", 6),
        ("江澜社区", "community", 6),
        ("南岸社区", "community", 5),
        ("湘湖人家社区", "community", 5),
        ("长安村", "village", 5),
        ("黄山村", "village", 4),
        ("山河村", "village", 4),
    ]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_communities_geojson_per_role(client_for, role):
    response = client_for(role).get("/api/geo/communities/geojson")

    expected = VISIBLE_COMMUNITIES[role]
    if expected is None:
        assert_refused(response, role)
        return
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert [feature["id"] for feature in body["features"]] == expected
    assert body["features"][0]["properties"] == {
        "code": "330109012001",
        "name": "三江社区",
        "kind": "community",
        "synthetic": True,
    }
    assert body["features"][0]["geometry"]["type"] == "Polygon"


# --- /api/geo/departments -----------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_departments_per_role(client_for, role):
    response = client_for(role).get("/api/geo/departments")

    if role == "resident":
        assert_refused(response, role)
        return
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 11
    enforcement = next(d for d in body if d["code"] == "enforcement")
    assert enforcement == {
        "code": "enforcement",
        "name": "综合行政执法队",
        "kind": "enforcement",
        "duties": [
            "市容环境、占道经营、违章搭建执法",
            "综合查一次联合检查",
            "行政处罚立案、调查、决定、执行",
        ],
    }


# --- /api/geo/grids -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_grids_per_role(client_for, role):
    response = client_for(role).get("/api/geo/grids")

    expected = VISIBLE_GRIDS[role]
    if expected is None:
        assert_refused(response, role)
        return
    assert response.status_code == 200
    assert [grid["code"] for grid in response.json()] == expected


def test_grids_can_be_filtered_by_community(client_for):
    response = client_for("dispatcher").get("/api/geo/grids", {"community": "330109012007"})

    assert response.status_code == 200
    assert response.json() == [
        {
            "code": f"330109012007{number:03d}",
            "name": f"山河村第{number}网格",
            "community_code": "330109012007",
            "community_name": "山河村",
            "is_synthetic": True,
        }
        for number in range(1, 5)
    ]


def test_filtering_by_a_community_outside_the_scope_gives_nothing(client_for):
    response = client_for("grid_lead").get("/api/geo/grids", {"community": "330109012007"})

    assert response.status_code == 200
    assert response.json() == []


def test_grid_list_queries_do_not_grow_with_the_number_of_grids(
    client_for, django_assert_num_queries
):
    client = client_for("administrator")

    # Session, user, grids with their communities; then the idle-timeout session refresh
    # (savepoint, update, release).
    with django_assert_num_queries(6):
        response = client.get("/api/geo/grids")

    assert len(response.json()) == 35


@pytest.mark.parametrize("role", ALL_ROLES)
def test_grids_geojson_per_role(client_for, role):
    response = client_for(role).get("/api/geo/grids/geojson")

    expected = VISIBLE_GRIDS[role]
    if expected is None:
        assert_refused(response, role)
        return
    assert response.status_code == 200
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert [feature["properties"]["code"] for feature in body["features"]] == expected
    first = body["features"][0]
    assert first["geometry"] == Grid.objects.get(code=first["id"]).boundary


# --- /api/geo/grids/{code} ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_grid_detail_per_role(client_for, role):
    client = client_for(role)

    own = client.get("/api/geo/grids/330109012001001")
    other = client.get("/api/geo/grids/330109012007004")
    missing = client.get("/api/geo/grids/330109012007099")

    expected = VISIBLE_GRIDS[role]
    if expected is None:
        for response in (own, other, missing):
            assert_refused(response, role)
        return
    assert own.status_code == 200
    assert own.json() == {
        "code": "330109012001001",
        "name": "三江社区第1网格",
        "community_code": "330109012001",
        "community_name": "三江社区",
        "is_synthetic": True,
        "boundary": Grid.objects.get(code="330109012001001").boundary,
        "subdistrict_name": "闻堰街道",
    }
    if "330109012007004" in expected:
        assert other.status_code == 200
        assert other.json()["name"] == "山河村第4网格"
    else:
        # Out of scope looks exactly like missing: the scope cannot be probed.
        assert other.status_code == 404
        assert other.content == missing.content
    assert missing.status_code == 404
    assert missing.json() == NOT_FOUND_BODY


# --- /api/geo/grids/locate ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_locate_per_role(client_for, role):
    client = client_for(role)
    lat, lng = inside("330109012001001")
    far_lat, far_lng = inside("330109012007004")

    own = client.get("/api/geo/grids/locate", {"lat": lat, "lng": lng})
    other = client.get("/api/geo/grids/locate", {"lat": far_lat, "lng": far_lng})

    expected = VISIBLE_GRIDS[role]
    if expected is None:
        assert_refused(own, role)
        assert_refused(other, role)
        return
    assert own.status_code == 200
    assert own.json() == {
        "grid": {
            "code": "330109012001001",
            "name": "三江社区第1网格",
            "community_code": "330109012001",
            "community_name": "三江社区",
            "is_synthetic": True,
        },
        "wgs84_lat": lat,
        "wgs84_lng": lng,
    }
    if "330109012007004" in expected:
        assert other.status_code == 200
        assert other.json()["grid"]["code"] == "330109012007004"
    else:
        assert other.status_code == 404
        assert other.json() == NOT_FOUND_BODY


@pytest.mark.parametrize("crs", [CRS.GCJ02, CRS.BD09])
def test_locate_converts_amap_and_baidu_points_to_wgs84(client_for, crs):
    lat, lng = inside("330109012003002")
    phone = from_wgs84(lat, lng, crs)

    response = client_for("dispatcher").get(
        "/api/geo/grids/locate", {"lat": phone.lat, "lng": phone.lng, "crs": crs.value}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["grid"]["code"] == "330109012003002"
    assert body["wgs84_lat"] == pytest.approx(lat, abs=1e-7)
    assert body["wgs84_lng"] == pytest.approx(lng, abs=1e-7)


def test_locate_without_conversion_misplaces_an_amap_point(client_for):
    # The same GCJ-02 numbers read as WGS-84 land ~500 m away: for a small grid, in another one.
    shapes = {grid.code: shape(grid.boundary) for grid in Grid.objects.all()}
    lat, lng, code = next(
        (lat, lng, code)
        for code in shapes
        for lat, lng in [inside(code)]
        for phone in [from_wgs84(lat, lng, CRS.GCJ02)]
        if not shapes[code].covers(Point(phone.lng, phone.lat))
        and any(shape.covers(Point(phone.lng, phone.lat)) for shape in shapes.values())
    )
    phone = from_wgs84(lat, lng, CRS.GCJ02)
    client = client_for("dispatcher")

    as_wgs84 = client.get("/api/geo/grids/locate", {"lat": phone.lat, "lng": phone.lng})
    as_gcj02 = client.get(
        "/api/geo/grids/locate", {"lat": phone.lat, "lng": phone.lng, "crs": "gcj02"}
    )

    assert as_gcj02.json()["grid"]["code"] == code
    assert as_wgs84.status_code == 200
    assert as_wgs84.json()["grid"]["code"] != code


def test_locate_on_a_shared_border_answers_the_lowest_code(client_for):
    a = shape(Grid.objects.get(code="330109012001001").boundary)
    b = shape(Grid.objects.get(code="330109012001002").boundary)
    (x1, y1), (x2, y2) = list(a.intersection(b).coords)[:2]
    lat, lng = (y1 + y2) / 2, (x1 + x2) / 2

    response = client_for("administrator").get("/api/geo/grids/locate", {"lat": lat, "lng": lng})

    assert response.json()["grid"]["code"] == "330109012001001"


@pytest.mark.parametrize(
    ("query", "code", "field"),
    [
        ({"lat": 95, "lng": 120.21}, "out_of_range", "lat"),
        ({"lat": -91, "lng": 120.21}, "out_of_range", "lat"),
        ({"lat": 30.12, "lng": 200}, "out_of_range", "lng"),
        ({"lat": 30.12, "lng": 120.21, "crs": "foo"}, "unknown_crs", "crs"),
        ({"lat": "abc", "lng": 120.21}, "invalid", "lat"),
        ({"lat": 30.12, "lng": "东经120度"}, "invalid", "lng"),
        ({"lng": 120.21}, "invalid", "lat"),
        ({"lat": 30.12}, "invalid", "lng"),
        ({"lat": "nan", "lng": 120.21}, "out_of_range", "lat"),
        ({"lat": 30.12, "lng": "inf"}, "out_of_range", "lng"),
        ({"lat": 39.915, "lng": 116.404}, "outside_area", "lat"),
        ({"lat": 30.12, "lng": 120.10}, "outside_area", "lat"),
    ],
)
def test_locate_bad_input_is_422_naming_the_field(client_for, query, code, field):
    response = client_for("administrator").get("/api/geo/grids/locate", query)

    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field)
    assert error["message"]


def test_locate_messages_say_what_is_wrong(client_for):
    client = client_for("administrator")

    crs = client.get("/api/geo/grids/locate", {"lat": 30.12, "lng": 120.21, "crs": "foo"})
    lat = client.get("/api/geo/grids/locate", {"lat": 95, "lng": 120.21})
    outside = client.get("/api/geo/grids/locate", {"lat": 39.915, "lng": 116.404})

    assert crs.json()["error"]["message"] == (
        "Unknown coordinate system “foo”: use wgs84, gcj02 or bd09."
    )
    assert lat.json()["error"]["message"] == (
        "Latitude 95.0 is out of range: it must be between -90 and 90."
    )
    assert outside.json()["error"]["message"] == (
        "The point (39.915, 116.404) lies outside every grid of the subdistrict."
    )


# --- POST /api/geo/grids/import -----------------------------------------------------------------

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [
            [120.245, 30.095],
            [120.246, 30.095],
            [120.246, 30.096],
            [120.245, 30.096],
            [120.245, 30.095],
        ]
    ],
}
NEW_GRID_FILE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "geometry": SQUARE,
            "properties": {"code": "330109012005006", "name": "长安村第6网格"},
        }
    ],
}


def state() -> tuple[list[tuple], int]:
    grids = list(
        Grid.objects.order_by("code").values_list("code", "name", "boundary", "updated_at")
    )
    return grids, AuditEntry.objects.count()


def post_json(client: Client, path: str, body: Any, **headers: Any) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(path, data, content_type="application/json", **headers)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_import_per_role(client_for, role):
    before = state()

    data = split_file("330109012005001", "330109012005006", "长安村第6网格")

    response = post_json(client_for(role), "/api/geo/grids/import", data)

    if role == "administrator":
        assert response.status_code == 200
        assert response.json() == {"created": 1, "updated": 1}
        carved = data["features"][1]["geometry"]
        assert Grid.objects.get(code="330109012005006").boundary == carved
        assert AuditEntry.objects.count() == before[1] + 2
        return
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert state() == before


def test_import_round_trips_the_export(client_for):
    client = client_for("administrator")
    exported = client.get("/api/geo/grids/geojson").json()
    grids_before, entries_before = state()

    response = post_json(client, "/api/geo/grids/import", exported)

    # Every grid is already as the file says: nothing is saved, counted or audited.
    assert response.status_code == 200
    assert response.json() == {"created": 0, "updated": 0}
    assert state() == (grids_before, entries_before)


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ('{"type": "FeatureCollection", "features": [', 400, "bad_json", "body"),
        ("not json at all", 400, "bad_json", "body"),
        ("[1, 2, 3]", 422, "invalid", "type"),
        ('{"type": "Feature"}', 422, "invalid", "features"),
        ('{"type": 5, "features": []}', 422, "invalid", "type"),
        ('{"type": "FeatureCollection", "features": {"0": {}}}', 422, "invalid", "features"),
        ('{"type": "Feature", "features": []}', 422, "bad_geojson", "type"),
        ('{"type": "FeatureCollection", "features": []}', 422, "bad_geojson", "features"),
        ('{"type": "FeatureCollection", "features": [1, 2, 3]}', 422, "bad_geojson", "features[0]"),
    ],
)
def test_import_bad_body_is_refused_and_changes_nothing(client_for, body, status, code, field):
    before = state()

    response = post_json(client_for("administrator"), "/api/geo/grids/import", body)

    assert response.status_code == status
    error = response.json()["error"]
    assert (error["code"], error["field"]) == (code, field)
    assert state() == before


def test_import_a_bad_third_feature_names_it_and_changes_nothing(client_for):
    client = client_for("administrator")
    exported = client.get("/api/geo/grids/geojson").json()
    exported["features"][0]["properties"]["name"] = "改过的名字"
    exported["features"][2]["geometry"]["coordinates"] = [[120.21, 30.10]]
    before = state()

    response = post_json(client, "/api/geo/grids/import", exported)

    assert response.status_code == 422
    assert response.json()["error"]["field"] == "features[2].geometry"
    assert response.json()["error"]["code"] == "bad_geometry"
    assert state() == before


def test_anonymous_import_is_401_and_changes_nothing(wenyan_demo):
    before = state()

    response = post_json(Client(), "/api/geo/grids/import", NEW_GRID_FILE)

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_BODY
    assert state() == before


# --- anonymous ----------------------------------------------------------------------------------

GET_PATHS = [
    "/api/geo/communities",
    "/api/geo/communities/geojson",
    "/api/geo/departments",
    "/api/geo/grids",
    "/api/geo/grids/geojson",
    "/api/geo/grids/330109012001001",
    "/api/geo/grids/locate?lat=30.12&lng=120.21",
    "/api/accounts/me",
]


@pytest.mark.parametrize("path", GET_PATHS)
def test_anonymous_requests_are_401(wenyan_demo, path):
    response = Client().get(path)

    assert response.status_code == 401
    assert response.json() == UNAUTHENTICATED_BODY


# --- the OpenAPI document -----------------------------------------------------------------------


def test_openapi_document_lists_the_geo_paths(wenyan_demo):
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {
        "/api/geo/communities",
        "/api/geo/communities/geojson",
        "/api/geo/departments",
        "/api/geo/grids",
        "/api/geo/grids/geojson",
        "/api/geo/grids/locate",
        "/api/geo/grids/import",
        "/api/geo/grids/{code}",
        "/api/accounts/tokens",
        "/api/accounts/me",
    } <= set(paths)
    locate_parameters = {p["name"] for p in paths["/api/geo/grids/locate"]["get"]["parameters"]}
    assert locate_parameters == {"lat", "lng", "crs"}
    assert set(paths["/api/geo/grids/import"]) == {"post"}


def test_docs_page_is_served_without_a_cdn(wenyan_demo):
    response = Client().get("/api/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "cdn.jsdelivr.net" not in page
    assert "unpkg.com" not in page


JUNK = [
    "",
    " ",
    "abc",
    "-1",
    "0",
    "1e309",
    "-1e309",
    "nan",
    "NaN",
    "inf",
    "0x1F",
    "9" * 400,
    "330109012001001",
    "330109012001",
    "' OR 1=1 --",
    "../../etc/passwd",
    "%",
    "%00",
    "\x00",
    "😀",
    "网格",
    "[]",
    "{}",
    "null",
    "true",
    "<script>alert(1)</script>",
]


def get_operations() -> list[Any]:
    """Every GET operation of the served OpenAPI document, one test parameter each."""
    from jiedao.config.api import api

    paths = api.get_openapi_schema()["paths"]
    return [
        pytest.param(path, methods["get"].get("parameters", []), id=path)
        for path, methods in paths.items()
        if "get" in methods
    ]


@pytest.mark.parametrize(("path", "parameters"), get_operations())
def test_every_get_operation_survives_junk_parameters(users, path, parameters):
    """A lightweight fuzz: each documented parameter set to junk, alone and all together, as
    users of several scopes. Whatever the answer, it is never a server error."""
    query = [p["name"] for p in parameters if p["in"] == "query"]
    path_names = [p["name"] for p in parameters if p["in"] == "path"]
    clients = []
    for role in ("administrator", "grid_worker", "resident"):
        client = Client()
        client.force_login(users[role])
        clients.append(client)

    for junk in JUNK:
        url = path
        for name in path_names:
            url = url.replace("{" + name + "}", junk.replace("/", "%2F").replace("?", "%3F") or "x")
        attempts = [{name: junk for name in query}, *({name: junk} for name in query)]
        for client in clients:
            for params in attempts:
                response = client.get(url, params)
                assert response.status_code < 500, (url, params, response.content[:300])


def test_nul_characters_are_refused_naming_the_parameter(client_for):
    client = client_for("administrator")

    in_query = client.get("/api/geo/grids", {"community": "330109012001\x00"})
    in_path = client.get("/api/geo/grids/330109012001001\x00")

    assert in_query.status_code == 422
    assert in_query.json()["error"] == {
        "code": "control_character",
        "message": (
            "“Community” contains a control character (U+0000), which is not allowed. "
            "Remove it and send again."
        ),
        "field": "community",
        "extra": {},
    }
    assert in_path.status_code == 422
    assert in_path.json()["error"]["field"] == "path"


def test_a_junk_community_filter_is_422_naming_it(client_for):
    response = client_for("administrator").get("/api/geo/grids", {"community": "三江"})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "bad_code"
    assert response.json()["error"]["field"] == "community"
