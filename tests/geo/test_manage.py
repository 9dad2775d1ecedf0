"""Administration of places: the grid upload with its preview and confirmation, renaming and
retiring communities, grids and departments, the duty matrix — and the done-when of the
administration: the administrator adds a grid and a grid worker for it, who signs in and reports
an event that lands in the new grid."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from shapely.geometry import shape

from jiedao.accounts.models import User
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Forbidden, InvalidInput
from jiedao.events.models import Category, DutyAssignment, Event
from jiedao.events.routing import route_propose
from jiedao.events.services import DutyCell, duty_matrix_save
from jiedao.geo import selectors, services
from jiedao.geo.lookup import grid_index
from jiedao.geo.models import Community, Department, Grid
from jiedao.web import cards
from tests.events.conftest import png
from tests.geo.grid_files import split_file
from tests.roles import ALL_ROLES

pytestmark = pytest.mark.django_db

SPLIT = ("330109012003001", "330109012003009", "南岸社区新建网格")


def upload(data: dict[str, Any]) -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "grids.geojson", json.dumps(data).encode(), content_type="application/geo+json"
    )


def state() -> tuple[list[tuple], int]:
    rows = list(Grid.objects.order_by("code").values_list("code", "name", "boundary", "is_active"))
    return rows, AuditEntry.objects.count()


def test_the_administrator_adds_a_grid_and_its_worker_who_reports_in_it(
    users, client_for, django_capture_on_commit_callbacks
):
    admin = client_for("administrator")
    data = split_file(*SPLIT)
    before = state()

    # Upload: the preview shows the new boundary over the existing ones and writes nothing.
    preview = admin.post(reverse("geo_manage:grids_import"), {"file": upload(data)})
    assert preview.status_code == 200
    assert [(plan.fields["code"], plan.change) for plan in preview.context["planned"]] == [
        ("330109012003001", "changed"),
        ("330109012003009", "new"),
    ]
    page = preview.content.decode()
    assert 'id="preview-uploaded"' in page
    assert "南岸社区新建网格" in page
    assert state() == before

    # Confirm: the same file, checked again, is saved; the lookup learns of the new grid.
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = admin.post(
            reverse("geo_manage:grids_import_confirm"),
            {"geojson": preview.context["confirm"].initial["geojson"]},
        )
    assert confirmed.status_code == 302
    grid = Grid.objects.get(code="330109012003009")
    assert (grid.name, grid.community.code, grid.is_active) == (
        "南岸社区新建网格",
        "330109012003",
        True,
    )

    # A grid worker for it, with a one-time password shown once.
    created = admin.post(
        reverse("accounts_manage:user_create"),
        {
            "username": "xinwangge",
            "full_name": "新网格员",
            "phone": "",
            "role": "grid_worker",
            "scope": f"grid:{grid.pk}",
        },
    )
    password = created.context["password"]
    assert User.objects.get(username="xinwangge").grid_id == grid.pk

    # The worker signs in and reports a point inside the new grid: it lands there.
    worker = Client()
    signed_in = worker.post(
        reverse("accounts:login"), {"username": "xinwangge", "password": password}
    )
    assert signed_in.status_code == 302
    point = shape(data["features"][1]["geometry"]).representative_point()
    reported = worker.post(
        "/events/report/",
        {
            "category": "E0101",
            "description": "新网格内垃圾堆积",
            "lat": f"{point.y:.7f}",
            "lng": f"{point.x:.7f}",
            "address": "江南路8号",
            "urgency": "normal",
            "client_uuid": "6d1c2a56-0d0e-4f44-9d55-3f0c4a7e0909",
            "photos": png(),
        },
    )
    assert reported.status_code == 302
    event = Event.objects.get(description="新网格内垃圾堆积")
    assert (event.grid_id, event.community_id, event.reported_by.username) == (
        grid.pk,
        grid.community_id,
        "xinwangge",
    )


def test_a_bad_upload_names_each_feature_and_saves_nothing(users, client_for):
    admin = client_for("administrator")
    data = split_file(*SPLIT)
    data["features"][0]["properties"]["name"] = ""  # the carved grid overlaps the whole one now
    data["features"][1]["properties"]["code"] = "330109012099001"
    before = state()

    response = admin.post(reverse("geo_manage:grids_import"), {"file": upload(data)})

    assert response.status_code == 200
    lines = response.context["upload_errors"]
    assert len(lines) == 2
    assert lines[0].startswith("第 1 个要素（编码 330109012003001，—）：")
    assert lines[1].startswith("第 2 个要素（编码 330109012099001，南岸社区新建网格）：")
    assert "330109012099" in lines[1]
    assert state() == before


def test_an_overlap_is_named_on_the_page(users, client_for):
    admin = client_for("administrator")
    data = split_file(*SPLIT)
    data["features"] = data["features"][1:]  # the new grid without redrawing the old one
    before = state()

    response = admin.post(reverse("geo_manage:grids_import"), {"file": upload(data)})

    [line] = response.context["upload_errors"]
    assert "与网格“南岸社区第1网格”（330109012003001）重叠约" in line
    assert state() == before


def test_a_retired_grid_takes_no_new_reports_and_keeps_its_events(
    users, django_capture_on_commit_callbacks
):
    admin = users["administrator"]
    grid = Grid.objects.get(code="330109012001001")
    point = shape(grid.boundary).representative_point()
    assert grid_index().locate(point.x, point.y) == grid.pk

    with django_capture_on_commit_callbacks(execute=True):
        services.grid_set_active(actor=admin, grid=grid, active=False)

    grid.refresh_from_db()
    assert grid.is_active is False
    assert grid_index().locate(point.x, point.y) is None
    entry = AuditEntry.objects.filter(action="geo.grid.retire").latest("id")
    assert (entry.before["is_active"], entry.after["is_active"]) == (True, False)
    assert grid.pk not in {g.pk for g in selectors.grid_list(user=admin)}
    assert grid.pk in {g.pk for g in selectors.grid_list(user=admin, include_retired=True)}

    with django_capture_on_commit_callbacks(execute=True):
        services.grid_set_active(actor=admin, grid=grid, active=True)
    assert grid_index().locate(point.x, point.y) == grid.pk


def test_retiring_a_community_retires_its_grids(users):
    admin = users["administrator"]
    community = Community.objects.get(code="330109012002")
    active_grids = list(community.grids.filter(is_active=True).values_list("code", flat=True))

    services.community_set_active(actor=admin, community=community, active=False)

    assert list(community.grids.filter(is_active=True)) == []
    retired = list(
        AuditEntry.objects.filter(action="geo.grid.retire")
        .order_by("id")
        .values_list("target_repr", flat=True)
    )
    assert [text.split("(")[-1].rstrip(")") for text in retired[-len(active_grids) :]] == sorted(
        active_grids
    )
    with pytest.raises(InvalidInput) as raised:
        services.grid_set_active(actor=admin, grid=community.grids.first(), active=True)
    assert raised.value.field == "is_active"


def test_grid_update_reports_name_and_code_at_once(users):
    grid = Grid.objects.get(code="330109012001001")
    with pytest.raises(InvalidInput) as raised:
        services.grid_update(
            actor=users["administrator"], grid=grid, name=" ", code="330109012002001"
        )
    assert set(raised.value.extra["errors"]) == {"name", "code"}
    grid.refresh_from_db()
    assert (grid.name, grid.code) == ("三江社区第1网格", "330109012001001")


def test_the_grid_page_renames_and_renumbers_through_the_service(users, client_for):
    client = client_for("administrator")

    response = client.post(
        reverse("geo_manage:grid", args=["330109012001001"]),
        {"name": "三江社区滨江网格", "code": "330109012001020"},
    )

    assert response.status_code == 302
    grid = Grid.objects.get(code="330109012001020")
    assert grid.name == "三江社区滨江网格"
    entry = AuditEntry.objects.filter(action="geo.grid.update").latest("id")
    assert (entry.before["code"], entry.after["code"]) == ("330109012001001", "330109012001020")


def test_departments_create_edit_retire(users, client_for):
    admin = users["administrator"]
    client = client_for("administrator")

    response = client.post(
        reverse("geo_manage:departments"),
        {"name": "", "code": "Bad Code", "kind": "office", "duties": "", "phone": ""},
    )
    assert {field: list(errors) for field, errors in response.context["form"].errors.items()} == {
        "name": ["名称 为必填项。"],
        "code": ["编码只能由小写字母、数字和连字符组成，例如 city-management。"],
    }
    assert not Department.objects.filter(name="").exists()

    response = client.post(
        reverse("geo_manage:departments"),
        {
            "name": "水务站",
            "code": "water-station",
            "kind": "utility",
            "duties": "供水\n排水",
            "phone": "0571-1",
        },
    )
    assert response.status_code == 302
    water = Department.objects.get(code="water-station")
    assert (water.name, water.kind, water.duty_list, water.subdistrict_id) == (
        "水务站",
        "utility",
        ["供水", "排水"],
        admin.subdistrict_id,
    )
    services.department_update(
        actor=admin, department=water, name="水务服务站", kind="utility", duties="供水", phone=""
    )
    services.department_set_active(actor=admin, department=water, active=False)
    water.refresh_from_db()
    assert (water.name, water.duty_list, water.is_active) == ("水务服务站", ["供水"], False)
    actions = list(
        AuditEntry.objects.filter(target_type="geo.department", target_id=str(water.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["geo.department.create", "geo.department.update", "geo.department.retire"]
    centre = Department.objects.get(code="command-centre")
    with pytest.raises(InvalidInput):
        services.department_set_active(actor=admin, department=centre, active=False)


def test_the_duty_matrix_routes_a_category_in_one_community(users, client_for, wenyan_demo):
    admin = users["administrator"]
    category = Category.objects.get(code="E0101")
    community = Community.objects.get(code="330109012001")
    water = services.department_create(
        actor=admin,
        subdistrict=admin.subdistrict,
        name="水务站",
        code="water-station",
        kind="utility",
    )
    client = client_for("administrator")
    page = client.get(reverse("events_duties:matrix"), {"category": category.parent.code})
    assert page.status_code == 200
    field = f"cell-E0101-{community.code}"
    posted = {cell["name"]: cell["value"] for row in page.context["rows"] for cell in row["cells"]}
    posted[field] = str(water.pk)

    response = client.post(
        f"{reverse('events_duties:matrix')}?category={category.parent.code}", posted
    )

    assert response.status_code == 302
    line = DutyAssignment.objects.get(category=category, community=community, grid=None)
    assert line.department_id == water.pk
    entry = AuditEntry.objects.filter(action="events.dutyassignment.create").latest("id")
    assert entry.after["department"] == water.pk
    event = Event(
        category=category,
        community=community,
        grid=community.grids.first(),
        subdistrict=admin.subdistrict,
    )
    assert route_propose(event) == water

    # Emptying the cell removes the line (audited); the default applies again.
    duty_matrix_save(
        actor=admin, subdistrict=admin.subdistrict, cells={DutyCell(category, community): None}
    )
    assert not DutyAssignment.objects.filter(category=category, community=community).exists()
    assert AuditEntry.objects.filter(action="events.dutyassignment.delete").exists()


@pytest.mark.parametrize("role", [role for role in ALL_ROLES if role != "administrator"])
def test_only_administrators_manage_places(users, role):
    actor = users[role]
    grid = Grid.objects.get(code="330109012001001")
    department = Department.objects.get(code="city-management")
    category = Category.objects.get(code="E0101")
    before = state()

    for call in (
        lambda: services.grid_update(actor=actor, grid=grid, name="改名"),
        lambda: services.grid_set_active(actor=actor, grid=grid, active=False),
        lambda: services.community_update(actor=actor, community=grid.community, name="改名"),
        lambda: services.community_set_active(actor=actor, community=grid.community, active=False),
        lambda: services.department_set_active(actor=actor, department=department, active=False),
        lambda: services.grids_import_plan(
            actor=actor, subdistrict=grid.community.subdistrict, data=split_file(*SPLIT)
        ),
        lambda: duty_matrix_save(
            actor=actor,
            subdistrict=grid.community.subdistrict,
            cells={DutyCell(category, None): department},
        ),
    ):
        with pytest.raises(Forbidden):
            call()

    client = Client()
    client.force_login(actor)
    for url in (
        reverse("geo_manage:places"),
        reverse("geo_manage:grids_import"),
        reverse("geo_manage:departments"),
        reverse("events_duties:matrix"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("geo_manage:grid_set_active", args=[grid.code])).status_code == 403
    assert state() == before
    department.refresh_from_db()
    assert department.is_active is True


def test_the_places_list_runs_a_constant_number_of_statements(
    users, client_for, django_assert_max_num_queries
):
    client = client_for("administrator")
    client.get(reverse("geo_manage:places"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("geo_manage:places"))
    assert [c.code for c in response.context["communities"]][:2] == [
        "330109012001",
        "330109012002",
    ]


def test_the_admin_retires_a_grid_through_the_service(users, client_for):
    client = client_for("administrator")
    grid = Grid.objects.get(code="330109012001002")

    listing = client.get("/admin/geo/grid/")
    response = client.post(
        "/admin/geo/grid/", {"action": "retire", "_selected_action": [str(grid.pk)]}
    )

    assert listing.status_code == 200
    assert "撤销所选网格" in listing.content.decode()
    assert response.status_code == 302
    grid.refresh_from_db()
    assert grid.is_active is False
    entry = AuditEntry.objects.filter(action="geo.grid.retire").latest("id")
    assert (entry.actor_id, entry.target_id) == (users["administrator"].pk, str(grid.pk))
    assert client.get(f"/admin/geo/grid/{grid.pk}/change/").status_code == 200
    assert client.post(f"/admin/geo/grid/{grid.pk}/change/", {"name": "x"}).status_code == 403


def test_every_administration_page_renders_in_chinese(users, client_for):
    client = client_for("administrator")
    department = Department.objects.get(code="city-management")
    pages = {
        reverse("geo_manage:places"): "社区和网格",
        reverse("geo_manage:community", args=["330109012001"]): "三江社区",
        reverse("geo_manage:grid", args=["330109012001001"]): "撤销网格",
        reverse("geo_manage:grids_import"): "在地图上预览",
        reverse("geo_manage:departments"): "新建部门",
        reverse("geo_manage:department", args=[department.pk]): "撤销部门",
        reverse("events_duties:matrix"): "保存职责清单",
        reverse("accounts_manage:users"): "新建用户",
        reverse("accounts_manage:user", args=[users["grid_worker"].pk]): "重置密码",
        reverse("accounts_manage:user_create"): "创建账户",
    }
    for url, text in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert text in response.content.decode(), url
    # The navigation links the two sections; the home cards lead to all four pages.
    home = client.get("/").content.decode()
    for url in (reverse("accounts_manage:users"), reverse("geo_manage:places")):
        assert f'href="{url}"' in home, url
    manage_urls = {
        reverse("accounts_manage:users"),
        reverse("geo_manage:places"),
        reverse("geo_manage:departments"),
        reverse("events_duties:matrix"),
    }
    assert manage_urls <= {card.url for card in cards.cards_for(users["administrator"])}
    for role in ALL_ROLES:
        if role != "administrator":
            assert not manage_urls & {card.url for card in cards.cards_for(users[role])}, role
    download = client.get(reverse("geo_manage:grids_geojson"))
    assert len(json.loads(download.content)["features"]) == 35


def test_the_page_and_the_api_give_the_same_errors_for_a_file(users, client_for):
    client = client_for("administrator")
    data = split_file(*SPLIT)
    data["features"] = data["features"][1:]

    api = client.post("/api/geo/grids/import", json.dumps(data), content_type="application/json")
    page = client.post(reverse("geo_manage:grids_import"), {"file": upload(data)})

    assert api.status_code == 422
    [(field, message)] = api.json()["error"]["extra"]["errors"].items()
    assert field == "features[0].geometry"
    assert page.context["upload_errors"] == [
        f"第 1 个要素（编码 330109012003009，南岸社区新建网格）：{message}"
    ]


def test_a_file_that_is_not_json_is_refused_beside_the_field(users, client_for):
    client = client_for("administrator")
    before = state()

    response = client.post(
        reverse("geo_manage:grids_import"),
        {"file": SimpleUploadedFile("grids.geojson", b"\xff\xfe not json")},
    )

    assert response.context["form"].errors["file"] == ["文件不是 GeoJSON：无法按 UTF-8 JSON 读取。"]
    assert "GeoJSON 文件：文件不是 GeoJSON" in response.content.decode()
    assert state() == before
