"""Open311 GeoReport v2: every endpoint in JSON and XML against the spec's field lists, the
status mapping, filters and defaults, bad input (the spec's error body, nothing stored),
idempotent retries, throttling and privacy."""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.events import services as event_services
from jiedao.events.models import Category, Event, EventPhoto
from jiedao.open311.models import Open311ApiKey, Open311Request
from jiedao.open311.services import api_key_revoke
from jiedao.portal.models import PublicReport
from jiedao.portal.services import event_visibility_set
from tests.portal.conftest import act, close_through_services, png, point_in, staff_names
from tests.roles import ALL_ROLES

BASE = "/open311/v2"
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]
POST_FIELDS = ["service_request_id", "token", "service_notice", "account_id"]
REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
PHONE = "13812345678"
EMAIL = "zhang.san@example.cn"


def tags(element: ET.Element) -> list[str]:
    return [child.tag for child in element]


def xml(response: Any) -> ET.Element:
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)  # noqa: S314 (our own answer)


def body(response: Any) -> Any:
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def post_params(**overrides: Any) -> dict[str, Any]:
    lat, lng = point_in()
    params: dict[str, Any] = {
        "jurisdiction_id": "330109012",
        "service_code": "E0101",
        "lat": f"{lat:.7f}",
        "long": f"{lng:.7f}",
        "address_string": "三江路1号 3幢",
        "description": "小区门口垃圾堆积 联系 13812345678",
        "email": EMAIL,
        "first_name": "San",
        "last_name": "Zhang",
        "phone": PHONE,
        "device_id": "device-42",
        "account_id": "account-7",
        "attribute[urgency]": "urgent",
    }
    params.update(overrides)
    return {key: value for key, value in params.items() if value is not None}


def stored_counts() -> tuple[int, int, int, int]:
    return (
        Event.objects.count(),
        Open311Request.objects.count(),
        PublicReport.objects.count(),
        EventPhoto.objects.count(),
    )


# --- Discovery and services ---------------------------------------------------------------


def test_discovery_json_and_xml(wenyan_demo: Any) -> None:
    # Given the demo; when a client discovers the endpoint
    data = body(Client().get(f"{BASE}/discovery.json"))
    root = xml(Client().get(f"{BASE}/discovery.xml"))
    # Then both formats have the spec's fields
    assert list(data) == ["changeset", "contact", "key_service", "endpoints"]
    assert data["endpoints"] == [
        {
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "http://testserver/open311/v2",
            "changeset": data["changeset"],
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }
    ]
    assert data["changeset"].endswith("T00:00:00+08:00")
    assert root.tag == "discovery"
    assert tags(root) == ["changeset", "contact", "key_service", "endpoints"]
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None
    assert tags(endpoint) == ["specification", "url", "changeset", "type", "formats"]
    assert [node.text for node in endpoint.findall("formats/format")] == [
        "text/xml",
        "application/json",
    ]


def test_services_json_lists_every_public_subcategory(wenyan_demo: Any) -> None:
    data = body(Client().get(f"{BASE}/services.json"))
    expected_codes = list(
        Category.objects.filter(parent__isnull=False, is_active=True)
        .order_by("parent__code", "code")
        .values_list("code", flat=True)
    )
    assert sorted(item["service_code"] for item in data) == sorted(expected_codes)
    assert [list(item) for item in data] == [SERVICE_FIELDS] * 28  # the demo's subcategories
    first = next(item for item in data if item["service_code"] == "E0101")
    assert first == {
        "service_code": "E0101",
        "service_name": "暴露垃圾",
        "description": "受理时限 1 个工作小时，处置时限 4 个工作小时。",
        "metadata": True,
        "type": "realtime",
        "keywords": "暴露垃圾, Exposed rubbish, 市容环境, City appearance",
        "group": "市容环境",
    }


