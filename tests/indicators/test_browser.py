"""The review queue in a real browser: a supervisor uploads a report, confirms its figure as an
indicator's value, and the indicator's page draws its chart."""

import pytest

from jiedao.demo import wenyan
from jiedao.indicators.models import Indicator, Value
from tests.browser import PHONE, login

pytestmark = pytest.mark.browser


def test_a_supervisor_confirms_an_uploaded_figure_and_sees_it_charted(
    browser_page, live_server, transactional_db, wenyan_demo, tmp_path
):
    # given the supervisor on a phone and a report of the second half of 2022
    grid_events = Indicator.objects.get(code="grid-events")
    report = tmp_path / "下半年.txt"
    report.write_text("下半年，街道网格采集事件4500件，同比增长6.3%。", encoding="utf-8")
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, live_server, "lingdao", wenyan.DEMO_PASSWORD)
    # when they upload it, then confirm its figure as the grid events of 2022 H2
    page.goto(f"{live_server.url}/indicators/reports/")
    page.set_input_files("#report-file", str(report))
    with page.expect_navigation():
        page.click("#report-upload button[type=submit]")
    assert page.locator(".report-text .figure-mark").inner_text() == "4500件，同比增长6.3%"
    page.select_option("select[name=indicator]", str(grid_events.pk))
    page.fill("input[name=period]", "2022年下半年")
    with page.expect_navigation():
        page.click("form.inline-form button.primary")
    # then the figure is confirmed and the value stored in base units with its stated change
    assert "已确认为 网格采集事件 · 2022年下半年。" in page.locator(".messages").inner_text()
    value = Value.objects.get(indicator=grid_events, year=2022, period_kind="half", number=2)
    assert (value.value, str(value.stated_change), value.source) == (4500, "6.30", "review")
    # and the indicator's page draws both halves in its chart
    page.goto(f"{live_server.url}/indicators/{grid_events.pk}/")
    page.wait_for_selector("#indicator-chart canvas")
    assert page.locator("table th[scope=row]").all_inner_texts()[:2] == [
        "2022年上半年",
        "2022年下半年",
    ]
