"""In a real browser: the supervisor's dashboard draws its ECharts charts from the figures, and the
period selector swaps the body through HTMX."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from jiedao.demo import wenyan
from tests.browser import login

from .conftest import act, png, report

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def wenyan_demo(transactional_db: Any) -> dict[str, Any]:
    # The live server runs in another thread: the demo must be committed, not in a savepoint.
    from jiedao.demo.services import demo_load

    demo = demo_load()
    report(
        at=datetime(2022, 3, 1, 9, tzinfo=SHANGHAI),
        source="grid_patrol",
        self_resolved=True,
        after_photos=[png()],
    )
    event = report(at=datetime(2022, 3, 2, 9, tzinfo=SHANGHAI), source="resident")
    act(event, "reject", at=datetime(2022, 3, 2, 10, tzinfo=SHANGHAI), reason="重复")
    return demo


def test_dashboard_draws_charts_and_changes_period(wenyan_demo, live_server, browser_page):
    page = browser_page
    login(page, live_server, "lingdao", wenyan.DEMO_PASSWORD)

    page.goto("/events/dashboard/?since=2022-01-01&until=2022-06-30")

    assert page.locator('[data-kpi="collected"]').inner_text() == "2"
    assert page.locator('[data-kpi="closure_rate"]').inner_text() == "100%"
    # ECharts drew into each chart container (a canvas each).
    page.wait_for_selector('[data-chart="trend"] canvas')
    assert page.locator("[data-chart] canvas").count() == 3

    # when the period changes to March only, HTMX replaces the body and the charts are redrawn
    page.fill('input[name="since"]', "2022-03-02")
    page.fill('input[name="until"]', "2022-03-31")
    page.locator(".dashboard-period button.primary").click()
    # Not wait_for_function: its string is evaluated, which the Content-Security-Policy refuses.
    expect(page.locator('[data-kpi="collected"]')).to_have_text("1")
    assert page.locator('[data-kpi="closure_rate"]').inner_text() == "—"
    page.wait_for_selector('[data-chart="trend"] canvas')
    assert "since=2022-03-02" in page.url


def test_dashboard_refuses_a_period_beside_its_date_and_clears_it(
    wenyan_demo, live_server, browser_page
):
    page = browser_page
    login(page, live_server, "lingdao", wenyan.DEMO_PASSWORD)
    page.goto("/events/dashboard/?since=2022-01-01&until=2022-06-30")

    # when the end date comes before the start, the reader stays on the dashboard
    page.fill('input[name="since"]', "2022-03-31")
    page.fill('input[name="until"]', "2022-03-01")
    page.locator(".dashboard-period button.primary").click()

    expect(page.locator("#error-until")).to_have_text(
        "结束日期（2022-03-01）早于开始日期（2022-03-31）。"
    )
    expect(page.locator("#dashboard-refused")).to_be_visible()
    assert page.locator('input[name="since"]').input_value() == "2022-03-31"
    assert page.locator('input[name="until"]').get_attribute("aria-invalid") == "true"

    # and once corrected, the figures come back and the message goes
    page.fill('input[name="until"]', "2022-04-30")
    page.locator(".dashboard-period button.primary").click()
    expect(page.locator('[data-kpi="collected"]')).to_have_text("0")
    expect(page.locator("#error-until")).to_have_count(0)
    page.wait_for_selector('[data-chart="trend"] canvas')
