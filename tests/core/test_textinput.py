"""NUL and other control characters, and JSON too deep or too large, are refused with a 4xx
naming the field on every door — the JSON API, Open311 (form and JSON, JSON and XML answers),
the portal form and the staff forms — and nothing is stored (issue 17, item 4). Run on SQLite and
PostgreSQL: PostgreSQL is where a NUL used to end in a server error."""

import json
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from django.test import Client

from jiedao.core.errors import InvalidInput
from jiedao.core.textinput import check_document, json_depth, refused_character
from jiedao.events.models import Event
from jiedao.open311 import services as open311_services
from jiedao.supervision.models import Plan, ProgressReport
from tests.events.conftest import HOME_GRID, point_in

CONTROL = ["\x00", "\x01", "\x1b", "\x7f", "\ud800"]


@pytest.fixture
def api_key(users: dict[str, Any]) -> str:
    return open311_services.api_key_issue(actor=users["administrator"], name="测试").key


@pytest.fixture
def demo_plan(wenyan_demo: Any) -> Plan:
    return Plan.objects.get()


def post_json(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def event_body(**fields: Any) -> dict[str, Any]:
    lat, lng = point_in(HOME_GRID)
    return {"category": "E0101", "description": "垃圾桶满溢", "lat": lat, "lng": lng, **fields}


# --- The check itself -------------------------------------------------------------------------


def test_tab_and_newlines_pass_other_control_characters_do_not() -> None:
    assert refused_character("第一行\n第二行\r\n\t缩进") is None
    assert [refused_character(f"a{c}b") for c in CONTROL] == CONTROL


def test_a_document_names_the_path_of_the_first_bad_string() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_document({"a": [{"b": "ok"}, {"c": "x\x00"}]})

    assert (caught.value.field, caught.value.code) == ("a.1.c", "control_character")


def test_json_depth_is_counted_without_parsing_and_ignores_brackets_in_strings() -> None:
    assert json_depth(b'{"a": [1, {"b": "[[[{{{\\"]]"}]}') == 3
    assert json_depth(b"[" * 1000 + b"]" * 1000) == 1000
    assert json_depth(b'"unterminated \\') == 0


# --- The JSON API ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "label"), [("description", "描述"), ("address", "地址"), ("grid", "网格")]
)
@pytest.mark.parametrize("character", CONTROL)
def test_the_event_api_refuses_a_control_character_naming_the_field(
    client_for: Any, field: str, label: str, character: str
) -> None:
    response = post_json(
        client_for("grid_worker"), "/api/events/", event_body(**{field: f"三江{character}路"})
    )

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "control_character",
        "message": f"“{label}”含有控制字符（U+{ord(character):04X}），不能接受。请删除后重新提交。",
        "field": field,
        "extra": {},
    }
    assert Event.objects.count() == 0


def test_the_event_api_refuses_a_nul_in_a_multipart_field(client_for: Any) -> None:
    response = client_for("grid_worker").post("/api/events/", event_body(description="a\x00b"))

    assert (response.status_code, response.json()["error"]["field"]) == (422, "description")
    assert Event.objects.count() == 0


def test_a_key_with_a_nul_is_refused_too(client_for: Any) -> None:
    response = post_json(client_for("grid_worker"), "/api/events/", {"desc\x00": "x"})

    assert (response.status_code, response.json()["error"]["field"]) == (422, "desc")


def test_the_supervision_report_text_refuses_a_nul(client_for: Any, demo_plan: Any) -> None:
    task = demo_plan.tasks.get(sequence=5)
    before = ProgressReport.objects.count()

    response = post_json(
        client_for("department_handler"),
        f"/api/supervision/tasks/{task.pk}/reports",
        {"period": 4, "text": "四季度\x00全部完成。", "percent_complete": 100},
    )

    assert (response.status_code, response.json()["error"]["field"]) == (422, "text")
    assert ProgressReport.objects.count() == before


def test_json_nested_a_thousand_deep_is_400_before_parsing(client_for: Any) -> None:
    raw = '{"description": ' + "[" * 1000 + "]" * 1000 + "}"

    response = client_for("grid_worker").post("/api/events/", raw, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "too_deep",
        "message": "请求内容嵌套超过 32 层。",
        "field": "body",
        "extra": {},
    }


