"""The event pages for each role: report form, inboxes, detail with its actions, photos, the map of
open events and notifications. The test client sends no Accept-Language: pages are in Chinese."""

import json
import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import translation

from jiedao.audit.models import AuditEntry
from jiedao.core.errors import ApplicationError
from jiedao.events import selectors, services
from jiedao.events.models import Event, EventPhoto, EventStep, Notification
from tests.roles import ALL_ROLES

from .conftest import HOME_GRID, JPEG, OTHER_GRID, act, png, point_in, report

pytestmark = pytest.mark.django_db

REPORTERS = {
    "resident",
    "grid_worker",
    "grid_lead",
    "dispatcher",
    "department_handler",
    "enforcement_officer",
    "supervisor",
}
NOT_IN_SCOPE = "未找到，或不在您的管辖范围内。"
CITY_MANAGEMENT = "城市综合管理队"


def html(response: Any) -> str:
    return response.content.decode()


def client(user: Any) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def rendered_actions(page: str, number: str) -> list[str]:
    """The actions whose forms the page renders for ``number``, in page order, once each."""
    found = re.findall(rf'action="/events/{re.escape(number)}/actions/([a-z_]+)/"', page)
    return sorted(set(found))


def report_form(users: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    lat, lng = point_in(HOME_GRID)
    data = {
        "category": "E0101",
        "description": "三江路口垃圾堆积",
        "lat": f"{lat:.6f}",
        "lng": f"{lng:.6f}",
        "address": "三江路1号",
        "urgency": "normal",
        "client_uuid": "6d1c2a56-0d0e-4f44-9d55-3f0c4a7e0001",
    }
    data.update(overrides)
    return data


def json_script(page: str, element_id: str) -> Any:
    match = re.search(
        rf'<script id="{re.escape(element_id)}" type="application/json">(.*?)</script>',
        page,
        re.DOTALL,
    )
    assert match, element_id
    return json.loads(match.group(1))


# --- Report form ----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_report_form_is_offered_to_the_roles_that_report(users, role):
    response = client(users[role]).get("/events/report/")

    if role in REPORTERS:
        assert response.status_code == 200
        page = html(response)
        assert "<h1>上报事件</h1>" in page
        assert 'accept="image/*" capture="environment"' in page
        assert re.search(r'name="client_uuid" value="[0-9a-f-]{36}"', page)
        assert 'value="E0101"' in page  # the catalogue is in the page for type-ahead
        assert ('name="self_resolved"' in page) is (role == "grid_worker")
        assert ('name="reporter_phone"' in page) is (role not in {"grid_worker", "resident"})
    else:
        assert response.status_code == 403


def test_grid_worker_reports_an_event_and_lands_on_its_detail(users):
    browser = client(users["grid_worker"])

    response = browser.post("/events/report/", report_form(users, photos=png()))

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.number}/"
    assert (event.category.code, event.source, event.grid.code) == (
        "E0101",
        "grid_patrol",
        HOME_GRID,
    )
    assert event.status == "reported"
    assert event.photos.count() == 1
    page = html(browser.get(response["Location"]))
    assert f"事件 {event.number} 已上报。" in page


def test_a_resent_report_returns_the_first_event(users):
    browser = client(users["grid_worker"])
    first = browser.post("/events/report/", report_form(users))

    again = browser.post("/events/report/", report_form(users))

    assert Event.objects.count() == 1
    assert again.status_code == 302
    assert again["Location"] == first["Location"]


def test_grid_worker_resolves_on_the_spot_with_an_after_photo(users):
    browser = client(users["grid_worker"])

    response = browser.post(
        "/events/report/",
        report_form(
            users, self_resolved="on", after_photos=png("after.png"), resolution_note="已清理"
        ),
    )

    event = Event.objects.get()
    assert response.status_code == 302
    assert (event.status, event.is_self_resolved) == ("closed", True)
    assert list(event.photos.values_list("stage", flat=True)) == ["after"]


def service_message(actor: Any, form: dict[str, Any]) -> str:
    """The message the service gives for this report, in Chinese (what the page must show)."""
    values = {key: value for key, value in form.items() if key not in ("client_uuid", "photos")}
    values["lat"], values["lng"] = float(values["lat"]), float(values["lng"])
    photos = form.get("photos")
    with translation.override("zh-hans"):
        try:
            services.event_report(actor=actor, photos=[photos] if photos else [], **values)
        except ApplicationError as error:
            if photos:
                photos.seek(0)
            return str(error.message)
    raise AssertionError("the service accepted the report")


