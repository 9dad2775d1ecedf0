"""In a real browser, the morning of each staff role: sign in, land on a home whose cards count
the work, open the to-do list and see its tabs with their counts, act on the most urgent item
(the top row) and see it leave the list. The enforcement officer's 部门待办 also holds a call to
report in to (吹哨报到). The lead and the supervisor have no step of the workflow's main line:
their home has no to-do card and /events/ is the events of their scope.

One demo and one live server for the whole module's single test, so the browser run stays short."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from jiedao.demo import wenyan
from tests.browser import login

from .conftest import act, report

pytestmark = pytest.mark.browser


def ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


@pytest.fixture
def morning(transactional_db: Any) -> dict[str, str]:
    # The live server runs in another thread: the demo must be committed, not in a savepoint.
    from jiedao.demo.services import demo_load

    demo_load()

    def dispatched(days: int, department: str = "city-management") -> Any:
        event = report(at=ago(days) if days else None)
        at = ago(days) + timedelta(minutes=5) if days else None
        act(event, "accept", at=at)
        return act(event, "dispatch", department=department, at=at)

    to_verify = dispatched(0)
    act(to_verify, "start_handling")
    act(to_verify, "report_back", note="已清理")
    fresh_dispatch = dispatched(0)
    # The city management team calls the enforcement team in on its fresh event.
    act(fresh_dispatch, "call_departments", departments=["enforcement"], note="占道经营需执法配合")
    numbers = {
        "late_report": report(at=ago(10)).number,
        "fresh_report": report().number,
        "late_dispatch": dispatched(10).number,
        "fresh_dispatch": fresh_dispatch.number,
        "to_verify": to_verify.number,
        "late_enforcement": dispatched(10, "enforcement").number,
        "fresh_enforcement": dispatched(0, "enforcement").number,
    }
    # Reads while Playwright runs may open a connection of their own; none is left open here.
    connection.close()
    return numbers


def card_count(page: Any, title: str) -> str:
    card = page.locator(".home-card", has=page.locator(".home-card-title", has_text=title))
    return card.locator(".home-card-count").inner_text()


def tab_count(page: Any, key: str) -> str:
    return page.locator(f"#tab-{key} .count").inner_text()


def rows(page: Any) -> list[str]:
    ids = page.locator("#event-list > li.event-row").evaluate_all("(rows) => rows.map((r) => r.id)")
    return [row_id.removeprefix("event-") for row_id in ids]


def take(page: Any, action: str) -> None:
    """Submit the action's form on the detail page and wait for the page it leads to."""
    details = page.locator(f"#action-{action}")
    if details.count():
        details.locator("summary").click()
    with page.expect_navigation():
        page.locator(f'#actions form[action$="/actions/{action}/"] button[type=submit]').click()


