"""The events API through the real HTTP stack, across roles."""

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from jiedao.audit.models import AuditEntry
from jiedao.events.models import Event

from .conftest import HOME_GRID, OTHER_GRID, PNG, act, counts, drive, png, point_in, report

pytestmark = pytest.mark.django_db


def post_json(client: Client, url: str, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def payload(**fields: Any) -> dict[str, Any]:
    lat, lng = point_in(HOME_GRID)
    body = {"category": "E0101", "description": "垃圾桶满溢", "lat": lat, "lng": lng}
    body.update(fields)
    return {key: value for key, value in body.items() if value is not ...}


# --- Create ---------------------------------------------------------------------------------


def test_create_json_answers_201_with_the_detail(client_for: Any) -> None:
    response = post_json(
        client_for("grid_worker"), "/api/events/", payload(reporter_phone="13912345678")
    )

    assert response.status_code == 201
    body = response.json()
    assert body["number"].startswith("WY")
    assert (body["status"], body["grid"]["code"], body["source"]) == (
        "reported",
        HOME_GRID,
        "grid_patrol",
    )
    assert body["reporter_phone"] == "139****5678"
    assert body["responsible_department"] == {
        "code": "command-centre",
        "name": "基层治理综合信息指挥室",
    }
    assert [a["action"] for a in body["allowed_actions"]] == ["self_resolve"]
    assert [step["action"] for step in body["timeline"]] == ["report"]
    assert body["duplicate_candidates"] == []


def test_a_second_report_nearby_gets_the_first_as_a_candidate(client_for: Any) -> None:
    client = client_for("grid_worker")
    first = post_json(client, "/api/events/", payload()).json()

    second = post_json(client, "/api/events/", payload(description="门口垃圾")).json()

    assert [c["event"]["number"] for c in second["duplicate_candidates"]] == [first["number"]]
    assert second["duplicate_candidates"][0]["distance_metres"] == 0.0


def test_idempotency_key_replays_and_refuses_other_content(client_for: Any) -> None:
    client = client_for("resident")
    first = post_json(client, "/api/events/", payload(), **{"Idempotency-Key": "abc-1"})
    assert first.status_code == 201
    before = counts()

    again = post_json(client, "/api/events/", payload(), **{"Idempotency-Key": "abc-1"})
    other = post_json(
        client, "/api/events/", payload(description="别的"), **{"Idempotency-Key": "abc-1"}
    )

    assert (again.status_code, again.json()["number"]) == (200, first.json()["number"])
    assert other.status_code == 422
    assert other.json()["error"]["field"] == "client_key"
    assert counts() == before


def test_form_posts_use_client_uuid_and_carry_photos(client_for: Any) -> None:
    client = client_for("grid_worker")
    form = {**payload(), "client_uuid": "0b7c6f0e-5f6d-4c1e-9a43-2f0f6c1d9e10"}

    first = client.post("/api/events/", {**form, "photos": [png("a.jpg")]})
    again = client.post("/api/events/", {**form, "photos": [png("a.jpg")]})

    assert (first.status_code, again.status_code) == (201, 200)
    body = first.json()
    assert body["number"] == again.json()["number"]
    assert [(p["stage"], p["content_type"]) for p in body["photos"]] == [("before", "image/png")]
    photo_url = body["photos"][0]["url"]
    fetched = client_for("dispatcher").get(photo_url)
    assert (fetched.status_code, fetched["Content-Type"], fetched.content) == (
        200,
        "image/png",
        PNG,
    )
    assert client_for("resident").get(photo_url).status_code == 404


def test_a_grid_worker_reports_and_resolves_on_the_spot_in_one_request(client_for: Any) -> None:
    response = client_for("grid_worker").post(
        "/api/events/",
        {
            **payload(),
            "self_resolved": "true",
            "resolution_note": "已清理",
            "photos": [png("before.png")],
            "after_photos": [png("after.png")],
        },
    )

    body = response.json()
    assert (response.status_code, body["status"], body["is_self_resolved"]) == (201, "closed", True)
    assert [step["action"] for step in body["timeline"]] == ["report", "self_resolve"]


BAD_CREATES = [
    ("no-category", payload_fields := {"category": ...}, "category"),
    ("outside", {"lat": 31.23, "lng": 121.47}, "lat"),
    ("unknown-crs", {"crs": "mercator"}, "crs"),
    ("unknown-grid", {"lat": ..., "lng": ..., "grid": "330109012099001"}, "grid"),
    ("status-is-not-writable", {"status": "closed"}, "status"),
    ("number-is-not-writable", {"number": "WY1"}, "number"),
    ("lat-not-a-number", {"lat": "north"}, "lat"),
]


@pytest.mark.parametrize(
    ("fields", "field"), [pytest.param(f, name, id=i) for i, f, name in BAD_CREATES]
)
def test_bad_creates_are_422_naming_the_field_and_store_nothing(
    fields: dict[str, Any], field: str, client_for: Any
) -> None:
    client = client_for("grid_worker")
    before = counts()

    response = post_json(client, "/api/events/", payload(**fields))

    assert response.status_code == 422, response.content
    assert response.json()["error"]["field"] == field
    assert response.json()["error"]["message"]
    assert counts() == before


@override_settings(EVENT_PHOTO_MAX_BYTES=2048)
@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"just some text pretending to be a photo", "bad_photo_type"),
        (PNG + bytes(4096), "photo_too_large"),
    ],
)
def test_bad_photos_are_422_and_store_nothing(content: bytes, code: str, client_for: Any) -> None:
    client = client_for("grid_worker")
    before = counts()

    response = client.post("/api/events/", {**payload(), "photos": [png("photo.jpg", content)]})

    error = response.json()["error"]
    assert (response.status_code, error["field"], error["code"]) == (422, "photos", code)
    assert "photo.jpg" in error["message"]
    assert counts() == before


