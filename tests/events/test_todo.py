"""The to-do list (待办): what waits for each role, the most urgent first, in tabs with exact
counts, the same on the page and at ``/api/events/inbox``; returned and supervised events flagged;
the role homes' cards and the navigation's unread badge."""

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from jiedao.core.errors import InvalidInput
from jiedao.core.localtime import local_today
from jiedao.events import todo
from jiedao.events.deadlines import time_left
from jiedao.events.models import Event, Notification
from jiedao.events.workflow import WAITING_ACTIONS
from jiedao.web import cards
from jiedao.web.context_processors import _unread_notifications
from tests.roles import ALL_ROLES

from .conftest import act, counts, report

SHANGHAI = ZoneInfo("Asia/Shanghai")
CITY_MANAGEMENT = "city-management"
ROW = re.compile(r'<li class="event-row [^"]*" id="event-(WY[^"]+)"')
TAB = re.compile(r'id="tab-([a-z_]+)"[^>]*>[^<]*<span class="count">(\d+)</span>')


def client(user: Any) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


def dispatched(days_ago: int = 0) -> Event:
    event = report(at=ago(days_ago) if days_ago else None)
    at = ago(days_ago) + timedelta(minutes=5) if days_ago else None
    act(event, "accept", at=at)
    return act(event, "dispatch", department=CITY_MANAGEMENT, at=at)


def reported_back() -> Event:
    event = dispatched()
    act(event, "start_handling")
    return act(event, "report_back", note="已清理")


# --- The table ------------------------------------------------------------------------------


def test_every_waiting_action_has_a_tab_in_a_fixed_order():
    assert set(todo.TAB_OF_ACTION) == set(WAITING_ACTIONS)
    assert [key for key, _label in todo.TAB_OF_ACTION.values()] == [
        "accept",
        "dispatch",
        "handle",
        "handling",
        "extension",
        "report_in",
        "verify",
    ]


@pytest.mark.parametrize(
    ("role", "tabs"),
    [
        ("dispatcher", ["accept", "dispatch", "extension", "verify"]),
        ("grid_worker", ["verify"]),
        ("department_handler", ["handle", "handling", "report_in"]),
        ("enforcement_officer", ["handle", "handling", "report_in"]),
        ("grid_lead", []),
        ("supervisor", []),
        ("administrator", []),
        ("resident", []),
        ("social_organisation", []),
    ],
)
def test_each_role_has_the_tabs_of_the_steps_it_takes(users, role, tabs):
    assert list(todo.tab_conditions(users[role])) == tabs


# --- Working time left ----------------------------------------------------------------------


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("now", "due", "english", "chinese"),
    [
        # Monday 30 November 2026; office hours 08:30–12:00 and 13:30–17:30 (7.5 hours a day).
        (local(30, 8, 30), local(30, 10, 30), "2 hours left", "剩余 2 小时"),
        (local(30, 11, 30), local(30, 14, 0), "1 hour left", "剩余 1 小时"),
        (local(30, 10, 20), local(30, 10, 30), "10 minutes left", "剩余 10 分钟"),
        # From Friday 27th 17:00 to Monday 30th 09:30: half an hour on Friday, one on Monday.
        (local(27, 17, 0), local(30, 9, 30), "1 hour left", "剩余 1 小时"),
        (
            local(30, 10, 30) + timedelta(days=1),
            local(30, 10, 30),
            "Overdue by 1 working day",
            "已超期 1 个工作日",
        ),
        (local(30, 12, 30), local(30, 11, 0), "Overdue by 1 hour", "已超期 1 小时"),
        (
            local(30, 10, 30),
            local(
                30,
                10,
                30,
            )
            + timedelta(seconds=30),
            "Due now",
            "即将到期",
        ),
    ],
)
def test_time_left_counts_office_hours_only(now, due, english, chinese):
    with translation.override("en"):
        assert time_left(due, now).label == english
    with translation.override("zh-hans"):
        assert time_left(due, now).label == chinese
    assert time_left(due, now).is_overdue is (now > due)


# --- Order, tabs and counts -----------------------------------------------------------------


