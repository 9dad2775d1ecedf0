"""In a real browser: a grid worker signs in, lands on their home page, opens the map and sees
their grid drawn — on a desktop and on a phone."""

import pytest

from jiedao.demo import wenyan
from tests.browser import PHONE, login

pytestmark = pytest.mark.browser

GRID_NAME = "三江社区第1网格"


def test_grid_worker_signs_in_and_sees_their_grid_on_the_map(
    transactional_db, wenyan_demo, live_server, browser_page
):
    page = browser_page

    login(page, live_server, "wangge", wenyan.DEMO_PASSWORD)

    assert page.url == f"{live_server.url}/"
    assert page.locator("h1").inner_text() == "您好，王网格"
    assert page.locator("#grid-title").inner_text() == "您的网格"

    page.click("text=在地图上查看网格")
    page.wait_for_selector("#map path.grid-area")

    assert page.url == f"{live_server.url}/geo/map/"
    assert page.locator("#map path.grid-area").count() == 1
    assert page.locator("#map path.community-area").count() == 1
    assert page.locator("#map .map-label-grid").inner_text() == GRID_NAME
    assert page.locator("[data-synthetic-notice]").inner_text() == "示意边界，非真实边界"

    page.locator("#map path.grid-area").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.locator("h3").inner_text() == GRID_NAME
    assert popup.locator("a").nth(0).get_attribute("href") == "/geo/grids/330109012001001/"


def test_map_is_visible_on_a_phone(transactional_db, wenyan_demo, live_server, browser_page):
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, live_server, "wangge", wenyan.DEMO_PASSWORD)

    page.goto(f"{live_server.url}/geo/map/")
    page.wait_for_selector("#map path.grid-area")

    box = page.locator("#map").bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert box["height"] >= 320
    assert page.locator("#map path.grid-area").is_visible()
    assert page.locator(".menu-toggle").is_visible()
    assert page.locator("#site-nav").is_hidden()
    # Nothing is wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
