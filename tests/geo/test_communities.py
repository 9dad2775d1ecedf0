"""Communities and villages in the product: the administrator creates one on its page (through
``community_create``, audited, every problem beside its field at once) and uploads their
boundaries as GeoJSON with the same preview-then-confirm flow as the grids; every other role is
refused and changes nothing. Pages are in Chinese (the test client sends no Accept-Language)."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from shapely.geometry import box, mapping, shape

from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Forbidden, InvalidInput
from jiedao.geo import selectors, services
from jiedao.geo.models import Community, Subdistrict
from tests.roles import ALL_ROLES

pytestmark = pytest.mark.django_db

# East of 长安村, the easternmost of the demo (it ends at 120.246°): overlaps no community.
EAST = json.loads(json.dumps(mapping(box(120.250, 30.095, 120.260, 30.105))))
SANJIANG = "330109012001"


def rows() -> tuple[list[tuple], int]:
    """What a refused or forbidden write must leave as it was."""
    communities = list(
        Community.objects.order_by("code").values_list(
            "code", "name", "kind", "boundary", "is_synthetic", "is_active"
        )
    )
    return communities, AuditEntry.objects.count()


def geojson_file(data: Any, name: str = "boundary.geojson") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, json.dumps(data).encode(), content_type="application/geo+json")


def feature(code: str, name: str, geometry: Any, **properties: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": geometry,
        "properties": {"code": code, "name": name, **properties},
    }


def collection(*features: dict[str, Any]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": list(features)}


def sanjiang_boundary() -> Any:
    return Community.objects.get(code=SANJIANG).boundary


def field_errors(response: Any) -> dict[str, list[str]]:
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


# --- Creating one ---------------------------------------------------------------------------


def test_the_service_creates_a_village_and_audits_it(users):
    admin = users["administrator"]

    village = services.community_create(
        actor=admin,
        subdistrict=admin.subdistrict,
        name="新湾村",
        kind="village",
        code="330109012008",
        boundary=EAST,
    )

    village.refresh_from_db()
    assert (village.name, village.kind, village.code, village.boundary, village.is_active) == (
        "新湾村",
        "village",
        "330109012008",
        EAST,
        True,
    )
    assert village.subdistrict.code == "330109012"
    entry = AuditEntry.objects.latest("id")
    assert (entry.action, entry.actor_id, entry.target_type, entry.target_id) == (
        "geo.community.create",
        admin.pk,
        "geo.community",
        str(village.pk),
    )
    assert (entry.after["name"], entry.after["code"], entry.after["kind"]) == (
        "新湾村",
        "330109012008",
        "village",
    )


def test_the_service_reports_every_problem_at_once_and_writes_nothing(users):
    admin = users["administrator"]
    before = rows()

    with pytest.raises(InvalidInput) as raised:
        services.community_create(
            actor=admin,
            subdistrict=admin.subdistrict,
            name="三江社区",
            kind="town",
            code=SANJIANG,
            boundary=sanjiang_boundary(),
        )

    errors = raised.value.extra["errors"]
    assert list(errors) == ["name", "kind", "code", "boundary"]
    assert errors["name"] == "名称“三江社区”已被闻堰街道的另一个社区/村使用。"
    assert errors["kind"] == "未知类型“town”：请使用 community（社区）或 village（村）。"
    assert errors["code"] == "代码 330109012001 已被使用。"
    assert errors["boundary"].startswith("与社区/村“三江社区”（330109012001）重叠约 ")
    assert rows() == before


def test_the_page_creates_a_community_and_leads_to_it(users, client_for):
    client = client_for("administrator")

    form = client.get(reverse("geo_manage:community_new"))
    response = client.post(
        reverse("geo_manage:community_new"),
        {
            "name": "新湾社区",
            "kind": "community",
            "code": "330109012008",
            # A FeatureCollection of one feature, as a GIS tool saves it.
            "boundary": geojson_file(collection(feature("330109012008", "新湾社区", EAST))),
        },
    )

    assert form.status_code == 200
    assert "新建社区/村" in form.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/manage/places/communities/330109012008/"
    created = Community.objects.get(code="330109012008")
    assert (created.name, created.kind, created.boundary) == ("新湾社区", "community", EAST)
    assert AuditEntry.objects.latest("id").action == "geo.community.create"
    page = client.get(response["Location"]).content.decode()
    assert "“新湾社区”已创建，还没有网格。" in page
    assert 'id="community-map"' in page


def test_the_page_shows_every_problem_beside_its_field_by_its_label(users, client_for):
    client = client_for("administrator")
    before = rows()

    response = client.post(
        reverse("geo_manage:community_new"),
        {
            "name": "三江社区",
            "kind": "community",
            "code": "33010901200",
            "boundary": geojson_file(sanjiang_boundary()),
        },
    )

    assert response.status_code == 422
    errors = field_errors(response)
    assert list(errors) == ["name", "code", "boundary"]
    assert errors["name"] == ["名称“三江社区”已被闻堰街道的另一个社区/村使用。"]
    assert errors["code"] == ["“33010901200”不是有效的社区/村代码：必须恰好为 12 位数字。"]
    [overlap] = errors["boundary"]
    assert overlap.startswith("与社区/村“三江社区”（330109012001）重叠约 ")
    page = response.content.decode()
    # each message names its field once (it starts with the label, which is not repeated)
    assert "名称“三江社区”已被闻堰街道的另一个社区/村使用。" in page
    assert "名称：名称" not in page
    assert "代码：“33010901200”不是有效的社区/村代码" in page
    assert "边界（GeoJSON 文件）：与社区/村“三江社区”" in page
    assert rows() == before


def test_a_missing_or_unreadable_boundary_file_is_named_with_the_other_problems(users, client_for):
    client = client_for("administrator")
    before = rows()

    missing = client.post(
        reverse("geo_manage:community_new"), {"name": "", "kind": "village", "code": ""}
    )
    unreadable = client.post(
        reverse("geo_manage:community_new"),
        {
            "name": "新湾村",
            "kind": "village",
            "code": "330109012008",
            "boundary": SimpleUploadedFile("boundary.geojson", b"\xff\xfe not json"),
        },
    )

    assert field_errors(missing) == {
        "name": ["名称 为必填项。"],
        "code": ["“”不是有效的社区/村代码：必须恰好为 12 位数字。"],
        "boundary": ["边界为必填项：一个 GeoJSON Polygon 或 MultiPolygon。"],
    }
    assert field_errors(unreadable) == {
        "boundary": ["文件不是 GeoJSON：无法按 UTF-8 JSON 读取。"],
    }
    assert rows() == before


def test_a_file_of_several_features_is_refused_for_one_community(users, client_for):
    client = client_for("administrator")
    before = rows()

    response = client.post(
        reverse("geo_manage:community_new"),
        {
            "name": "新湾村",
            "kind": "village",
            "code": "330109012008",
            "boundary": geojson_file(
                collection(
                    feature("330109012008", "新湾村", EAST),
                    feature("330109012009", "新湾村二", EAST),
                )
            ),
        },
    )

    assert field_errors(response) == {
        "boundary": ["文件含有 2 个要素：一个社区/村只有一条边界，文件只能含一个要素。"],
    }
    assert rows() == before


def test_renaming_to_another_community_s_name_is_refused(users, client_for):
    client = client_for("administrator")
    before = rows()

    response = client.post(
        reverse("geo_manage:community", args=["330109012002"]), {"name": "三江社区"}
    )

    assert field_errors(response) == {"name": ["名称“三江社区”已被闻堰街道的另一个社区/村使用。"]}
    assert rows() == before


# --- Uploading boundaries -------------------------------------------------------------------


def test_export_then_import_changes_nothing(users):
    admin = users["administrator"]
    exported = selectors.communities_feature_collection(user=admin)
    before = rows()

    result = services.communities_import_geojson(
        actor=admin, subdistrict=admin.subdistrict, data=exported
    )

    assert len(exported["features"]) == 7
    assert result == {"created": 0, "updated": 0}
    assert rows() == before


def test_the_upload_is_previewed_then_saved_on_confirmation(users, client_for):
    admin = client_for("administrator")
    data = collection(
        feature(SANJIANG, "三江社区（调整）", sanjiang_boundary(), kind="community"),
        feature("330109012008", "新湾村", EAST, kind="village"),
    )
    entries_before = AuditEntry.objects.count()
    before = rows()

    page = admin.get(reverse("geo_manage:communities_import"))
    preview = admin.post(reverse("geo_manage:communities_import"), {"file": geojson_file(data)})

    assert page.status_code == 200
    assert "上传社区和村边界" in page.content.decode()
    assert preview.status_code == 200
    assert [(plan.fields["code"], plan.change) for plan in preview.context["planned"]] == [
        (SANJIANG, "changed"),
        ("330109012008", "new"),
    ]
    shown = preview.content.decode()
    assert "新建社区/村 1 个，修改 1 个，未变 0 个。确认之前不会保存任何内容。" in shown
    assert 'id="preview-uploaded"' in shown
    assert rows() == before

    confirmed = admin.post(
        reverse("geo_manage:communities_import_confirm"),
        {"geojson": preview.context["confirm"].initial["geojson"]},
    )

    assert confirmed.status_code == 302
    assert confirmed["Location"] == "/manage/places/"
    renamed = Community.objects.get(code=SANJIANG)
    village = Community.objects.get(code="330109012008")
    assert (renamed.name, renamed.is_synthetic) == ("三江社区（调整）", False)
    assert (village.name, village.kind, village.boundary) == ("新湾村", "village", EAST)
    actions = list(
        AuditEntry.objects.order_by("id").values_list("action", "target_id")[entries_before:]
    )
    assert actions == [
        ("geo.community.update", str(renamed.pk)),
        ("geo.community.create", str(village.pk)),
    ]
    assert (
        "边界已保存：新建社区/村 1 个，修改 1 个。" in admin.get("/manage/places/").content.decode()
    )


def test_a_bad_feature_is_refused_with_its_reason_and_nothing_is_written(users, client_for):
    client = client_for("administrator")
    data = collection(
        feature(SANJIANG, "三江社区（调整）", sanjiang_boundary()),
        feature("330109012008", "新湾村", EAST, kind="town"),
    )
    before = rows()

    response = client.post(reverse("geo_manage:communities_import"), {"file": geojson_file(data)})

    assert response.status_code == 200
    assert response.context["upload_errors"] == [
        "第 2 个要素（编码 330109012008，新湾村）：类型“town”既不是社区（community）也不是村（village）。"
    ]
    assert "未保存任何内容。请修改文件后重新上传：" in response.content.decode()
    assert rows() == before


@pytest.mark.parametrize(
    ("make", "field", "message"),
    [
        pytest.param(
            lambda: collection(feature("330109012008", "新湾村", EAST)),
            "features[0].properties.kind",
            "新建的社区/村需要写明类型：community（社区）或 village（村）。",
            id="new-without-kind",
        ),
        pytest.param(
            lambda: collection(feature("330109013001", "义桥社区", EAST, kind="community")),
            "features[0].properties.code",
            "features[0]：代码 330109013001 不属于闻堰街道（其代码以 330109012 开头）。",
            id="other-subdistrict",
        ),
        pytest.param(
            lambda: collection(feature("330109012008", "江澜社区", EAST, kind="community")),
            "features[0].properties.name",
            "名称“江澜社区”已被闻堰街道的另一个社区/村使用。",
            id="name-of-another",
        ),
        pytest.param(
            lambda: collection(
                feature("330109012008", "新湾村", EAST, kind="village"),
                feature("330109012008", "新湾村二", EAST, kind="village"),
            ),
            "features[1].properties.code",
            "社区代码 330109012008 重复出现。",
            id="duplicate-code",
        ),
        pytest.param(
            lambda: collection(
                feature("330109012008", "新湾村", sanjiang_boundary(), kind="village")
            ),
            "features[0].geometry",
            "与社区/村“三江社区”（330109012001）重叠约 ",
            id="overlaps-a-community",
        ),
        pytest.param(
            lambda: collection(
                feature(
                    SANJIANG,
                    "三江社区",
                    json.loads(
                        json.dumps(
                            mapping(
                                shape(sanjiang_boundary()).intersection(
                                    box(120.0, 30.0, 120.225, 30.2)
                                )
                            )
                        )
                    ),
                )
            ),
            "features[0].geometry",
            "边界使其网格“三江社区第",
            id="leaves-its-grids-outside",
        ),
    ],
)
def test_the_service_names_each_bad_feature(users, make, field, message):
    admin = users["administrator"]
    before = rows()

    with pytest.raises(InvalidInput) as raised:
        services.communities_import_geojson(actor=admin, subdistrict=admin.subdistrict, data=make())

    errors = raised.value.extra["errors"]
    assert list(errors) == [field]
    assert errors[field].startswith(message)
    assert rows() == before


# --- Who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role for role in ALL_ROLES if role != "administrator"])
def test_only_administrators_create_and_upload_communities(users, role):
    actor = users[role]
    subdistrict = Subdistrict.objects.get(code="330109012")
    data = collection(feature("330109012008", "新湾村", EAST, kind="village"))
    before = rows()

    for call in (
        lambda: services.community_create(
            actor=actor,
            subdistrict=subdistrict,
            name="新湾村",
            kind="village",
            code="330109012008",
            boundary=EAST,
        ),
        lambda: services.communities_import_plan(actor=actor, subdistrict=subdistrict, data=data),
        lambda: services.communities_import_geojson(
            actor=actor, subdistrict=subdistrict, data=data
        ),
    ):
        with pytest.raises(Forbidden):
            call()

    client = Client()
    client.force_login(actor)
    for url in (
        reverse("geo_manage:community_new"),
        reverse("geo_manage:communities_import"),
        reverse("geo_manage:communities_geojson"),
    ):
        assert client.get(url).status_code == 403, url
    posted = {
        "name": "新湾村",
        "kind": "village",
        "code": "330109012008",
        "boundary": geojson_file(EAST),
    }
    assert client.post(reverse("geo_manage:community_new"), posted).status_code == 403
    assert (
        client.post(
            reverse("geo_manage:communities_import_confirm"), {"geojson": json.dumps(data)}
        ).status_code
        == 403
    )
    assert rows() == before


def test_the_places_page_leads_to_creating_and_uploading(users, client_for):
    client = client_for("administrator")

    page = client.get(reverse("geo_manage:places")).content.decode()
    download = client.get(reverse("geo_manage:communities_geojson"))

    for url in ("/manage/places/communities/new/", "/manage/places/communities/import/"):
        assert f'href="{url}"' in page, url
    assert download["Content-Disposition"] == 'attachment; filename="communities.geojson"'
    exported = json.loads(download.content)
    assert [item["properties"]["code"] for item in exported["features"]] == [
        f"330109012{number:03d}" for number in range(1, 8)
    ]
    assert exported["features"][0]["properties"] == {
        "code": SANJIANG,
        "name": "三江社区",
        "kind": "community",
        "synthetic": True,
    }