def assert_nothing_stored() -> None:
    assert Event.objects.count() == 0
    assert EventStep.objects.count() == 0
    assert EventPhoto.objects.count() == 0
    assert AuditEntry.objects.filter(action__startswith="events.event").count() == 0


def field_error(page: str, field_id: str) -> str:
    """The error shown inside the field block that contains the input ``field_id``."""
    match = re.search(
        rf'<div class="field has-error"[^>]*>(?:(?!<div class="field).)*?id="{field_id}".*?'
        r'<p class="field-error" role="alert"[^>]*>(.*?)</p>',
        page,
        re.DOTALL,
    )
    assert match, f"no error at {field_id}"
    return match.group(1)


def test_report_without_category_names_the_category(users):
    form = report_form(users, category="")
    expected = service_message(users["grid_worker"], form)

    response = client(users["grid_worker"]).post("/events/report/", form)

    assert response.status_code == 422
    assert field_error(html(response), "category-search") == expected
    assert_nothing_stored()


def test_report_outside_the_subdistrict_names_the_location(users):
    form = report_form(users, lat="31.230000", lng="121.470000")
    expected = service_message(users["grid_worker"], form)

    response = client(users["grid_worker"]).post("/events/report/", form)

    assert response.status_code == 422
    assert f'id="error-location">{expected}</p>' in html(response)
    assert_nothing_stored()


def test_report_with_a_file_that_is_not_an_image_names_the_photos(users):
    form = report_form(users, photos=png("notes.png", b"just some text, not an image"))
    expected = service_message(users["grid_worker"], form)

    response = client(users["grid_worker"]).post("/events/report/", form)

    assert response.status_code == 422
    assert "notes.png" in expected
    assert field_error(html(response), "id_photos") == expected
    assert_nothing_stored()


@override_settings(EVENT_PHOTO_MAX_BYTES=1024)
def test_report_with_an_oversized_photo_names_the_photos(users):
    form = report_form(users, photos=png("big.jpg", JPEG + bytes(2048)))
    expected = service_message(users["grid_worker"], form)

    response = client(users["grid_worker"]).post("/events/report/", form)

    assert response.status_code == 422
    assert "big.jpg" in expected
    assert field_error(html(response), "id_photos") == expected
    assert_nothing_stored()


def test_duplicate_candidates_are_offered_while_filling_in(users):
    existing = report(users["grid_worker"])
    lat, lng = point_in(HOME_GRID)

    response = client(users["grid_worker"]).get(
        "/events/report/duplicates/", {"category": "E0101", "lat": lat, "lng": lng}
    )

    assert response.status_code == 200
    assert f'href="/events/{existing.number}/"' in html(response)
    other = client(users["grid_worker"]).get(
        "/events/report/duplicates/", {"category": "E0102", "lat": lat, "lng": lng}
    )
    assert existing.number not in html(other)


# --- Inboxes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "title", "sees_home_event", "sees_other_event"),
    [
        ("dispatcher", "我管辖范围内的事件", True, True),
        ("supervisor", "我管辖范围内的事件", True, True),
        ("grid_worker", "我管辖范围内的事件", True, False),
        ("grid_lead", "我管辖范围内的事件", True, False),
        ("department_handler", "我管辖范围内的事件", False, False),
        ("enforcement_officer", "我管辖范围内的事件", False, False),
        ("resident", "我的上报", False, False),
        ("administrator", "我管辖范围内的事件", True, True),
    ],
)
def test_list_shows_the_events_of_the_users_scope(
    users, role, title, sees_home_event, sees_other_event
):
    home = report(users["dispatcher"], source="hotline_12345")
    other = report(users["dispatcher"], grid=OTHER_GRID, source="hotline_12345")

    response = client(users[role]).get("/events/all/")

    assert response.status_code == 200
    page = html(response)
    assert f"<h1>{title}</h1>" in page
    assert (f'id="event-{home.number}"' in page) is sees_home_event
    assert (f'id="event-{other.number}"' in page) is sees_other_event


