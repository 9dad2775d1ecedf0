"""In a real browser: every map's marker images load (no static request fails, even when the
style sheet names its images with a content hash, as the manifest storage does), the public map
and the staff events map cluster their points, and "near me" centres the public map on the
resident and lists the nearest open reports — or says why it cannot."""

import math
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from jiedao.accounts.permissions import SYSTEM
from jiedao.demo import wenyan
from jiedao.events.models import Event
from jiedao.events.services import event_report
from jiedao.geo.geometry import parse_boundary
from jiedao.geo.models import Grid
from jiedao.portal.privacy import public_coordinate
from tests.browser import PHONE, login

pytestmark = pytest.mark.browser

HOME_GRID = "330109012001001"
# The grids the events are reported in: twelve in the home grid (one cluster), one elsewhere.
EVENTS_PER_GRID = {HOME_GRID: 12, "330109012003002": 1}
NEAR_COUNT = 5
EARTH_RADIUS = 6371000  # metres, Leaflet's L.CRS.Earth.R


@pytest.fixture
def wenyan_demo(transactional_db: Any) -> dict[str, Any]:
    # The live server runs in another thread: the demo must be committed, not in a savepoint.
    from jiedao.demo.services import demo_load

    return demo_load()


def grid_point(code: str) -> tuple[float, float]:
    point = parse_boundary(Grid.objects.get(code=code).boundary).representative_point()
    return point.y, point.x


@pytest.fixture
def open_events(wenyan_demo: Any) -> list[Event]:
    events = []
    for code, count in EVENTS_PER_GRID.items():
        lat, lng = grid_point(code)
        for n in range(count):
            events.append(
                event_report(
                    actor=SYSTEM,
                    category="E0101",
                    description=f"垃圾堆积 {n}",
                    # A few metres apart, as reports of one street are.
                    lat=lat + n * 0.0001,
                    lng=lng,
                    source="grid_patrol",
                ).event
            )
    return events


