"""In a real browser: the wall screen (1920×1080) draws the grids coloured by open events and the
key figures, switches the map to the sensors' alarms, and takes a newly reported event in at its
next refresh without a reload; on a laptop (1366×768) and a phone (390×844) nothing is wider than
the screen."""

from typing import Any

import pytest
from playwright.sync_api import expect

from jiedao.demo import wenyan
from tests.browser import login
from tests.events.conftest import HOME_GRID, OTHER_GRID, report

pytestmark = pytest.mark.browser
WALL = {"width": 1920, "height": 1080}
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# The step colours of cockpit.js: the busiest grids red, half as busy amber, none dark blue.
BUSIEST = "#dc2626"
HALF = "#fbbf24"
NONE = "#15314d"


@pytest.fixture
def wenyan_demo(transactional_db: Any) -> dict[str, Any]:
    # The live server runs in another thread: the demo must be committed, not in a savepoint.
    from jiedao.demo.services import demo_load

    demo = demo_load()
    report(grid=HOME_GRID)
    report(grid=HOME_GRID)
    report(grid=OTHER_GRID)
    return demo


def grid(page: Any, code: str) -> Any:
    return page.locator(f'#cockpit-map path[data-grid="{code}"]')


def test_wall_screen_map_tiles_and_refresh(wenyan_demo, live_server, browser_page):
    page = browser_page
    page.set_viewport_size(WALL)
    login(page, live_server, "lingdao", wenyan.DEMO_PASSWORD)
    # Fake timers, so the test need not wait a minute for the refresh.
    page.clock.install()

    page.goto("/cockpit/")

    expect(grid(page, HOME_GRID)).to_have_attribute("data-count", "2")
    assert page.locator("#cockpit-map path.cockpit-grid").count() == 35
    assert grid(page, HOME_GRID).get_attribute("fill") == BUSIEST
    assert grid(page, OTHER_GRID).get_attribute("fill") == HALF
    assert page.locator('#cockpit-map path[data-count="0"]').count() == 33
    assert page.locator('#cockpit-map path[data-count="0"]').first.get_attribute("fill") == NONE
    assert page.locator('[data-kpi="events.open"]').inner_text() == "3"
    assert page.locator('[data-kpi="events.reported_today"]').inner_text() == "3"
    assert page.locator('[data-kpi="sensors.alarms_active"]').inner_text() == "0"
    page.wait_for_selector('[data-trend="0"] canvas')
    # The screen fits the wall: no scrolling either way.
    assert page.evaluate("document.documentElement.scrollWidth") <= WALL["width"]
    assert page.evaluate("document.documentElement.scrollHeight") <= WALL["height"]

    # when a resident reports one more event in the busiest grid, the next refresh shows it
    report(grid=HOME_GRID)
    page.clock.fast_forward("01:05")

    expect(page.locator('[data-kpi="events.open"]')).to_have_text("4")
    assert page.locator('[data-kpi="events.reported_today"]').inner_text() == "4"
    expect(grid(page, HOME_GRID)).to_have_attribute("data-count", "3")
    assert grid(page, HOME_GRID).get_attribute("fill") == BUSIEST
    assert page.url.endswith("/cockpit/")  # refreshed in place, not reloaded

    # the sensors' layer: no alarm anywhere in the test demo
    page.click('#cockpit-layers [data-layer="sensors.alarms"]')
    expect(grid(page, HOME_GRID)).to_have_attribute("data-count", "0")
    assert grid(page, HOME_GRID).get_attribute("fill") == NONE
    assert page.locator('[data-layer="sensors.alarms"]').get_attribute("aria-pressed") == "true"


def test_a_column_longer_than_the_screen_comes_round_panel_by_panel(
    wenyan_demo, live_server, browser_page
):
    page = browser_page
    page.set_viewport_size({"width": 1920, "height": 900})
    page.emulate_media(reduced_motion="reduce")  # jumps, so each step is settled at once
    login(page, live_server, "lingdao", wenyan.DEMO_PASSWORD)
    page.clock.install()
    page.goto("/cockpit/")
    expect(grid(page, HOME_GRID)).to_have_attribute("data-count", "2")
    column = page.locator(".cockpit-kpis")
    heights = column.evaluate("c => [c.scrollHeight, c.clientHeight]")
    assert heights[0] > heights[1]  # more panels than fit in 900 pixels
    second_panel_at = column.evaluate(
        "c => c.children[1].getBoundingClientRect().top - c.getBoundingClientRect().top"
    )

    page.clock.run_for(8100)

    # one panel on: the second panel is now the column's first (or the column is at its end,
    # when what follows the first panel fits on the screen)
    expected = min(second_panel_at, heights[0] - heights[1])
    assert column.evaluate("c => c.scrollTop") == pytest.approx(expected, abs=2)

    # and after the last panel the column is back at the top
    for _ in range(20):
        page.clock.run_for(8000)
        if column.evaluate("c => c.scrollTop") == 0:
            break
    assert column.evaluate("c => c.scrollTop") == 0


def test_laptop_and_phone_without_sideways_scrolling(wenyan_demo, live_server, browser_page):
    page = browser_page
    page.set_viewport_size(LAPTOP)
    login(page, live_server, "zhihui", wenyan.DEMO_PASSWORD)

    page.goto("/cockpit/")

    # A laptop keeps the three columns side by side: tiles, map, rankings.
    expect(grid(page, HOME_GRID)).to_have_attribute("data-count", "2")
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    tiles = page.locator(".cockpit-kpis").bounding_box()
    on_map = page.locator("#cockpit-map").bounding_box()
    side = page.locator(".cockpit-side").bounding_box()
    assert tiles is not None
    assert on_map is not None
    assert side is not None
    assert tiles["x"] + tiles["width"] <= on_map["x"]
    assert on_map["x"] + on_map["width"] <= side["x"]

    page.set_viewport_size(PHONE)
    page.goto("/cockpit/")

    expect(grid(page, HOME_GRID)).to_have_attribute("data-count", "2")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    map_box = page.locator("#cockpit-map").bounding_box()
    tiles_box = page.locator(".cockpit-kpis").bounding_box()
    assert map_box is not None
    assert tiles_box is not None
    # Stacked: the key figures above the map, each as wide as the screen allows.
    assert tiles_box["y"] + tiles_box["height"] <= map_box["y"]
    assert map_box["width"] > 300
    assert page.locator('[data-kpi="events.open"]').is_visible()