def test_services_xml_has_the_same_fields(wenyan_demo: Any) -> None:
    root = xml(Client().get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == Category.objects.filter(parent__isnull=False).count()
    assert [tags(service) for service in services] == [SERVICE_FIELDS] * 28
    first = next(service for service in services if service.findtext("service_code") == "E0101")
    assert first.findtext("metadata") == "true"
    assert first.findtext("type") == "realtime"
    assert first.findtext("group") == "市容环境"


def test_services_in_english(wenyan_demo: Any) -> None:
    data = body(Client().get(f"{BASE}/services.json", HTTP_ACCEPT_LANGUAGE="en"))
    first = next(item for item in data if item["service_code"] == "E0101")
    assert (first["service_name"], first["group"]) == ("Exposed rubbish", "City appearance")
    assert (
        first["description"] == "Accepted within 1 working hours, handled within 4 working hours."
    )


def test_service_definition_json_and_xml(wenyan_demo: Any) -> None:
    data = body(Client().get(f"{BASE}/services/E0101.json"))
    assert list(data) == ["service_code", "attributes"]
    assert data["service_code"] == "E0101"
    assert [list(attribute) for attribute in data["attributes"]] == [ATTRIBUTE_FIELDS] * 2
    urgency, limits = data["attributes"]
    assert urgency == {
        "variable": True,
        "code": "urgency",
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": "留空即为一般。",
        "order": 1,
        "description": "紧急程度",
        "values": [
            {"key": "normal", "name": "一般"},
            {"key": "urgent", "name": "紧急"},
            {"key": "critical", "name": "特急"},
        ],
    }
    assert (limits["variable"], limits["code"], limits["values"]) == (False, "time_limits", [])
    root = xml(Client().get(f"{BASE}/services/E0101.xml"))
    assert root.tag == "service_definition"
    assert tags(root) == ["service_code", "attributes"]
    attributes = root.findall("attributes/attribute")
    assert [tags(attribute) for attribute in attributes] == [ATTRIBUTE_FIELDS] * 2
    assert [value.findtext("key") for value in attributes[0].findall("values/value")] == [
        "normal",
        "urgent",
        "critical",
    ]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_service_definition_is_a_404_in_the_spec_format(wenyan_demo: Any, fmt: str) -> None:
    response = Client().get(f"{BASE}/services/X9999.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        assert body(response) == [{"code": 404, "description": "未找到 service_code “X9999”。"}]
    else:
        root = xml(response)
        assert root.tag == "errors"
        assert [tags(error) for error in root.findall("error")] == [["code", "description"]]
        assert root.findtext("error/code") == "404"


@pytest.mark.parametrize(
    ("jurisdiction", "status"), [("330109012", 200), ("999999999", 404), ("", 200)]
)
def test_jurisdiction_is_the_subdistrict_code(
    wenyan_demo: Any, jurisdiction: str, status: int
) -> None:
    response = Client().get(f"{BASE}/services.json", {"jurisdiction_id": jurisdiction})
    assert response.status_code == status
    if status == 404:
        assert body(response) == [
            {"code": 404, "description": "未找到 jurisdiction_id “999999999”。"}
        ]


def test_unknown_format_and_method(wenyan_demo: Any) -> None:
    assert Client().get(f"{BASE}/services.csv").status_code == 404
    response = Client().delete(f"{BASE}/services.json")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert body(response)[0]["code"] == 405


# --- POST requests ------------------------------------------------------------------------


def test_post_request_json_creates_a_resident_event(users: Any, api_key: str) -> None:
    # When an Open311 client posts a request
    response = Client().post(f"{BASE}/requests.json", {"api_key": api_key, **post_params()})
    # Then the event enters the workflow like any resident report
    assert response.status_code == 201
    data = body(response)
    assert [list(item) for item in data] == [POST_FIELDS]
    event = Event.objects.get()
    request = Open311Request.objects.get()
    assert data == [
        {
            "service_request_id": event.number,
            "token": request.token,
            "service_notice": "受理时限 1 个工作小时，处置时限 4 个工作小时。",
            "account_id": "account-7",
        }
    ]
    assert (event.source, event.status, event.category.code, event.urgency) == (
        "resident",
        "reported",
        "E0101",
        "urgent",
    )
    assert (event.reporter_name, event.reporter_phone, event.address) == (
        "San Zhang",
        PHONE,
        "三江路1号 3幢",
    )
    assert event.responsible_department.code == "command-centre"
    assert event.accept_due_at is not None
    assert (request.email, request.first_name, request.last_name) == (EMAIL, "San", "Zhang")
    assert (request.device_id, request.account_id) == ("device-42", "account-7")
    assert request.attributes == {"urgency": "urgent"}
    assert PublicReport.objects.get().channel == "open311"
    assert event.steps.get().actor_label == "open311:FixMyStreet 测试"
    assert (
        AuditEntry.objects.filter(
            action="open311.request.create", target_id=str(request.pk)
        ).count()
        == 1
    )


def test_post_request_xml_answers_in_xml(users: Any, api_key: str) -> None:
    response = Client().post(
        f"{BASE}/requests.xml", {"api_key": api_key, **post_params(account_id=None)}
    )
    assert response.status_code == 201
    root = xml(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request is not None
    assert tags(request) == POST_FIELDS
    assert request.findtext("service_request_id") == Event.objects.get().number
    assert request.findtext("account_id") == ""


def test_post_with_media_stores_the_photo(users: Any, api_key: str) -> None:
    response = Client().post(
        f"{BASE}/requests.json", {"api_key": api_key, **post_params(), "media": png()}
    )
    assert response.status_code == 201
    photo = EventPhoto.objects.get()
    assert (photo.stage, photo.content_type) == ("before", "image/png")


def test_post_with_media_url_keeps_it_privately(users: Any, api_key: str) -> None:
    url = "https://city.example.cn/media/1.jpg"
    Client().post(f"{BASE}/requests.json", {"api_key": api_key, **post_params(media_url=url)})
    assert Open311Request.objects.get().media_url == url
    listed = body(Client().get(f"{BASE}/requests.json"))
    assert listed[0]["media_url"] is None


def test_retry_with_the_same_idempotency_key_returns_the_first_request(
    users: Any, api_key: str
) -> None:
    client = Client()
    first = client.post(
        f"{BASE}/requests.json", {"api_key": api_key, **post_params()}, HTTP_IDEMPOTENCY_KEY="a-1"
    )
    again = client.post(
        f"{BASE}/requests.json", {"api_key": api_key, **post_params()}, HTTP_IDEMPOTENCY_KEY="a-1"
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert body(first) == body(again)
    assert stored_counts()[:3] == (1, 1, 1)
    # The same key with other content is refused, and nothing more is stored
    other = client.post(
        f"{BASE}/requests.json",
        {"api_key": api_key, **post_params(description="另一件事")},
        HTTP_IDEMPOTENCY_KEY="a-1",
    )
    assert other.status_code == 400
    assert body(other) == [
        {
            "code": 400,
            "description": "Idempotency-Key“a-1”已用于另一个不同的请求。新请求请使用新的键。",
        }
    ]
    assert stored_counts()[:3] == (1, 1, 1)


def test_first_and_last_name_within_their_limits_but_too_long_together_are_refused(
    users: Any, api_key: str
) -> None:
    response = Client().post(
        f"{BASE}/requests.json",
        {"api_key": api_key, **post_params(first_name="名" * 50, last_name="姓" * 50)},
    )
    assert response.status_code == 400
    assert body(response) == [
        {
            "code": 400,
            "description": "first_name 与 last_name 合计过长："
            "连同两者之间的空格最多 100 个字符（收到 101 个）。",
        }
    ]
    assert stored_counts() == (0, 0, 0, 0)


def test_identical_request_without_a_key_is_taken_for_a_retry(users: Any, api_key: str) -> None:
    client = Client()
    first = client.post(f"{BASE}/requests.json", {"api_key": api_key, **post_params()})
    again = client.post(f"{BASE}/requests.json", {"api_key": api_key, **post_params()})
    different = client.post(
        f"{BASE}/requests.json", {"api_key": api_key, **post_params(description="路灯不亮")}
    )
    assert (first.status_code, again.status_code, different.status_code) == (201, 200, 201)
    assert body(first) == body(again)
    assert Event.objects.count() == 2


def _revoked_key(users: Any, api_key: str) -> str:
    key = Open311ApiKey.objects.get()
    api_key_revoke(actor=users["administrator"], key_id=key.pk)
    return api_key


BAD_POSTS = [
    # (name, params change, expected status, expected description)
    ("missing api_key", {"api_key": None}, 403, "未提供 api_key。"),
    ("wrong api_key", {"api_key": "j311_wrong"}, 403, "api_key 无效：未知或已被吊销。"),
    ("missing service_code", {"service_code": None}, 400, "未提供 service_code。"),
    ("unknown service_code", {"service_code": "X9999"}, 400, "未找到 service_code “X9999”。"),
    ("main category", {"service_code": "E01"}, 400, "未找到 service_code “E01”。"),
    (
        "missing location",
        {"lat": None, "long": None, "address_string": None},
        400,
        "未提供位置：请发送 lat 和 long（WGS-84）。",
    ),
    (
        "address only",
        {"lat": None, "long": None},
        400,
        "仅凭 address_string 无法定位（本网络没有地理编码服务）：请发送 lat 和 long，或 address_id（网格编码）。",
    ),
    ("half a location", {"long": None}, 400, "请同时发送 lat 和 long，或都不发送。"),
    ("bad latitude", {"lat": "north"}, 400, "lat “north” 不是数字。"),
    ("missing description", {"description": None}, 400, "未提供 description。"),
    (
        "oversized description",
        {"description": "长" * 2001},
        400,
        "description 过长：最多 2000 个字符。",
    ),
    (
        "bad jurisdiction",
        {"jurisdiction_id": "999999999"},
        404,
        "未找到 jurisdiction_id “999999999”。",
    ),
    (
        "bad urgency",
        {"attribute[urgency]": "now"},
        400,
        "attribute[urgency] “now” 不是 normal, urgent, critical 之一。",
    ),
    ("bad email", {"email": "not-an-address"}, 400, "email “not-an-address” 不是电子邮件地址。"),
    ("bad media_url", {"media_url": "ftp://x"}, 400, "media_url 不是 http(s) 网址。"),
]


@pytest.mark.parametrize(
    ("name", "change", "status", "description"), BAD_POSTS, ids=[case[0] for case in BAD_POSTS]
)
def test_bad_post_answers_the_spec_error_and_stores_nothing(
    users: Any, api_key: str, name: str, change: dict[str, Any], status: int, description: str
) -> None:
    params = {"api_key": api_key, **post_params()}
    params.update(change)
    params = {key: value for key, value in params.items() if value is not None}
    before = stored_counts()
    response = Client().post(f"{BASE}/requests.json", params)
    assert response.status_code == status
    assert body(response) == [{"code": status, "description": description}]
    assert stored_counts() == before


def test_a_location_outside_the_subdistrict_is_refused(users: Any, api_key: str) -> None:
    response = Client().post(
        f"{BASE}/requests.json", {"api_key": api_key, **post_params(lat="39.9", long="116.4")}
    )
    assert response.status_code == 400
    [error] = body(response)
    assert error["code"] == 400
    assert "39.9, 116.4" in error["description"]
    assert stored_counts() == (0, 0, 0, 0)


def test_revoked_key_is_refused_in_xml_and_stores_nothing(users: Any, api_key: str) -> None:
    key = _revoked_key(users, api_key)
    response = Client().post(f"{BASE}/requests.xml", {"api_key": key, **post_params()})
    assert response.status_code == 403
    root = xml(response)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "403"
    assert root.findtext("error/description") == "api_key 无效：未知或已被吊销。"
    assert stored_counts() == (0, 0, 0, 0)


def test_bad_media_is_refused(users: Any, api_key: str) -> None:
    upload = SimpleUploadedFile("media.txt", b"plain text", content_type="image/png")
    response = Client().post(
        f"{BASE}/requests.json", {"api_key": api_key, **post_params(), "media": upload}
    )
    assert response.status_code == 400
    [error] = body(response)
    assert error["code"] == 400
    assert "media.txt" in error["description"]
    assert stored_counts() == (0, 0, 0, 0)


def test_oversized_media_is_refused(users: Any, api_key: str, settings: Any) -> None:
    settings.EVENT_PHOTO_MAX_BYTES = 40
    response = Client().post(
        f"{BASE}/requests.json",
        {"api_key": api_key, **post_params(), "media": png(content=PNG_BIG)},
    )
    assert response.status_code == 400
    assert body(response)[0]["code"] == 400
    assert stored_counts() == (0, 0, 0, 0)


PNG_BIG = b"\x89PNG\r\n\x1a\n" + bytes(100)


# --- GET requests: filters, defaults, status mapping -----------------------------------------


def report(*, days_ago: float = 0, code: str = "E0101", description: str = "垃圾") -> Event:
    lat, lng = point_in()
    at = timezone.now() - timedelta(days=days_ago) if days_ago else None
    return event_services.event_report(
        actor=SYSTEM,
        category=code,
        description=description,
        lat=lat,
        lng=lng,
        source="resident",
        reporter_name="张居民",
        reporter_phone=PHONE,
        at=at,
    ).event


def listed(query: dict[str, Any] | None = None) -> list[str]:
    response = Client().get(f"{BASE}/requests.json", query or {})
    assert response.status_code == 200, response.content
    return [item["service_request_id"] for item in body(response)]


def test_get_requests_defaults_to_the_last_90_days_newest_first(users: Any) -> None:
    old = report(days_ago=100)
    recent = report(days_ago=10)
    today = report()
    assert listed() == [today.number, recent.number]
    start = (timezone.now() - timedelta(days=120)).isoformat()
    assert listed({"start_date": start}) == [today.number, recent.number, old.number]
    # Only end_date: the 90 days before it
    end = (timezone.now() - timedelta(days=5)).isoformat()
    assert listed({"end_date": end}) == [recent.number]
    assert listed({"start_date": start, "end_date": end}) == [recent.number, old.number]
    assert listed({"limit": "1"}) == [today.number]
    # service_request_id overrides every other argument
    assert listed({"service_request_id": f"{old.number},{today.number}", "status": "closed"}) == [
        today.number,
        old.number,
    ]


def test_get_requests_filters_by_service_code(users: Any) -> None:
    rubbish = report(code="E0101")
    light = report(code="C0102")
    assert listed({"service_code": "C0102"}) == [light.number]
    assert listed({"service_code": "E0101,C0102"}) == [light.number, rubbish.number]


STATUS_PATHS = {
    "reported": ([], "open"),
    "accepted": (["accept"], "open"),
    "dispatched": (["accept", "dispatch"], "open"),
    "handling": (["accept", "dispatch", "start_handling"], "open"),
    "reported_back": (["accept", "dispatch", "start_handling", "report_back"], "open"),
    "suspended": (["accept", "suspend"], "open"),
    "closed": (["accept", "dispatch", "start_handling", "report_back", "verify_pass"], "closed"),
    "rejected": (["reject"], "closed"),
}
DATA = {
    "reject": {"reason": "不属于本街道职责"},
    "report_back": {"note": "已处理"},
    "suspend": {"reason": "长期"},
}


@pytest.mark.parametrize("status", sorted(STATUS_PATHS))
def test_status_maps_to_open_or_closed(users: Any, status: str) -> None:
    event = report()
    actions, expected = STATUS_PATHS[status]
    for action in actions:
        extra = dict(DATA.get(action, {}))
        if action == "dispatch":
            extra["department"] = "city-management"
        event = act(event, action, **extra)
    assert event.status == status
    item = body(Client().get(f"{BASE}/requests/{event.number}.json"))[0]
    assert item["status"] == expected
    assert listed({"status": expected}) == [event.number]
    other = "closed" if expected == "open" else "open"
    assert listed({"status": other}) == []


def test_merged_event_is_closed_with_its_note(users: Any) -> None:
    primary = report()
    duplicate = report(description="同一堆垃圾")
    act(primary, "accept")
    act(duplicate, "merge", primary=primary.number)
    item = body(Client().get(f"{BASE}/requests/{duplicate.number}.json"))[0]
    assert (item["status"], item["status_notes"]) == ("closed", "已与先前报告的同一问题合并")


@pytest.mark.parametrize(
    ("query", "description"),
    [
        (
            {"start_date": "yesterday"},
            "start_date “yesterday” 不是 ISO 8601 日期时间（例如 2026-11-01T00:00:00+08:00）。",
        ),
        (
            {"end_date": "2026-13-45"},
            "end_date “2026-13-45” 不是 ISO 8601 日期时间（例如 2026-11-01T00:00:00+08:00）。",
        ),
        (
            {"start_date": "2026-11-02T00:00:00+08:00", "end_date": "2026-11-01T00:00:00+08:00"},
            "start_date 晚于 end_date。",
        ),
        ({"status": "pending"}, "status “pending” 不是 open 或 closed。"),
        ({"service_code": "X9999"}, "未找到 service_code “X9999”。"),
        ({"limit": "0"}, "limit 必须是 1 到 1000 之间的整数。"),
    ],
)
def test_bad_request_filters_are_400(users: Any, query: dict[str, str], description: str) -> None:
    response = Client().get(f"{BASE}/requests.json", query)
    assert response.status_code == 400
    assert body(response) == [{"code": 400, "description": description}]


def test_request_detail_json_and_xml(users: Any) -> None:
    event = close_through_services(report(), users)
    data = body(Client().get(f"{BASE}/requests/{event.number}.json"))
    assert [list(item) for item in data] == [REQUEST_FIELDS]
    item = data[0]
    local = timezone.localtime(event.created_at).isoformat(timespec="seconds")
    assert item == {
        "service_request_id": event.number,
        "status": "closed",
        "status_notes": "已清理完毕，路面恢复整洁",
        "service_name": "暴露垃圾",
        "service_code": "E0101",
        "description": "垃圾",
        "agency_responsible": event.responsible_department.name,
        "service_notice": None,
        "requested_datetime": local,
        "updated_datetime": timezone.localtime(event.last_action_at).isoformat(timespec="seconds"),
        "expected_datetime": None,
        "address": f"{event.community.name} · {event.grid.name}",
        "address_id": None,
        "zipcode": None,
        "lat": round(event.lat, 3),
        "long": round(event.lng, 3),
        "media_url": None,
    }
    assert local.endswith("+08:00")
    root = xml(Client().get(f"{BASE}/requests/{event.number}.xml"))
    assert root.tag == "service_requests"
    assert [tags(request) for request in root.findall("request")] == [REQUEST_FIELDS]
    assert root.findtext("request/status") == "closed"
    assert root.findtext("request/lat") == str(round(event.lat, 3))


def test_requests_list_xml(users: Any) -> None:
    first, second = report(), report(description="路灯")
    root = xml(Client().get(f"{BASE}/requests.xml"))
    assert [request.findtext("service_request_id") for request in root.findall("request")] == [
        second.number,
        first.number,
    ]
    assert [tags(request) for request in root.findall("request")] == [REQUEST_FIELDS] * 2


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_and_hidden_requests_are_404(users: Any, fmt: str) -> None:
    event = report()
    event_visibility_set(
        actor=users["dispatcher"], number=event.number, hidden=True, reason="含个人信息"
    )
    for number in ("WY20000101-0001", event.number):
        response = Client().get(f"{BASE}/requests/{number}.{fmt}")
        assert response.status_code == 404
    assert listed() == []


def test_token_json_and_xml(users: Any, api_key: str) -> None:
    Client().post(f"{BASE}/requests.json", {"api_key": api_key, **post_params()})
    request = Open311Request.objects.select_related("event").get()
    data = body(Client().get(f"{BASE}/tokens/{request.token}.json"))
    assert data == [{"service_request_id": request.event.number, "token": request.token}]
    root = xml(Client().get(f"{BASE}/tokens/{request.token}.xml"))
    assert [tags(item) for item in root.findall("request")] == [["service_request_id", "token"]]
    missing = Client().get(f"{BASE}/tokens/nope.json")
    assert missing.status_code == 404
    assert body(missing) == [{"code": 404, "description": "未找到令牌 “nope”。"}]


def test_private_categories_never_leave(users: Any) -> None:
    dispute = report(code="E0801", description="邻里纠纷")
    assert listed() == []
    assert Client().get(f"{BASE}/requests/{dispute.number}.json").status_code == 404


# --- Privacy --------------------------------------------------------------------------------


def test_no_contact_exact_location_or_staff_names_in_any_output(users: Any, api_key: str) -> None:
    Client().post(f"{BASE}/requests.json", {"api_key": api_key, **post_params()})
    event = close_through_services(Event.objects.get(), users)
    request = Open311Request.objects.get()
    texts = [
        Client().get(f"{BASE}/requests.json").content.decode(),
        Client().get(f"{BASE}/requests.xml").content.decode(),
        Client().get(f"{BASE}/requests/{event.number}.json").content.decode(),
        Client().get(f"{BASE}/requests/{event.number}.xml").content.decode(),
        Client().get(f"{BASE}/tokens/{request.token}.json").content.decode(),
    ]
    forbidden = [
        PHONE,
        EMAIL,
        "San",
        "Zhang",
        "device-42",
        "account-7",
        "三江路1号",
        f"{event.lat:.5f}",
        f"{event.lng:.5f}",
        *staff_names(users),
    ]
    for text in texts:
        for value in forbidden:
            assert value not in text, value
    assert "138****5678" in texts[0]


# --- Throttling -----------------------------------------------------------------------------


def test_post_is_throttled_per_key(users: Any, settings: Any) -> None:
    from jiedao.open311.services import api_key_issue

    key = api_key_issue(
        actor=users["administrator"], name="慢速客户端", rate_limit_per_minute=2
    ).key
    client = Client()
    statuses = [
        client.post(
            f"{BASE}/requests.json", {"api_key": key, **post_params(description=f"问题{n}")}
        ).status_code
        for n in range(2)
    ]
    limited = client.post(
        f"{BASE}/requests.json", {"api_key": key, **post_params(description="第三个")}
    )
    assert statuses == [201, 201]
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert body(limited)[0]["code"] == 429
    assert Event.objects.count() == 2
    # Another key is not affected
    other = api_key_issue(actor=users["administrator"], name="另一个客户端").key
    assert (
        client.post(
            f"{BASE}/requests.json", {"api_key": other, **post_params(description="第三个")}
        ).status_code
        == 201
    )


def test_every_call_is_throttled_per_address(wenyan_demo: Any, settings: Any) -> None:
    settings.OPEN311_REQUESTS_PER_MINUTE_PER_IP = 3
    client = Client(REMOTE_ADDR="10.9.8.7")
    statuses = [client.get(f"{BASE}/services.json").status_code for _ in range(3)]
    limited = client.get(f"{BASE}/services.xml")
    assert statuses == [200, 200, 200]
    assert limited.status_code == 429
    assert limited["Retry-After"].isdigit()
    assert xml(limited).findtext("error/code") == "429"
    # Another address is not affected
    assert Client(REMOTE_ADDR="10.9.8.8").get(f"{BASE}/services.json").status_code == 200


# --- Key management (administrators) -----------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_key_page_is_for_administrators_only(client_for: Any, users: Any, role: str) -> None:
    client = client_for(role)
    page = client.get("/open311/keys/")
    issue = client.post("/open311/keys/", {"name": "新客户端", "rate_limit_per_minute": "10"})
    if role == "administrator":
        assert page.status_code == 200
        assert issue.status_code == 200
        key = Open311ApiKey.objects.get()
        shown = issue.content.decode()
        assert key.prefix in shown
        assert "j311_" in shown
        assert (key.name, key.rate_limit_per_minute, key.created_by) == (
            "新客户端",
            10,
            users["administrator"],
        )
        assert AuditEntry.objects.filter(action="open311.apikey.issue").count() == 1
    else:
        assert (page.status_code, issue.status_code) == (403, 403)
        assert Open311ApiKey.objects.count() == 0


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_administrators_revoke_keys(
    client_for: Any, users: Any, api_key: str, role: str
) -> None:
    key = Open311ApiKey.objects.get()
    response = client_for(role).post(f"/open311/keys/{key.pk}/revoke/")
    key.refresh_from_db()
    if role == "administrator":
        assert response.status_code == 302
        assert key.is_active is False
        assert AuditEntry.objects.filter(action="open311.apikey.revoke").count() == 1
        assert (
            Client()
            .post(f"{BASE}/requests.json", {"api_key": api_key, **post_params()})
            .status_code
            == 403
        )
    else:
        assert response.status_code == 403
        assert key.is_active is True


def test_key_is_stored_hashed_only(users: Any, api_key: str) -> None:
    key = Open311ApiKey.objects.get()
    assert api_key not in (key.key_hash, key.prefix)
    assert len(key.key_hash) == 64
    assert api_key.startswith(key.prefix)


def test_issuing_a_key_needs_a_name(users: Any) -> None:
    response = Client()
    response.force_login(users["administrator"])
    page = response.post("/open311/keys/", {"name": " ", "rate_limit_per_minute": "10"})
    assert page.status_code == 422
    assert Open311ApiKey.objects.count() == 0


def test_control_characters_never_break_the_xml(users: Any) -> None:
    report(description="垃圾\x0b堆积\x01")
    root = xml(Client().get(f"{BASE}/requests.xml"))
    assert root.findtext("request/description") == "垃圾堆积"


def test_not_a_number_is_not_a_coordinate(users: Any, api_key: str) -> None:
    response = Client().post(
        f"{BASE}/requests.json", {"api_key": api_key, **post_params(lat="nan")}
    )
    assert response.status_code == 400
    assert body(response) == [{"code": 400, "description": "lat “nan” 不是数字。"}]
    assert stored_counts() == (0, 0, 0, 0)


def test_listing_costs_the_same_queries_for_few_and_many(users: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        close_through_services(report(), users)
    Client().get(f"{BASE}/requests.json")  # the process's copy of the subdistricts, once
    with CaptureQueriesContext(connection) as few:
        Client().get(f"{BASE}/requests.json")
    for _ in range(4):
        close_through_services(report(), users)
    with CaptureQueriesContext(connection) as many:
        response = Client().get(f"{BASE}/requests.json")
    assert len(body(response)) == 6
    assert len(many.captured_queries) == len(few.captured_queries)


def test_administrators_issue_and_revoke_keys_in_the_django_admin(client_for: Any) -> None:
    admin = client_for("administrator")
    response = admin.post(
        "/admin/open311/open311apikey/add/",
        {"name": "管理后台签发", "rate_limit_per_minute": "12"},
        follow=True,
    )
    assert response.status_code == 200
    key = Open311ApiKey.objects.get()
    assert (key.name, key.rate_limit_per_minute, key.is_active) == ("管理后台签发", 12, True)
    assert "j311_" in response.content.decode()
    admin.post(
        "/admin/open311/open311apikey/",
        {"action": "revoke", "_selected_action": [str(key.pk)]},
    )
    key.refresh_from_db()
    assert key.is_active is False
    assert AuditEntry.objects.filter(action__startswith="open311.apikey.").count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_post_runs_nine_statements_in_one_transaction(users: Any, api_key: str) -> None:
    """What one Open311 POST costs the database, as the benchmark counts it (a real
    transaction, not the test's): the event's number, the five rows of the report, its
    notifications and its three audit entries in one statement; no look before the insert, no
    savepoint, no second transaction."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    # The day's first report creates the day's number sequence (PostgreSQL), and a process reads
    # the grids once: neither is the steady path.
    for warm_up in ("一", "二"):
        client.post(
            f"{BASE}/requests.json", {"api_key": api_key, **post_params(description=warm_up)}
        )
    with CaptureQueriesContext(connection) as posted:
        response = client.post(
            f"{BASE}/requests.json", {"api_key": api_key, **post_params(description="三")}
        )
    assert response.status_code == 201
    number = (
        "SELECT nextval"
        if connection.vendor == "postgresql"
        else "INSERT INTO events_eventnumbersequence"
    )
    # Only this process's statements: the audit trail's seals run after the commit (at once in
    # the tests: AUDIT_SEAL_DELAY is 0), in the background in production.
    statements = [query["sql"] for query in posted.captured_queries]
    begin = next(n for n, sql in enumerate(statements) if sql.startswith("BEGIN"))
    statements = statements[begin : statements.index("COMMIT") + 1]
    kinds = [
        next(
            (
                kind
                for kind in (number, *INSERTS, "BEGIN", "COMMIT")
                if sql.replace('"', "").startswith(kind)
            ),
            sql[:60],
        )
        for sql in statements
    ]
    assert kinds == [
        "BEGIN",
        number,
        "INSERT INTO events_event ",
        "INSERT INTO events_eventstep ",
        "INSERT INTO events_notification ",
        "INSERT INTO portal_publicreport ",
        "INSERT INTO open311_open311request ",
        "INSERT INTO audit_auditentry ",
        "COMMIT",
    ]
    actions = list(AuditEntry.objects.order_by("-id").values_list("action", flat=True)[:3])
    assert actions == [
        "open311.request.create",
        "portal.publicreport.create",
        "events.event.report",
    ]


INSERTS = (
    "INSERT INTO events_event ",
    "INSERT INTO events_eventstep ",
    "INSERT INTO events_notification ",
    "INSERT INTO portal_publicreport ",
    "INSERT INTO open311_open311request ",
    "INSERT INTO audit_auditentry ",
)