@pytest.mark.parametrize(
    ("role", "title", "sees_reported"),
    [
        ("dispatcher", "调度待办", True),
        ("grid_worker", "待办", False),
        ("department_handler", "部门待办", False),
    ],
)
def test_inbox_shows_what_waits_for_the_user(users, role, title, sees_reported):
    reported = report(users["dispatcher"], source="hotline_12345")

    page = html(client(users[role]).get("/events/"))

    assert f"<h1>{title}</h1>" in page
    assert (f'id="event-{reported.number}"' in page) is sees_reported
    assert '<a class="button" href="/events/all/" id="switch-list">' in page


@pytest.mark.parametrize("role", ["grid_lead", "supervisor", "administrator", "resident"])
def test_a_role_without_a_to_do_list_is_sent_to_the_events_of_its_scope(users, role):
    response = client(users[role]).get("/events/")

    assert (response.status_code, response["Location"]) == (302, "/events/all/")


@pytest.mark.parametrize("url", ["/events/", "/events/all/"])
def test_inbox_and_list_are_not_for_social_organisations(users, url):
    assert client(users["social_organisation"]).get(url).status_code == 403


def test_dispatcher_inbox_shows_the_proposed_department_and_only_allowed_quick_actions(users):
    event = report(users["grid_worker"])

    page = html(client(users["dispatcher"]).get("/events/"))

    row = page.split(f'id="event-{event.number}"')[1].split("</li>")[0]
    assert f"建议部门: <strong>{CITY_MANAGEMENT}</strong>" in row
    assert rendered_actions(row, event.number) == ["accept"]
    assert f'href="/events/{event.number}/#action-reject"' in row
    worker_page = html(client(users["grid_worker"]).get("/events/all/"))
    worker_row = worker_page.split(f'id="event-{event.number}"')[1].split("</li>")[0]
    assert rendered_actions(worker_row, event.number) == []
    assert "#action-reject" not in worker_row


def test_department_inbox_lists_what_the_department_was_dispatched(users):
    event = report(users["grid_worker"])
    act(event, "accept")
    act(event, "dispatch", department="city-management")
    elsewhere = report(users["grid_worker"])
    act(elsewhere, "accept")
    act(elsewhere, "dispatch", department="police")

    page = html(client(users["department_handler"]).get("/events/"))

    assert f'id="event-{event.number}"' in page
    assert f'id="event-{elsewhere.number}"' not in page
    assert f"负责: {CITY_MANAGEMENT}" in page


def test_inbox_filters_with_htmx_return_the_list_only(users):
    reported = report(users["grid_worker"])
    accepted = report(users["grid_worker"], category="E0102")
    act(accepted, "accept")

    response = client(users["dispatcher"]).get(
        "/events/", {"status": "accepted"}, headers={"HX-Request": "true"}
    )

    page = html(response)
    assert page.startswith('<ul class="event-list" id="event-list"')
    assert f'id="event-{accepted.number}"' in page
    assert f'id="event-{reported.number}"' not in page
    # The tabs come along out of band, with the counts of the filtered list.
    assert '<nav class="todo-tabs" id="todo-tabs" hx-swap-oob="true"' in page
    assert re.findall(r'id="tab-([a-z]+)"[^>]*>[^<]*<span class="count">(\d+)</span>', page) == [
        ("all", "1"),
        ("accept", "0"),
        ("dispatch", "1"),
        ("extension", "0"),
        ("verify", "0"),
        ("overdue", "0"),
    ]
    by_category = html(
        client(users["dispatcher"]).get("/events/", {"category": "E01", "status": "all"})
    )
    assert f'id="event-{accepted.number}"' in by_category
    assert f'id="event-{reported.number}"' in by_category


@pytest.mark.parametrize("url", ["/events/", "/events/all/"])
def test_the_filter_panel_says_shaixuan_on_its_title_and_its_button(users, url):
    # The button's "Filter" has its own context: Django's admin translates the bare word 过滤器.
    page = html(client(users["dispatcher"]).get(url))
    assert (
        re.findall(r"<summary>(.*?)</summary>", page),
        re.findall(
            r'<button type="submit" class="primary" id="filter-submit">(.*?)</button>', page
        ),
    ) == (["筛选条件"], ["筛选"])