def test_invalid_json_is_422(client_for: Any) -> None:
    response = client_for("grid_worker").post(
        "/api/events/", "{not json", content_type="application/json"
    )
    assert (response.status_code, response.json()["error"]["field"]) == (422, "body")


def test_anonymous_requests_are_401() -> None:
    assert Client().get("/api/events/").status_code == 401
    assert post_json(Client(), "/api/events/", {}).status_code == 401


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("resident", 201),
        ("grid_worker", 201),
        ("grid_lead", 201),
        ("dispatcher", 201),
        ("department_handler", 201),
        ("enforcement_officer", 201),
        ("supervisor", 201),
        ("social_organisation", 403),
        ("administrator", 403),
    ],
)
def test_who_may_report(role: str, status: int, client_for: Any) -> None:
    before = counts()
    response = post_json(client_for(role), "/api/events/", payload())
    assert response.status_code == status
    if status == 403:
        assert counts() == before


def test_a_resident_with_an_api_token_reports_and_sees_only_their_own(
    users: Any, demo_password: str
) -> None:
    report(users["grid_worker"])
    token = post_json(
        Client(),
        "/api/accounts/tokens",
        {"username": "jumin", "password": demo_password, "name": "app"},
    ).json()["token"]
    client = Client(headers={"Authorization": f"Bearer {token}"})

    created = post_json(client, "/api/events/", payload(reporter_phone=""))
    listed = client.get("/api/events/")

    assert created.status_code == 201
    assert [item["number"] for item in listed.json()["items"]] == [created.json()["number"]]


# --- List and detail ------------------------------------------------------------------------


