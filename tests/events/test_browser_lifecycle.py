"""In a real browser, three people in three browser contexts take one event from report to
closure: the grid worker reports it from a phone, the dispatcher accepts and dispatches it to the
department the duty matrix proposes, the department handles it and reports back, and the grid
worker verifies it and closes it."""

import re
from typing import Any

import pytest
from django.db import connection
from playwright.sync_api import expect

from jiedao.demo import wenyan
from jiedao.events.models import Event
from tests.browser import DESKTOP, PHONE, TIMEOUT_MS, login

from .conftest import HOME_GRID, PNG, point_in

pytestmark = pytest.mark.browser

CITY_MANAGEMENT = "城市综合管理队"


@pytest.fixture
def wenyan_demo(transactional_db: Any) -> dict[str, Any]:
    # The live server runs in another thread: the demo must be committed, not in a savepoint.
    from jiedao.demo.services import demo_load

    return demo_load()


@pytest.fixture
def home_point(wenyan_demo: Any) -> tuple[float, float]:
    # Read before the browser starts (see the note where the test reads the database at the end).
    return point_in(HOME_GRID)


@pytest.fixture
def contexts(browser_page: Any) -> Any:
    """Browser contexts opened by the test, closed before the live server stops (an open
    keep-alive connection would keep a server thread, and its database session, alive)."""
    opened: list[Any] = []
    yield opened
    for context in opened:
        context.close()


def new_page(first_page: Any, live_server: Any, opened: list[Any], **options: Any) -> Any:
    context = first_page.context.browser.new_context(
        base_url=live_server.url, locale="zh-CN", timezone_id="Asia/Shanghai", **options
    )
    context.set_default_timeout(TIMEOUT_MS)
    opened.append(context)
    return context.new_page()


def status_of(page: Any) -> str:
    return page.locator("#event-status").inner_text()


def act(page: Any, action: str) -> None:
    """Submit the action's form on the detail page and wait for the page it leads to."""
    details = page.locator(f"#action-{action}")
    if details.count():
        details.locator("summary").click()
    with page.expect_navigation():
        page.locator(f'#actions form[action$="/actions/{action}/"] button[type=submit]').click()


def test_report_accept_dispatch_handle_verify_close_by_three_people(
    wenyan_demo, home_point, live_server, browser_page, contexts
):
    lat, lng = home_point

    # The grid worker, on a phone, with the phone's location allowed.
    worker = new_page(
        browser_page,
        live_server,
        contexts,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        permissions=["geolocation"],
        geolocation={"latitude": lat, "longitude": lng},
    )
    login(worker, live_server, "wangge", wenyan.DEMO_PASSWORD)
    worker.goto("/events/report/")
    worker.fill("#category-search", "暴露垃圾")
    worker.locator(".category-option:not([hidden])").first.click()
    assert worker.locator("#category-chosen").inner_text() == "✓ 市容环境 › 暴露垃圾"
    worker.fill("#id_description", "三江路口垃圾堆积，约两立方米")
    worker.click("#locate-me")
    # Not wait_for_function: its string is evaluated, which the Content-Security-Policy refuses.
    expect(worker.locator("#id_lat")).not_to_have_value("")
    assert float(worker.input_value("#id_lat")) == pytest.approx(lat, abs=1e-6)
    assert float(worker.input_value("#id_lng")) == pytest.approx(lng, abs=1e-6)
    worker.fill("#id_address", "三江路1号")
    worker.set_input_files(
        "#id_photos", files=[{"name": "scene.png", "mimeType": "image/png", "buffer": PNG}]
    )
    with worker.expect_navigation():
        worker.click("#report-submit")
    match = re.search(r"/events/([^/]+)/$", worker.url)
    assert match
    number = match.group(1)
    assert status_of(worker) == "已上报"
    # Nothing on the phone page is wider than the phone.
    assert worker.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The dispatcher sees it in the inbox with the proposed department, accepts, dispatches.
    dispatcher = new_page(browser_page, live_server, contexts, viewport=DESKTOP)
    login(dispatcher, live_server, "zhihui", wenyan.DEMO_PASSWORD)
    dispatcher.goto("/events/")
    row = dispatcher.locator(f"#event-{number}")
    assert row.locator(".proposed strong").inner_text() == CITY_MANAGEMENT
    with dispatcher.expect_navigation():
        row.locator('form[action$="/actions/accept/"] button').click()
    assert dispatcher.locator(f"#event-{number} .status").inner_text() == "已受理"
    dispatcher.click(f"#event-{number} a.event-number")
    dispatcher.locator("#action-dispatch summary").click()
    assert (
        dispatcher.locator("#action-dispatch select[name=department] option:checked").inner_text()
        == f"{CITY_MANAGEMENT}（建议）"
    )
    with dispatcher.expect_navigation():
        dispatcher.locator("#action-dispatch button[type=submit]").click()
    assert status_of(dispatcher) == "已派遣"
    assert dispatcher.locator("#event-responsible").inner_text() == CITY_MANAGEMENT

    # The department handler starts handling and reports back.
    handler = new_page(browser_page, live_server, contexts, viewport=DESKTOP)
    login(handler, live_server, "chengguan", wenyan.DEMO_PASSWORD)
    handler.goto("/events/")
    assert handler.locator("h1").inner_text() == "部门待办"
    handler.click(f"#event-{number} a.event-number")
    act(handler, "start_handling")
    assert status_of(handler) == "处置中"
    handler.locator("#action-report_back summary").click()
    handler.fill("#action-report_back textarea[name=note]", "已清运完毕")
    with handler.expect_navigation():
        handler.locator("#action-report_back button[type=submit]").click()
    assert status_of(handler) == "已反馈"

    # The grid worker verifies on the spot and closes it.
    worker.goto(f"/events/{number}/")
    act(worker, "verify_pass")
    assert status_of(worker) == "已结案"
    assert worker.locator(".timeline-head strong").all_inner_texts() == [
        "上报",
        "受理",
        "派遣",
        "开始处置",
        "处置反馈",
        "核查结案",
    ]

    for context in contexts:
        context.close()
    contexts.clear()

    event = Event.objects.select_related("responsible_department").get(number=number)
    actors = [step.actor.username for step in event.steps.order_by("created_at", "id")]
    # Reads while Playwright's sync API runs may open a connection of their own (another
    # context); closed here, or PostgreSQL could not drop the test database afterwards.
    connection.close()
    assert (event.status, event.responsible_department.name) == ("closed", CITY_MANAGEMENT)
    assert actors == ["wangge", "zhihui", "zhihui", "chengguan", "chengguan", "wangge"]