def test_inbox_rejects_an_unknown_filter_value(users):
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as refused:
        selectors.event_list(
            user=users["dispatcher"], filters=selectors.EventFilters(warning="purple")
        )

    response = client(users["dispatcher"]).get("/events/", {"warning": "purple"})

    assert response.status_code == 422
    assert str(refused.value.message) in html(response)


@pytest.mark.parametrize(("url", "newest_first"), [("/events/", False), ("/events/all/", True)])
def test_inbox_and_list_page_by_keyset_with_a_more_button(users, url, newest_first):
    numbers = [
        report(users["grid_worker"], description=f"第{index}处").number for index in range(33)
    ]
    expected = list(reversed(numbers)) if newest_first else numbers
    browser = client(users["dispatcher"])

    first = html(browser.get(url))

    shown = re.findall(r'id="event-(WY[^"]+)"', first)
    assert shown == expected[:30]
    cursor = re.search(r"cursor=([A-Za-z0-9_-]+)", first)
    assert cursor
    assert f'hx-get="{url}?cursor={cursor.group(1)}"' in first
    more = html(browser.get(url, {"cursor": cursor.group(1)}, headers={"HX-Request": "true"}))
    assert re.findall(r'id="event-(WY[^"]+)"', more) == expected[30:]
    assert "cursor=" not in more


@pytest.mark.parametrize("count", [3, 30])
def test_inbox_queries_do_not_grow_with_the_rows(users, count, django_assert_max_num_queries):
    for index in range(count):
        event = report(users["grid_worker"], description=f"第{index}处")
        if index % 3 == 1:
            act(event, "accept")
    browser = client(users["dispatcher"])

    with django_assert_max_num_queries(16):
        response = browser.get("/events/")

    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 30])
def test_department_inbox_queries_do_not_grow_with_the_rows(
    users, count, django_assert_max_num_queries
):
    for index in range(count):
        event = report(users["grid_worker"], description=f"第{index}处")
        act(event, "accept")
        act(event, "dispatch", department="city-management")
    browser = client(users["department_handler"])

    with django_assert_max_num_queries(16):
        response = browser.get("/events/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert html(response).count('<li class="event-row ') == count


# --- Detail and actions ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_detail_renders_exactly_the_allowed_actions(users, role):
    event = report(users["grid_worker"], reporter_name="张居民", reporter_phone="13812345678")

    response = client(users[role]).get(f"/events/{event.number}/")

    visible = (
        selectors.event_queryset(user=users[role]).filter(pk=event.pk).exists()
        if role != "social_organisation"
        else False
    )
    if not visible:
        assert response.status_code in (403, 404)
        return
    assert response.status_code == 200
    page = html(response)
    expected = sorted(
        allowed.action for allowed in selectors.event_allowed_actions(event=event, user=users[role])
    )
    assert rendered_actions(page, event.number) == expected
    assert '<span class="code">138****5678</span>' in page
    assert "13812345678" not in page
    assert ("显示号码" in page) is (role in {"dispatcher", "grid_worker"})


def test_detail_of_another_grids_event_is_not_found(users):
    event = report(users["dispatcher"], grid=OTHER_GRID, source="hotline_12345")

    response = client(users["grid_worker"]).get(f"/events/{event.number}/")

    assert response.status_code == 404
    assert NOT_IN_SCOPE in html(response)


def test_detail_shows_facts_timeline_and_the_proposal(users):
    event = report(users["grid_worker"], photos=[png()])
    act(event, "accept")

    page = html(client(users["dispatcher"]).get(f"/events/{event.number}/"))

    assert '<span class="tag status status-accepted" id="event-status">已受理</span>' in page
    assert f'<dd id="event-proposed">{CITY_MANAGEMENT}</dd>' in page
    assert re.findall(r'<p class="timeline-head"><strong>(.*?)</strong>', page) == ["上报", "受理"]
    photo = event.photos.get()
    assert f'src="/events/{event.number}/photos/{photo.pk}/"' in page
    assert json_script(page, "event-point")["number"] == event.number
    assert [feature["id"] for feature in json_script(page, "event-grid")["features"]] == [HOME_GRID]


def test_an_action_through_the_page_changes_the_event(users):
    event = report(users["grid_worker"])
    act(event, "accept")

    response = client(users["dispatcher"]).post(
        f"/events/{event.number}/actions/dispatch/", {"department": "city-management"}
    )

    event.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.number}/"
    assert (event.status, event.responsible_department.code) == ("dispatched", "city-management")