def test_the_dispatchers_list_puts_the_overdue_first_then_the_nearest_deadline(users):
    recent = report()
    overdue = report(at=ago(10))
    older_overdue = report(at=ago(20))
    to_verify = reported_back()

    page = todo.event_todo_page(user=users["dispatcher"])

    assert [item.event.number for item in page.items] == [
        older_overdue.number,
        overdue.number,
        recent.number,
        to_verify.number,
    ]
    assert [item.tab for item in page.items] == ["accept", "accept", "accept", "verify"]
    assert [(tab.key, tab.count) for tab in page.tabs] == [
        ("accept", 3),
        ("dispatch", 0),
        ("extension", 0),
        ("verify", 1),
        ("overdue", 2),
    ]
    assert (page.total, page.overdue, page.next_cursor) == (4, 2, None)
    assert [item.time_left is not None and item.time_left.is_overdue for item in page.items] == [
        True,
        True,
        False,
        False,
    ]
    assert page.items[3].time_left is None  # waiting for verification: no deadline runs


def test_a_tab_narrows_the_list_and_the_cursor_pages_through_it(users):
    numbers = [report(at=ago(days)).number for days in (9, 7, 5)]
    report()
    user = users["dispatcher"]

    first = todo.event_todo_page(user=user, tab="overdue", limit=2)
    second = todo.event_todo_page(user=user, tab="overdue", limit=2, cursor=first.next_cursor or "")

    assert [item.event.number for item in first.items + second.items] == numbers
    assert second.next_cursor is None
    assert first.total == 4  # the counts are of the whole list, whatever the tab
    with pytest.raises(InvalidInput) as refused:
        todo.event_todo_page(user=user, tab="handle")
    assert refused.value.field == "tab"


def test_every_role_sees_only_its_own_work(users):
    in_grid = reported_back()
    dispatched_now = dispatched()

    def numbers(role: str) -> list[str]:
        return [item.event.number for item in todo.event_todo_page(user=users[role]).items]

    assert numbers("grid_worker") == [in_grid.number]
    assert numbers("department_handler") == [dispatched_now.number]
    assert numbers("enforcement_officer") == []
    assert numbers("dispatcher") == [in_grid.number]
    assert numbers("grid_lead") == []
    assert numbers("supervisor") == []


def test_a_social_organisation_may_not_see_the_list_and_changes_nothing(users):
    report(at=ago(3))
    before = counts()

    assert client(users["social_organisation"]).get("/events/").status_code == 403
    assert client(users["social_organisation"]).get("/api/events/inbox").status_code == 403
    assert counts() == before


def test_the_page_and_the_api_agree_on_order_and_counts(users):
    report()
    report(at=ago(10))
    dispatched_event = dispatched(days_ago=1)
    act(dispatched_event, "return", actor=users["department_handler"], reason="不属于本部门")
    browser = client(users["dispatcher"])

    page = browser.get("/events/").content.decode()
    answer = browser.get("/api/events/inbox").json()

    assert ROW.findall(page) == [item["number"] for item in answer["items"]]
    assert TAB.findall(page) == [("all", "3")] + [
        (tab["key"], str(tab["count"])) for tab in answer["tabs"]
    ]
    assert [(tab["key"], tab["count"]) for tab in answer["tabs"]] == [
        ("accept", 2),
        ("dispatch", 1),
        ("extension", 0),
        ("verify", 0),
        ("overdue", 1),
    ]


@pytest.mark.parametrize("role", ["dispatcher", "department_handler"])
def test_the_page_runs_a_constant_number_of_statements(users, role):
    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client(users[role]).get("/events/")
        assert response.status_code == 200
        return len(queries)

    event = dispatched(days_ago=1)
    act(
        event,
        "supervise",
        actor=users["dispatcher"],
        note="请加快",
        deadline=local_today() + timedelta(days=3),
    )
    report()
    # One of each kind of row from the start: a returned event has its proposal looked up.
    returned = dispatched(days_ago=2)
    act(returned, "return", actor=users["department_handler"], reason="非本部门职责")
    few = statements()
    for _ in range(4):
        event = dispatched(days_ago=2)
        act(event, "urge", actor=users["supervisor"])
        act(event, "return", actor=users["department_handler"], reason="非本部门职责")
        report(at=ago(4))
        dispatched()

    assert statements() == few