def failed_static(page: Any) -> list[str]:
    """The static files the page asked for and did not get, collected from now on."""
    failed: list[str] = []
    page.on(
        "response",
        lambda response: (
            failed.append(f"{response.status} {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )
    # A request the browser abandoned because the page moved on (the favicon, fetched while the
    # sign-in redirects) is not a missing file; a missing file answers 4xx above.
    page.on(
        "requestfailed",
        lambda request: (
            failed.append(f"failed {request.url}: {request.failure}")
            if "/static/" in request.url and "ERR_ABORTED" not in (request.failure or "")
            else None
        ),
    )
    return failed


def hashed_leaflet_css(page: Any) -> None:
    """Serve leaflet.css as the manifest storage does in production: its images renamed with a
    content hash. Leaflet's own guess of its image folder breaks on such names."""

    def handle(route: Any) -> None:
        response = route.fetch()
        body = response.text().replace("marker-icon.png", "marker-icon.2b3e1faf89f9.png")
        route.fulfill(response=response, body=body)

    page.route("**/vendor/leaflet/leaflet.css", handle)


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Leaflet's distanceTo (haversine on a sphere of radius EARTH_RADIUS)."""
    rad = math.pi / 180
    lat1, lat2 = a[0] * rad, b[0] * rad
    sin_lat = math.sin((b[0] - a[0]) * rad / 2)
    sin_lng = math.sin((b[1] - a[1]) * rad / 2)
    h = sin_lat * sin_lat + math.cos(lat1) * math.cos(lat2) * sin_lng * sin_lng
    return 2 * EARTH_RADIUS * math.atan2(math.sqrt(h), math.sqrt(1 - h))


def loaded_image(page: Any, selector: str) -> tuple[str, int]:
    image = page.locator(selector).first
    expect(image).to_be_visible()
    return (
        image.get_attribute("src"),
        image.evaluate("element => element.complete ? element.naturalWidth : 0"),
    )


def test_the_report_forms_pin_loads_on_every_map_page(
    open_events: Any, live_server: Any, browser_page: Any
) -> None:
    page = browser_page
    failed = failed_static(page)
    hashed_leaflet_css(page)
    login(page, live_server, "wangge", wenyan.DEMO_PASSWORD)

    page.goto("/events/report/")
    page.wait_for_selector("#report-map.leaflet-container")
    page.locator("#report-map").click(position={"x": 200, "y": 150})
    src, width = loaded_image(page, "#report-map img.leaflet-marker-icon")
    assert (src, width) == ("/static/vendor/leaflet/images/marker-icon.png", 25)
    assert page.locator("#report-map img.leaflet-marker-shadow").count() == 1

    for address, selector in [
        ("/geo/map/", "#map path.grid-area"),
        (f"/geo/grids/{HOME_GRID}/", ".leaflet-container"),
        (f"/events/{open_events[0].number}/", "#event-map.leaflet-container"),
        ("/public/report/", ".portal-map.leaflet-container"),
    ]:
        page.goto(address)
        page.wait_for_selector(selector)
    assert failed == []


def test_the_staff_events_map_clusters_its_points(
    open_events: Any, live_server: Any, browser_page: Any
) -> None:
    page = browser_page
    failed = failed_static(page)
    login(page, live_server, "zhihui", wenyan.DEMO_PASSWORD)

    page.goto("/events/map/")
    page.wait_for_selector("#open-events-map .marker-cluster")
    clusters = page.locator("#open-events-map .marker-cluster")
    singles = page.locator("#open-events-map .event-point")
    shown = sum(int(text) for text in clusters.all_inner_texts()) + singles.count()
    assert shown == len(open_events)
    # The twelve reports of the home grid are one cluster, coloured by the most urgent (on time).
    assert "12" in clusters.all_inner_texts()
    assert "event-cluster-none" in (clusters.first.get_attribute("class") or "")
    assert failed == []


def test_the_public_map_clusters_and_shows_the_reports_near_me(
    open_events: Any, live_server: Any, browser_page: Any
) -> None:
    page = browser_page
    page.set_viewport_size(PHONE)
    failed = failed_static(page)
    hashed_leaflet_css(page)
    here = grid_point(HOME_GRID)
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": here[0], "longitude": here[1]})

    page.goto("/public/events/")
    page.wait_for_selector("#events-map .marker-cluster")
    assert "12" in page.locator("#events-map .marker-cluster").all_inner_texts()

    page.click("[data-near-me]")
    expect(page.locator("#near-status")).to_have_text("离您最近的正在处理的报告：")
    rows = page.locator("#near-list li")
    assert rows.count() == NEAR_COUNT
    # The nearest, at their public (rounded) locations, nearest first.
    expected = sorted(
        (
            distance(here, (public_coordinate(event.lat), public_coordinate(event.lng))),
            event.number,
        )
        for event in open_events
    )[:NEAR_COUNT]
    numbers = page.locator("#near-list .near-number").all_inner_texts()
    metres = page.locator("#near-list .near-distance").all_inner_texts()
    assert metres == [f"相距 {round(value)} 米" for value, _number in expected]
    # Reports at the same rounded location are equally near: any of them may come first.
    farthest = expected[-1][0]
    assert len(set(numbers)) == NEAR_COUNT
    assert set(numbers) <= {
        event.number
        for event in open_events
        if distance(here, (public_coordinate(event.lat), public_coordinate(event.lng))) <= farthest
    }
    # "You are here" is Leaflet's default marker, and its image loads.
    src, width = loaded_image(page, "#events-map img.leaflet-marker-icon")
    assert (src, width) == ("/static/vendor/leaflet/images/marker-icon.png", 25)
    assert failed == []


def test_near_me_refused_says_so_and_the_map_still_works(
    open_events: Any, live_server: Any, browser_page: Any
) -> None:
    page = browser_page
    # No permission granted: the browser refuses the position.
    page.goto("/public/events/")
    page.wait_for_selector("#events-map .marker-cluster")
    page.click("[data-near-me]")
    expect(page.locator("#near-status")).to_have_text(
        "无法获取您的位置（未获允许或无法定位）。您可以拖动地图，或按问题类型筛选。"
    )
    assert page.locator("#near-list").is_hidden()
    assert re.fullmatch(r"\d+", page.locator("#events-map .marker-cluster").first.inner_text())