def test_the_morning_of_each_staff_role(morning, live_server, browser_page):
    page = browser_page
    context = page.context

    # The dispatcher: three things wait, one of them overdue, the overdue report on top.
    login(page, live_server, "zhihui", wenyan.DEMO_PASSWORD)
    assert (card_count(page, "待办"), card_count(page, "已超期")) == ("3", "1")
    with page.expect_navigation():
        page.locator(".home-card", has_text="待办").locator("a").first.click()
    assert page.locator("h1").inner_text() == "调度待办"
    assert [tab_count(page, key) for key in ("all", "accept", "dispatch", "verify", "overdue")] == [
        "3",
        "2",
        "0",
        "1",
        "1",
    ]
    assert rows(page) == [morning["late_report"], morning["fresh_report"], morning["to_verify"]]
    top = page.locator(f"#event-{morning['late_report']}")
    assert top.locator(".time-left.overdue").inner_text().startswith("已超期")
    with page.expect_navigation():
        top.locator('form[action$="/actions/accept/"] button').click()
    with page.expect_navigation():
        page.locator(f"#event-{morning['late_report']}").locator(
            'form[action$="/actions/dispatch/"] button'
        ).click()
    assert morning["late_report"] not in rows(page)
    assert (tab_count(page, "all"), tab_count(page, "accept")) == ("2", "1")
    context.clear_cookies()

    # The grid worker: one event to verify in the grid; verified, it leaves the list.
    login(page, live_server, "wangge", wenyan.DEMO_PASSWORD)
    assert card_count(page, "待办") == "1"
    page.goto("/events/")
    assert page.locator("h1").inner_text() == "待办"
    assert (tab_count(page, "all"), tab_count(page, "verify")) == ("1", "1")
    page.click(f"#event-{morning['to_verify']} a.event-number")
    take(page, "verify_pass")
    page.goto("/events/")
    assert rows(page) == []
    assert tab_count(page, "all") == "0"
    context.clear_cookies()

    # The department (with the report the dispatcher just sent it): the overdue dispatch on top;
    # handled and reported back, it leaves.
    login(page, live_server, "chengguan", wenyan.DEMO_PASSWORD)
    assert (card_count(page, "待办"), card_count(page, "已超期")) == ("3", "1")
    page.goto("/events/")
    assert page.locator("h1").inner_text() == "部门待办"
    assert [tab_count(page, key) for key in ("all", "handle", "handling", "overdue")] == [
        "3",
        "3",
        "0",
        "1",
    ]
    # The two others are due at the same office-hour moment when the test runs on a weekend.
    listed = rows(page)
    assert listed[0] == morning["late_dispatch"]
    assert sorted(listed[1:]) == sorted([morning["fresh_dispatch"], morning["late_report"]])
    page.click(f"#event-{morning['late_dispatch']} a.event-number")
    take(page, "start_handling")
    page.locator("#action-report_back summary").click()
    page.fill("#action-report_back textarea[name=note]", "已清运完毕")
    with page.expect_navigation():
        page.locator("#action-report_back button[type=submit]").click()
    page.goto("/events/")
    assert rows(page) == listed[1:]
    assert (tab_count(page, "all"), tab_count(page, "overdue")) == ("2", "0")
    context.clear_cookies()

    # The enforcement officer: two events dispatched to the team, one of them overdue, and the
    # city management's call to report in to. The overdue one on top; handled and reported
    # back, it leaves, and so does the call once reported in to.
    login(page, live_server, "zhifa", wenyan.DEMO_PASSWORD)
    assert (card_count(page, "待办"), card_count(page, "已超期")) == ("3", "1")
    with page.expect_navigation():
        page.locator(".home-card", has_text="待办").locator("a").first.click()
    assert page.locator("h1").inner_text() == "部门待办"
    assert [
        tab_count(page, key) for key in ("all", "handle", "handling", "report_in", "overdue")
    ] == ["3", "2", "0", "1", "1"]
    listed = rows(page)
    assert listed[0] == morning["late_enforcement"]
    assert sorted(listed[1:]) == sorted([morning["fresh_enforcement"], morning["fresh_dispatch"]])
    page.click(f"#event-{morning['late_enforcement']} a.event-number")
    take(page, "start_handling")
    page.locator("#action-report_back summary").click()
    page.fill("#action-report_back textarea[name=note]", "已责令当事人拆除")
    with page.expect_navigation():
        page.locator("#action-report_back button[type=submit]").click()
    page.goto("/events/")
    assert rows(page) == listed[1:]
    assert (tab_count(page, "all"), tab_count(page, "overdue")) == ("2", "0")
    page.click(f"#event-{morning['fresh_dispatch']} a.event-number")
    page.locator("#action-report_in summary").click()
    page.fill("#action-report_in textarea[name=note]", "执法队员已到场")
    with page.expect_navigation():
        page.locator("#action-report_in button[type=submit]").click()
    page.goto("/")
    assert (card_count(page, "待办"), card_count(page, "已超期")) == ("1", "0")
    page.goto("/events/")
    assert rows(page) == [morning["fresh_enforcement"]]
    assert (tab_count(page, "all"), tab_count(page, "report_in")) == ("1", "0")
    context.clear_cookies()

    # The lead and the supervisor: no to-do card; /events/ is the events of their scope.
    for username, card in (("sanjiang", "消息通知"), ("lingdao", "重点任务")):
        login(page, live_server, username, wenyan.DEMO_PASSWORD)
        assert page.locator(".home-card-title", has_text=card).count() == 1
        assert page.locator(".home-card-title", has_text="待办").count() == 0
        page.goto("/events/")
        assert page.url.endswith("/events/all/")
        assert page.locator("h1").inner_text() == "我管辖范围内的事件"
        context.clear_cookies()