# --- Returned and supervised events ---------------------------------------------------------


def test_a_returned_event_is_flagged_with_its_reason_and_another_department_is_proposed(users):
    event = dispatched(days_ago=1)
    assert event.responsible_department.code == CITY_MANAGEMENT

    act(event, "return", actor=users["department_handler"], reason="占道经营属于执法队职责")

    event.refresh_from_db()
    assert event.proposed_department is not None
    assert event.proposed_department.code != CITY_MANAGEMENT
    item = todo.event_todo_page(user=users["dispatcher"], tab="dispatch").items[0]
    assert item.returned is not None
    assert (item.returned.reason, item.returned.department) == (
        "占道经营属于执法队职责",
        "城市综合管理队",
    )
    page = client(users["dispatcher"]).get("/events/?tab=dispatch").content.decode()
    row = page.split(f'id="event-{event.number}"')[1].split("</li>")[0]
    assert '<span class="tag tag-warn returned-tag">退回</span>' in row
    assert "城市综合管理队：占道经营属于执法队职责" in row
    assert f"→ {event.proposed_department.name}" in row
    # Dispatched again, it is no longer returned.
    act(event, "dispatch")
    assert todo.event_todo_page(user=users["dispatcher"], tab="dispatch").items == []


def test_a_supervision_with_a_deadline_is_flagged_until_the_department_answers(users):
    event = dispatched(days_ago=1)
    deadline = local_today() + timedelta(days=2)

    act(
        event,
        "supervise",
        actor=users["dispatcher"],
        note="居民多次投诉，请尽快处置",
        deadline=deadline,
    )
    act(event, "urge", actor=users["grid_lead"])  # an urging does not lower a supervision

    item = todo.event_todo_page(user=users["department_handler"]).items[0]
    assert item.pressed is not None
    assert (item.pressed.kind, item.pressed.deadline) == ("supervise", deadline)
    assert item.pressed.note == ""  # the urging came last; it had no note
    answer = client(users["department_handler"]).get("/api/events/inbox").json()
    assert answer["items"][0]["pressed"]["deadline"] == deadline.isoformat()
    page = client(users["department_handler"]).get("/events/").content.decode()
    assert f"须于 {deadline.isoformat()} 前答复" in page
    assert '<span class="tag tag-warn pressed-tag pressed-supervise">督办</span>' in page

    # The department's next step answers it.
    act(event, "start_handling", actor=users["department_handler"])
    event.refresh_from_db()
    assert (event.supervision_kind, event.supervision_since, event.supervision_deadline) == (
        "",
        None,
        None,
    )
    assert todo.event_todo_page(user=users["department_handler"]).items[0].pressed is None


def test_a_step_of_another_department_or_the_dispatcher_does_not_answer_it(users):
    event = dispatched(days_ago=1)
    act(event, "urge", actor=users["supervisor"], note="请加快")
    act(event, "call_departments", actor=users["dispatcher"], departments=["enforcement"])

    event.refresh_from_db()
    assert event.supervision_kind == "urge"


def test_a_supervision_deadline_in_the_past_is_refused_and_changes_nothing(users):
    event = dispatched(days_ago=1)
    before = counts()

    with pytest.raises(InvalidInput) as refused:
        act(event, "supervise", actor=users["dispatcher"], note="请加快", deadline=date(2020, 1, 1))

    assert refused.value.field == "deadline"
    assert str(refused.value.message) == "答复期限：请选择督办当天或以后的日期。"
    assert counts() == before
    event.refresh_from_db()
    assert event.supervision_kind == ""


def test_the_detail_page_offers_the_supervision_deadline(users):
    event = dispatched(days_ago=1)
    browser = client(users["dispatcher"])
    deadline = local_today() + timedelta(days=1)

    page = browser.get(f"/events/{event.number}/").content.decode()
    assert '<input type="date" name="deadline">' in page
    response = browser.post(
        f"/events/{event.number}/actions/supervise/",
        {"note": "请尽快", "deadline": deadline.isoformat()},
    )

    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.supervision_kind, event.supervision_deadline) == ("supervise", deadline)
    refused = browser.post(
        f"/events/{event.number}/actions/supervise/", {"note": "请尽快", "deadline": "明天"}
    )
    assert "答复期限：请填写日期，如 2026-12-01。" in refused.content.decode()