def test_json_larger_than_the_limit_is_413(client_for: Any, settings: Any) -> None:
    settings.JSON_MAX_BYTES = 1000

    response = post_json(client_for("grid_worker"), "/api/events/", event_body(address="路" * 400))

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert Event.objects.count() == 0


def test_english_users_get_the_message_in_english(client_for: Any) -> None:
    client = client_for("grid_worker")
    client.cookies["django_language"] = "en"

    response = post_json(client, "/api/events/", event_body(description="a\x00"))

    assert response.json()["error"]["message"] == (
        "“Description” contains a control character (U+0000), which is not allowed. "
        "Remove it and send again."
    )


def test_a_nul_in_the_query_or_path_is_refused(client_for: Any) -> None:
    client = client_for("administrator")

    in_query = client.get("/api/geo/grids", {"community": "330109012001\x00"})
    in_path = client.get("/api/geo/grids/330109012001001\x00")

    assert (in_query.status_code, in_query.json()["error"]["field"]) == (422, "community")
    assert (in_path.status_code, in_path.json()["error"]["field"]) == (422, "path")


# --- Open311 --------------------------------------------------------------------------------


def open311_params(**overrides: str) -> dict[str, str]:
    lat, lng = point_in(HOME_GRID)
    params = {
        "jurisdiction_id": "330109012",
        "service_code": "E0101",
        "lat": f"{lat:.7f}",
        "long": f"{lng:.7f}",
        "description": "小区门口垃圾堆积",
    }
    params.update(overrides)
    return params


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("description", "垃圾\x00堆积"),
        ("address_id", "A\x00"),
        ("jurisdiction_id", "330109012\x00"),
        ("first_name", "San\x1b"),
    ],
)
def test_open311_form_refuses_a_control_character_in_its_error_format(
    users: Any, api_key: str, field: str, value: str
) -> None:
    response = Client().post(
        "/open311/v2/requests.json", {"api_key": api_key, **open311_params(**{field: value})}
    )

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json; charset=utf-8"
    [error] = json.loads(response.content)
    assert error["code"] == 400
    assert f"“{field}”含有控制字符" in error["description"]
    assert Event.objects.count() == 0


def test_open311_answers_in_xml_when_asked(users: Any, api_key: str) -> None:
    response = Client().post(
        "/open311/v2/requests.xml",
        {"api_key": api_key, **open311_params(description="x\x00")},
    )

    assert response.status_code == 400
    root = ET.fromstring(response.content)  # noqa: S314 (our own answer)
    assert root.findtext("error/code") == "400"
    assert "“description”" in (root.findtext("error/description") or "")


def test_open311_json_bodies_are_checked_and_bounded(users: Any, api_key: str) -> None:
    control = Client().post(
        "/open311/v2/requests.json",
        json.dumps({"api_key": api_key, **open311_params(description="x\x00")}),
        content_type="application/json",
    )
    deep = Client().post(
        "/open311/v2/requests.json", "[" * 1000 + "]" * 1000, content_type="application/json"
    )

    assert (control.status_code, json.loads(control.content)[0]["code"]) == (400, 400)
    assert "“description”" in json.loads(control.content)[0]["description"]
    assert (deep.status_code, json.loads(deep.content)[0]["code"]) == (400, 400)
    assert Event.objects.count() == 0


# --- Pages ----------------------------------------------------------------------------------


def test_the_portal_form_refuses_a_nul_with_a_page(wenyan_demo: Any) -> None:
    lat, lng = point_in(HOME_GRID)
    response = Client().post(
        "/public/report/",
        {
            "category": "E0101",
            "description": "垃圾\x00堆积",
            "lat": f"{lat:.7f}",
            "lng": f"{lng:.7f}",
            "website": "",
        },
    )

    assert response.status_code == 422
    assert "“描述”含有控制字符（U+0000）" in response.content.decode()
    assert Event.objects.count() == 0


def test_a_staff_form_refuses_a_control_character_with_a_page(client_for: Any) -> None:
    lat, lng = point_in(HOME_GRID)
    response = client_for("grid_worker").post(
        "/events/report/",
        {"category": "E0101", "description": "垃圾\x01堆积", "lat": lat, "lng": lng},
    )

    assert response.status_code == 422
    assert "“描述”含有控制字符（U+0001）" in response.content.decode()
    assert Event.objects.count() == 0