def test_a_quick_action_returns_to_the_inbox(users):
    event = report(users["grid_worker"])

    response = client(users["dispatcher"]).post(
        f"/events/{event.number}/actions/accept/", {"next": "/events/?status=open"}
    )

    event.refresh_from_db()
    assert response["Location"] == "/events/?status=open"
    assert event.status == "accepted"


def test_an_action_the_status_does_not_allow_is_a_409_and_changes_nothing(users):
    event = report(users["grid_worker"])
    steps = EventStep.objects.count()
    audits = AuditEntry.objects.count()

    with translation.override("zh-hans"), pytest.raises(ApplicationError) as refused:
        act(event, "verify_pass", users["dispatcher"])

    response = client(users["dispatcher"]).post(f"/events/{event.number}/actions/verify_pass/")

    event.refresh_from_db()
    assert response.status_code == 409
    assert f"<p>{refused.value.message}</p>" in html(response)
    assert "409" not in html(response).split('id="action-error">')[1].split("</div>")[0]
    assert '<div class="notice notice-error action-error" role="alert" id="action-error">' in html(
        response
    )
    assert event.status == "reported"
    assert (EventStep.objects.count(), AuditEntry.objects.count()) == (steps, audits)


def test_an_action_without_its_required_data_is_a_422_and_changes_nothing(users):
    event = report(users["grid_worker"])

    response = client(users["dispatcher"]).post(
        f"/events/{event.number}/actions/reject/", {"reason": ""}
    )

    event.refresh_from_db()
    assert response.status_code == 422
    assert "reason" in html(response)
    assert event.status == "reported"
    assert EventStep.objects.filter(event=event).count() == 1


def test_an_action_by_a_role_that_may_not_is_a_403_and_changes_nothing(users):
    event = report(users["grid_worker"])

    response = client(users["grid_worker"]).post(f"/events/{event.number}/actions/accept/")

    event.refresh_from_db()
    assert response.status_code == 403
    assert event.status == "reported"


def test_an_action_on_an_event_out_of_scope_is_not_found(users):
    event = report(users["dispatcher"], grid=OTHER_GRID, source="hotline_12345")
    act(event, "accept")
    act(event, "dispatch", department="city-management")
    act(event, "start_handling")

    response = client(users["grid_worker"]).post(f"/events/{event.number}/actions/verify_pass/")

    assert response.status_code == 404
    event.refresh_from_db()
    assert event.status == "handling"


def test_revealing_the_phone_is_logged(users):
    event = report(users["grid_worker"], reporter_name="张居民", reporter_phone="13812345678")

    response = client(users["dispatcher"]).post(
        f"/events/{event.number}/contact/", headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert 'href="tel:13812345678"' in html(response)
    entry = AuditEntry.objects.get(action="events.event.reveal_contact")
    assert entry.actor_id == users["dispatcher"].pk


def test_revealing_the_phone_is_refused_to_a_supervisor(users):
    event = report(users["grid_worker"], reporter_name="张居民", reporter_phone="13812345678")

    response = client(users["supervisor"]).post(f"/events/{event.number}/contact/")

    assert response.status_code == 403
    assert "13812345678" not in html(response)
    assert not AuditEntry.objects.filter(action="events.event.reveal_contact").exists()


def test_photos_are_served_only_within_scope(users):
    event = report(users["dispatcher"], grid=OTHER_GRID, source="hotline_12345", photos=[png()])
    photo = event.photos.get()
    url = f"/events/{event.number}/photos/{photo.pk}/"

    allowed = client(users["dispatcher"]).get(url)
    refused = client(users["grid_worker"]).get(url)

    assert allowed.status_code == 200
    assert allowed["Content-Type"] == "image/png"
    assert allowed.content.startswith(b"\x89PNG")
    assert refused.status_code == 404


# --- Map and notifications ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [("dispatcher", 2), ("grid_worker", 1), ("department_handler", 0), ("resident", 0)],
)
def test_map_shows_the_open_events_of_the_scope(users, role, expected):
    home = report(users["dispatcher"], source="hotline_12345")
    other = report(users["dispatcher"], grid=OTHER_GRID, source="hotline_12345")
    closed = report(users["grid_worker"], category="E0102")
    act(closed, "reject", reason="重复")

    response = client(users[role]).get("/events/map/")

    assert response.status_code == 200
    features = json_script(html(response), "open-events")["features"]
    assert len(features) == expected
    assert [feature["properties"]["warning"] for feature in features] == ["none"] * expected
    shown = {"dispatcher": [home, other], "grid_worker": [home]}.get(role, [])
    assert sorted(feature["properties"]["url"] for feature in features) == sorted(
        f"/events/{event.number}/" for event in shown
    )