# --- Homes and the navigation ---------------------------------------------------------------

HOME_CARDS = {
    "resident": ["消息通知", "上报事件", "我的上报"],
    "grid_worker": ["待办", "已超期", "消息通知", "上报事件", "我管辖范围内的事件"],
    "grid_lead": ["消息通知", "上报事件", "我管辖范围内的事件", "重点任务"],
    "dispatcher": ["待办", "已超期", "消息通知", "上报事件", "我管辖范围内的事件", "重点任务"],
    "department_handler": [
        "待办",
        "已超期",
        "消息通知",
        "上报事件",
        "我管辖范围内的事件",
        "重点任务",
    ],
    "enforcement_officer": [
        "待办",
        "已超期",
        "消息通知",
        "上报事件",
        "我管辖范围内的事件",
        "重点任务",
    ],
    "supervisor": ["消息通知", "上报事件", "我管辖范围内的事件", "重点任务"],
    "social_organisation": [],
    "administrator": ["消息通知", "我管辖范围内的事件", "重点任务"],
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_each_home_shows_the_cards_of_its_role(users, role):
    with translation.override("zh-hans"):
        titles = [
            str(card.title)
            for card in cards.cards_for(users[role])
            # A resident's report card leads to the public portal's report form.
            if card.url.startswith(("/events/", "/supervision/", "/public/report/"))
        ]
    assert titles == HOME_CARDS[role]


def card_counts(page: str) -> dict[str, int]:
    found = re.findall(
        r'<span class="home-card-title">([^<]+)</span>\s*<span class="home-card-count" '
        r'data-count="(\d+)">',
        page,
    )
    return {title: int(count) for title, count in found}


def test_the_dispatchers_home_counts_what_the_list_counts(users):
    report()
    report(at=ago(10))
    reported_back()
    # The steps above told the dispatcher three times, each in its own transaction; one is read.
    told = Notification.objects.filter(user=users["dispatcher"]).order_by("id")
    assert told.count() == 3
    Notification.objects.filter(pk=told[0].pk).update(read_at=timezone.now())

    page = client(users["dispatcher"]).get("/").content.decode()

    # The other apps' cards (enforcement, community, sensors) count their own work.
    events_and_tasks = {"待办", "已超期", "消息通知", "重点任务"}
    counted = {title: n for title, n in card_counts(page).items() if title in events_and_tasks}
    assert counted == {"待办": 3, "已超期": 1, "消息通知": 2, "重点任务": 0}
    assert 'href="/events/?tab=overdue"' in page
    assert re.search(r'消息通知 <span class="nav-badge" id="unread-badge"[^>]*>2</span>', page)


def test_the_home_runs_a_constant_number_of_statements(users):
    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client(users["dispatcher"]).get("/").status_code == 200
        return len(queries)

    report()
    few = statements()
    for days in range(1, 6):
        report(at=ago(days))
        reported_back()

    assert statements() == few


def test_the_badge_asks_nothing_for_an_anonymous_visitor(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert _unread_notifications(AnonymousUser()) == 0


def test_the_resident_home_links_to_the_portal(users):
    page = client(users["resident"]).get("/").content.decode()

    assert '<a class="button primary" href="/public/" id="portal-link">打开居民公众门户</a>' in page
    assert 'href="/public/report/"' in page


def test_the_api_takes_the_supervision_deadline(users):
    event = dispatched(days_ago=1)
    deadline = local_today() + timedelta(days=5)
    browser = client(users["supervisor"])

    response = browser.post(
        f"/api/events/{event.number}/actions/supervise",
        {"note": "请本周内办结", "deadline": deadline.isoformat()},
        content_type="application/json",
    )

    assert response.status_code == 200
    event.refresh_from_db()
    assert (event.supervision_kind, event.supervision_deadline) == ("supervise", deadline)
    item = client(users["department_handler"]).get("/api/events/inbox").json()["items"][0]
    assert item["pressed"] == {
        "kind": "supervise",
        "label": "督办",
        "since": item["pressed"]["since"],
        "deadline": deadline.isoformat(),
        "note": "请本周内办结",
    }