@pytest.fixture
def three_events(users: Any) -> dict[str, Event]:
    home = report(users["resident"])
    other = report(grid=OTHER_GRID, category="E0201")
    handled = drive(
        report(grid=OTHER_GRID),
        [("accept", {}), ("dispatch", {"department": "city-management"})],
    )
    return {"home": home, "other": other, "handled": handled}


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("resident", {"home"}),
        ("grid_worker", {"home"}),
        ("grid_lead", {"home"}),
        ("dispatcher", {"home", "other", "handled"}),
        ("department_handler", {"handled"}),
        ("enforcement_officer", set()),
        ("supervisor", {"home", "other", "handled"}),
        ("administrator", {"home", "other", "handled"}),
    ],
)
def test_list_and_detail_per_role(
    role: str, visible: set[str], three_events: dict[str, Event], client_for: Any
) -> None:
    client = client_for(role)

    listed = client.get("/api/events/").json()["items"]

    numbers = {name: event.number for name, event in three_events.items()}
    assert {item["number"] for item in listed} == {numbers[name] for name in visible}
    for name, number in numbers.items():
        detail = client.get(f"/api/events/{number}")
        assert detail.status_code == (200 if name in visible else 404)


def test_social_organisations_do_not_see_events(client_for: Any, three_events: Any) -> None:
    client = client_for("social_organisation")
    assert client.get("/api/events/").status_code == 403
    assert client.get(f"/api/events/{three_events['home'].number}").status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=reported", {"home", "other"}),
        ("status=reported,dispatched", {"home", "other", "handled"}),
        ("status=dispatched&status=reported", {"home", "other", "handled"}),
        ("category=E02", {"other"}),
        ("category=E0101", {"home", "handled"}),
        (f"grid={OTHER_GRID}", {"other", "handled"}),
        (f"community={HOME_GRID[:12]}", {"home"}),
        ("department=city-management", {"handled"}),
        ("department=command-centre", {"home", "other"}),
        ("source=resident", {"home"}),
        ("warning=red", set()),
        ("warning=none", {"home", "other", "handled"}),
        ("created_from=2000-01-01&created_until=2000-12-31", set()),
        ("search=垃圾", {"home", "other", "handled"}),
    ],
)
def test_list_filters(
    query: str, expected: set[str], three_events: dict[str, Event], client_for: Any
) -> None:
    response = client_for("dispatcher").get(f"/api/events/?{query}")

    assert response.status_code == 200
    numbers = {event.number: name for name, event in three_events.items()}
    assert {numbers[item["number"]] for item in response.json()["items"]} == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=open", "status"),
        ("category=Z99", "category"),
        ("grid=330109012099099", "grid"),
        ("community=330109012099", "community"),
        ("department=nowhere", "department"),
        ("source=pigeon", "source"),
        ("warning=orange", "warning"),
        ("cursor=not-a-cursor", "cursor"),
        ("limit=0", "limit"),
        ("created_from=yesterday", "created_from"),
    ],
)
def test_bad_filters_are_422_naming_the_field(query: str, field: str, client_for: Any) -> None:
    response = client_for("dispatcher").get(f"/api/events/?{query}")

    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_keyset_pagination_walks_every_event_once(users: Any, client_for: Any) -> None:
    numbers = [report().number for _ in range(7)]
    client = client_for("dispatcher")

    seen: list[str] = []
    cursor = ""
    pages = 0
    while True:
        page = client.get(f"/api/events/?limit=3&cursor={cursor}").json()
        seen += [item["number"] for item in page["items"]]
        pages += 1
        if not page["next_cursor"]:
            break
        cursor = page["next_cursor"]

    assert (pages, seen) == (3, list(reversed(numbers)))


def test_the_list_costs_the_same_queries_for_3_or_30_events(users: Any, client_for: Any) -> None:
    client = client_for("dispatcher")
    for _ in range(3):
        report()
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/events/").json()["items"]) == 3
    for _ in range(27):
        report()
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/events/").json()["items"]) == 30

    assert len(many) == len(few)