def test_notifications_are_listed_and_marked_read(users):
    event = report(users["grid_worker"])
    act(event, "accept")
    act(event, "dispatch", department="city-management")
    # The department's staff are told in the dispatch's own transaction.
    assert Notification.objects.filter(user=users["department_handler"]).count() == 1
    browser = client(users["department_handler"])

    page = html(browser.get("/events/notifications/"))
    assert f'href="/events/{event.number}/"' in page
    assert '<p class="lead" id="unread-count">1 条未读</p>' in page

    response = browser.post("/events/notifications/read/")

    assert response.status_code == 302
    assert (
        Notification.objects.filter(user=users["department_handler"], read_at__isnull=True).count()
        == 0
    )
    assert '<p class="lead" id="unread-count">0 条未读</p>' in html(
        browser.get("/events/notifications/")
    )


def test_notifications_of_others_cannot_be_marked(users):
    event = report(users["grid_worker"])
    other = Notification.objects.create(
        user=users["dispatcher"], event=event, kind="report", message="上报"
    )

    client(users["department_handler"]).post("/events/notifications/read/", {"id": str(other.pk)})

    other.refresh_from_db()
    assert other.read_at is None


def test_dispatcher_enters_a_12345_call_with_only_the_grid(users):
    browser = client(users["dispatcher"])
    form = report_form(users, lat="", lng="", grid=OTHER_GRID, source="hotline_12345")
    form.update(reporter_name="李先生", reporter_phone="13900001111")

    response = browser.post("/events/report/", form)

    event = Event.objects.get()
    assert response.status_code == 302
    assert (event.source, event.grid.code, event.is_location_approximate) == (
        "hotline_12345",
        OTHER_GRID,
        True,
    )
    assert (event.reporter_name, event.reporter_phone) == ("李先生", "13900001111")


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("url", ["/events/map/", "/events/notifications/"])
def test_map_and_notifications_pages_by_role(users, role, url):
    response = client(users[role]).get(url)

    if role == "social_organisation":
        assert response.status_code == 403
        return
    assert response.status_code == 200
    title = "未办结事件" if url == "/events/map/" else "消息通知"
    assert f"<h1>{title}</h1>" in html(response)


def test_pages_switch_to_english(users):
    event = report(users["grid_worker"])
    browser = client(users["dispatcher"])
    browser.cookies["django_language"] = "en"

    inbox = html(browser.get("/events/"))
    detail = html(browser.get(f"/events/{event.number}/"))

    assert "<h1>Dispatch to-do list</h1>" in inbox
    assert '<span class="tag status status-reported" id="event-status">Reported</span>' in detail
    assert '<h2 id="actions-title">What you can do</h2>' in detail


def test_inbox_proposals_agree_with_the_duty_matrix(users):
    from jiedao.events.models import Category, DutyAssignment
    from jiedao.events.routing import route_propose, route_propose_many
    from jiedao.geo.models import Department, Grid

    DutyAssignment.objects.create(
        category=Category.objects.get(code="E0101"),
        grid=Grid.objects.get(code=OTHER_GRID),
        department=Department.objects.get(code="safety"),
    )
    events = [
        report(users["dispatcher"], source="hotline_12345", category=code, grid=grid)
        for code in ("E0101", "E0103", "E0201")
        for grid in (HOME_GRID, OTHER_GRID)
    ]
    listed = list(selectors.event_list(user=users["dispatcher"]).items)

    proposals = route_propose_many(listed)

    assert {pk: department.code for pk, department in proposals.items() if department} == {
        event.pk: route_propose(event).code for event in events
    }
    assert proposals[events[1].pk].code == "safety"
