"""The pages and the API: who sees which alarms, staff acknowledge and clear (audited, noted on
the event), the device map and history, the import; lists in a fixed number of statements."""

import json
from typing import Any

import pytest
from django.test import Client

from jiedao.audit.models import AuditEntry
from jiedao.events.models import EventStep
from jiedao.sensors.models import Alarm, Device
from tests.roles import ALL_ROLES

pytestmark = pytest.mark.usefixtures("wenyan_demo")

# role → the open alarms (device codes) the demo shows them; None: not allowed (403)
OPEN_ALARMS = {
    "resident": None,
    "social_organisation": None,
    "grid_worker": ["WY-CAM-001"],
    "grid_lead": ["WY-CAM-001", "WY-FL-001", "WY-SM-001"],
    "dispatcher": ["WY-CAM-001", "WY-EV-002", "WY-FL-001", "WY-MH-001", "WY-SM-001"],
    "department_handler": ["WY-MH-001"],
    "enforcement_officer": [],
    "supervisor": ["WY-CAM-001", "WY-EV-002", "WY-FL-001", "WY-MH-001", "WY-SM-001"],
    "administrator": ["WY-CAM-001", "WY-EV-002", "WY-FL-001", "WY-MH-001", "WY-SM-001"],
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_role_sees_the_alarms_of_its_area(role: str, client_for: Any) -> None:
    client = client_for(role)
    api = client.get("/api/sensors/alarms?state=open")
    page = client.get("/sensors/?state=open")
    expected = OPEN_ALARMS[role]
    if expected is None:
        assert (api.status_code, page.status_code) == (403, 403)
        return
    assert (api.status_code, page.status_code) == (200, 200)
    assert sorted(alarm["device"] for alarm in api.json()) == expected
    # the page shows the same alarms as the API (two doors, one selector)
    shown = sorted(
        code
        for code in Device.objects.values_list("code", flat=True)
        if f"<strong>{code}</strong>" in page.content.decode()
    )
    assert shown == expected


def test_the_alarm_list_runs_a_fixed_number_of_statements(
    client_for: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for("dispatcher")
    client.get("/api/sensors/alarms?state=")  # warm the session and caches
    with django_assert_max_num_queries(8) as few:
        assert len(client.get("/api/sensors/alarms?state=").json()) == 8
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/sensors/alarms?state=open")


def test_acknowledge_then_clear_is_audited_and_noted_on_the_event(client_for: Any) -> None:
    alarm = Alarm.objects.get(device__code="WY-MH-001", state="active")
    client = client_for("department_handler")
    audits = AuditEntry.objects.count()
    answer = client.post(
        f"/api/sensors/alarms/{alarm.pk}/acknowledge",
        {"note": "已派人"},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert (answer.json()["state"], answer.json()["actions"]) == ("acknowledged", ["clear"])
    again = client.post(
        f"/api/sensors/alarms/{alarm.pk}/acknowledge", {}, content_type="application/json"
    )
    assert again.status_code == 409
    page = client.post(f"/sensors/alarms/{alarm.pk}/clear/", {"next": "/sensors/"})
    assert page.status_code == 302
    alarm.refresh_from_db()
    assert alarm.state == "cleared"
    assert alarm.cleared_by is not None
    assert alarm.cleared_by.username == "chengguan"
    assert list(
        AuditEntry.objects.filter(pk__gt=0).order_by("-id")[:2].values_list("action", flat=True)
    ) == ["sensors.alarm.clear", "sensors.alarm.acknowledge"]
    assert AuditEntry.objects.count() == audits + 2
    notes = EventStep.objects.filter(event_id=alarm.event_id, action="sensor")
    assert notes.count() == 2
    assert all(step.data["device"] == "WY-MH-001" for step in notes)


@pytest.mark.parametrize("role", ["resident", "enforcement_officer", "supervisor"])
def test_who_may_not_acknowledge_changes_nothing(role: str, client_for: Any) -> None:
    alarm = Alarm.objects.get(device__code="WY-MH-001", state="active")
    audits = AuditEntry.objects.count()
    answer = client_for(role).post(
        f"/api/sensors/alarms/{alarm.pk}/acknowledge", {}, content_type="application/json"
    )
    # the enforcement officer cannot see the device (404); the others may not act (403)
    assert (
        answer.status_code == {"resident": 403, "enforcement_officer": 404, "supervisor": 403}[role]
    )
    alarm.refresh_from_db()
    assert alarm.state == "active"
    assert AuditEntry.objects.count() == audits


def test_the_device_map_and_detail(client_for: Any) -> None:
    client = client_for("dispatcher")
    devices = client.get("/api/sensors/devices").json()
    states = {device["code"]: device["state"] for device in devices}
    assert states == {
        "WY-CAM-001": "alarm",
        "WY-CAM-002": "silent",
        "WY-CAM-003": "normal",
        "WY-EV-001": "silent",
        "WY-EV-002": "alarm",
        "WY-FL-001": "alarm",
        "WY-FL-002": "normal",
        "WY-MH-001": "alarm",
        "WY-SM-001": "alarm",
        "WY-SM-002": "normal",
        "WY-WQ-001": "silent",
        "WY-WQ-002": "normal",
    }
    page = client.get("/sensors/map/")
    assert page.status_code == 200
    features = json.loads(
        page.content.decode()
        .split('id="sensor-devices" type="application/json">')[1]
        .split("</script>")[0]
    )["features"]
    assert {f["properties"]["code"]: f["properties"]["state"] for f in features} == states
    device = Device.objects.get(code="WY-WQ-001")
    detail = client.get(f"/api/sensors/devices/{device.pk}").json()
    assert [(a["state"], a["count"]) for a in detail["alarms"]] == [("cleared", 6)]
    assert len(detail["messages"]) == 7
    assert client.get(f"/sensors/devices/{device.pk}/").status_code == 200


CSV = (
    "编号,名称,类型,纬度,经度,权属部门,地址\n"
    "WY-NEW-1,新烟感1,smoke-detector,{lat},{lng},safety,某处\n"
    "WY-NEW-2,新烟感2,smoke-detector,{lat},{lng},no-such-department,某处\n"
)


def test_the_import_is_all_or_nothing(client_for: Any) -> None:
    device = Device.objects.get(code="WY-SM-001")
    content = CSV.format(lat=device.lat, lng=device.lng).encode()
    client: Client = client_for("administrator")
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post(
        "/api/sensors/devices/import",
        {"file": SimpleUploadedFile("devices.csv", content, content_type="text/csv")},
    )
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "file"
    assert "3" in answer.json()["error"]["message"]
    assert not Device.objects.filter(code__startswith="WY-NEW").exists()
    good = content.replace(b"no-such-department", b"safety")
    answer = client.post(
        "/sensors/import/",
        {"file": SimpleUploadedFile("devices.csv", good, content_type="text/csv")},
    )
    assert answer.status_code == 302
    assert sorted(
        Device.objects.filter(code__startswith="WY-NEW").values_list("code", "grid_id")
    ) == [
        ("WY-NEW-1", device.grid_id),
        ("WY-NEW-2", device.grid_id),
    ]


def test_the_import_names_a_column_by_its_label_once(client_for: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    device = Device.objects.get(code="WY-SM-001")
    content = (
        "编号,名称,类型,纬度,经度,权属部门,地址\n"
        f"WY-NEW-1,,smoke-detector,{device.lat},{device.lng},safety,某处\n"
        f"WY-NEW-2,新烟感2,smoke-detector,{device.lat},{device.lng},no-such-department,某处\n"
    ).encode()

    page = client_for("administrator").post(
        "/sensors/import/",
        {"file": SimpleUploadedFile("devices.csv", content, content_type="text/csv")},
    )

    assert page.status_code == 422
    assert "第 2 行：名称 为必填项。" in page.content.decode()
    assert not Device.objects.filter(code__startswith="WY-NEW").exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_home_card_and_navigation(role: str, users: Any, client_for: Any) -> None:
    from jiedao.web.cards import cards_for

    found = [card for card in cards_for(users[role]) if card.url == "/sensors/?state=open"]
    expected = OPEN_ALARMS[role]
    if expected is None:
        assert found == []
        return
    assert [(card.count, card.urgent) for card in found] == [(len(expected), len(expected))]
    page = client_for(role).get("/")
    assert 'href="/sensors/"' in page.content.decode()