def test_detail_shows_a_masked_phone_and_reveal_is_logged(
    three_events: dict[str, Event], client_for: Any
) -> None:
    number = three_events["home"].number
    detail = client_for("dispatcher").get(f"/api/events/{number}").json()
    assert (detail["reporter_phone"], detail["can_reveal_contact"]) == ("138****5678", True)
    before = AuditEntry.objects.count()

    revealed = client_for("dispatcher").post(f"/api/events/{number}/contact")
    refused = client_for("supervisor").post(f"/api/events/{number}/contact")

    assert (revealed.status_code, revealed.json()["reporter_phone"]) == (200, "13812345678")
    assert refused.status_code == 403
    assert AuditEntry.objects.count() == before + 1


# --- Actions --------------------------------------------------------------------------------


def test_the_whole_flow_by_three_people(client_for: Any) -> None:
    worker, dispatcher, handler = (
        client_for("grid_worker"),
        client_for("dispatcher"),
        client_for("department_handler"),
    )
    number = post_json(worker, "/api/events/", payload()).json()["number"]
    base = f"/api/events/{number}/actions"

    accepted = post_json(dispatcher, f"{base}/accept", {}).json()
    assert accepted["proposed_department"]["code"] == "city-management"
    assert post_json(dispatcher, f"{base}/dispatch", {}).json()["status"] == "dispatched"
    assert post_json(handler, f"{base}/start_handling", {}).json()["status"] == "handling"
    reported_back = handler.post(f"{base}/report_back", {"note": "已清运", "photos": [png()]})
    assert reported_back.json()["status"] == "reported_back"
    assert [p["stage"] for p in reported_back.json()["photos"]] == ["after"]
    closed = post_json(worker, f"{base}/verify_pass", {"note": "核查通过"}).json()

    assert closed["status"] == "closed"
    assert [step["action"] for step in closed["timeline"]] == [
        "report",
        "accept",
        "dispatch",
        "start_handling",
        "report_back",
        "verify_pass",
    ]
    assert closed["allowed_actions"] == []


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("dispatcher", 200),
        ("resident", 404),  # not their report
        ("grid_worker", 403),
        ("grid_lead", 403),
        ("department_handler", 404),  # not their department's (yet)
        ("enforcement_officer", 404),
        ("supervisor", 403),
        ("social_organisation", 403),
        ("administrator", 403),
    ],
)
def test_accept_through_the_api_per_role(
    role: str, status: int, users: Any, client_for: Any
) -> None:
    event = report(users["grid_worker"])
    before = counts()

    response = post_json(client_for(role), f"/api/events/{event.number}/actions/accept", {})

    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["status"] == "accepted"
    else:
        assert counts() == before
        event.refresh_from_db()
        assert event.status == "reported"


def test_a_move_the_status_does_not_allow_is_409_with_the_reason(
    users: Any, client_for: Any
) -> None:
    event = report(users["grid_worker"], self_resolved=True, after_photos=[png()])
    before = counts()

    response = post_json(client_for("dispatcher"), f"/api/events/{event.number}/actions/accept", {})

    error = response.json()["error"]
    assert (response.status_code, error["code"], error["extra"]) == (
        409,
        "invalid_transition",
        {"status": "closed", "action": "accept"},
    )
    assert event.number in error["message"]
    assert counts() == before


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("reject", {}, "reason"),
        ("reject", {"reason": "   "}, "reason"),
        ("dispatch", {"department": "nowhere"}, "department"),
        ("merge", {"primary": "WY19990101-0001"}, "primary"),
        ("accept", {"status": "closed"}, "status"),
    ],
)
def test_missing_or_bad_action_data_is_422(
    action: str, body: dict[str, Any], field: str, users: Any, client_for: Any
) -> None:
    event = report(users["grid_worker"])
    if action == "dispatch":
        event = act(event, "accept")
    before = counts()

    response = post_json(
        client_for("dispatcher"), f"/api/events/{event.number}/actions/{action}", body
    )

    assert (response.status_code, response.json()["error"]["field"]) == (422, field)
    assert counts() == before


def test_an_unknown_action_is_404(users: Any, client_for: Any) -> None:
    event = report(users["grid_worker"])
    response = post_json(
        client_for("dispatcher"), f"/api/events/{event.number}/actions/teleport", {}
    )
    assert (response.status_code, response.json()["error"]["code"]) == (404, "unknown_action")


def test_calling_departments_takes_a_list(users: Any, client_for: Any) -> None:
    event = drive(report(), [("accept", {}), ("dispatch", {"department": "enforcement"})])

    response = client_for("dispatcher").post(
        f"/api/events/{event.number}/actions/call_departments",
        {"departments": ["city-management", "safety"], "note": "联合处置"},
    )

    assert response.status_code == 200
    assert sorted(a["department"]["code"] for a in response.json()["assignments"]) == [
        "city-management",
        "enforcement",
        "safety",
    ]


def test_photos_can_be_added_by_those_working_on_the_event(users: Any, client_for: Any) -> None:
    event = drive(report(), [("accept", {}), ("dispatch", {"department": "city-management"})])
    url = f"/api/events/{event.number}/photos"

    added = client_for("department_handler").post(url, {"photos": [png()], "stage": "handling"})
    refused = client_for("supervisor").post(url, {"photos": [png()]})
    unseen = client_for("enforcement_officer").post(url, {"photos": [png()]})

    assert added.status_code == 201
    assert [p["stage"] for p in added.json()["photos"]] == ["handling"]
    assert (refused.status_code, unseen.status_code) == (403, 404)


def test_duplicates_endpoint(users: Any, client_for: Any) -> None:
    first = report()
    second = report(description="再次上报")

    response = client_for("dispatcher").get(f"/api/events/{second.number}/duplicates")

    assert [c["event"]["number"] for c in response.json()["items"]] == [first.number]


def test_categories_and_notifications(
    users: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    categories = client_for("resident").get("/api/events/categories").json()
    assert len(categories) == 28
    assert categories[0]["code"] == "C0101"
    assert categories[0]["parent_name"] == "设施管理"

    with django_capture_on_commit_callbacks(execute=True):
        post_json(client_for("grid_worker"), "/api/events/", payload())
    dispatcher = client_for("dispatcher")
    notifications = dispatcher.get("/api/events/notifications?unread=true").json()
    assert [n["kind"] for n in notifications] == ["report"]
    read = post_json(dispatcher, "/api/events/notifications/read", {})
    assert read.json() == {"count": 1}
    assert dispatcher.get("/api/events/notifications?unread=true").json() == []


def test_inbox_endpoint(users: Any, client_for: Any) -> None:
    event = report(users["resident"])
    answer = client_for("dispatcher").get("/api/events/inbox").json()
    assert [e["number"] for e in answer["items"]] == [event.number]
    assert (answer["total"], answer["overdue"], answer["next_cursor"]) == (1, 0, None)
    assert [(tab["key"], tab["count"]) for tab in answer["tabs"]] == [
        ("accept", 1),
        ("dispatch", 0),
        ("extension", 0),
        ("verify", 0),
        ("overdue", 0),
    ]
    assert answer["items"][0]["tab"] == "accept"
    empty = client_for("department_handler").get("/api/events/inbox").json()
    assert (empty["items"], empty["total"]) == ([], 0)
    assert [tab["key"] for tab in empty["tabs"]] == [
        "handle",
        "handling",
        "report_in",
        "overdue",
    ]


def test_the_openapi_document_describes_the_events_api(client_for: Any) -> None:
    document = client_for("dispatcher").get("/api/openapi.json").json()
    paths = document["paths"]
    for path in (
        "/api/events/",
        "/api/events/{number}",
        "/api/events/{number}/actions/{action}",
        "/api/events/{number}/photos",
        "/api/events/{number}/duplicates",
        "/api/events/categories",
    ):
        assert path in paths, path
    create = paths["/api/events/"]["post"]["requestBody"]["content"]
    assert set(create) == {"application/json", "multipart/form-data"}
    assert "status" not in create["application/json"]["schema"]["properties"]
