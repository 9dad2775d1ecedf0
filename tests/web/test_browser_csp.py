"""In a real browser, under the Content-Security-Policy: the map, the dashboard, the report forms
and the portal work, and the browser reports no violation. A photo that carries its GPS position
puts the pin where it was taken."""

from typing import Any

import pytest
from playwright.sync_api import expect

from jiedao.demo import wenyan
from tests.browser import PHONE, login
from tests.images import camera_jpeg

pytestmark = pytest.mark.browser


def violations(page: Any) -> list[str]:
    """Console messages about the Content-Security-Policy, collected from now on."""
    found: list[str] = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return found


def test_staff_pages_work_under_the_policy(
    transactional_db: Any, wenyan_demo: Any, live_server: Any, browser_page: Any
) -> None:
    page = browser_page
    refused = violations(page)
    login(page, live_server, "zhihui", wenyan.DEMO_PASSWORD)

    page.goto("/events/dashboard/")
    page.wait_for_selector("[data-chart] canvas")
    page.click("button[data-preset-since]")
    page.wait_for_url("**since=2022-01-01**")
    assert page.input_value("input[name=since]") == "2022-01-01"
    assert page.input_value("input[name=until]") == "2022-06-30"
    page.wait_for_selector("[data-chart] canvas")

    page.goto("/events/map/")
    page.wait_for_selector("#open-events-map.leaflet-container")
    assert (
        page.locator("#map-counts .dot-red").evaluate(
            "element => getComputedStyle(element).backgroundColor"
        )
        == "rgb(192, 38, 45)"
    )

    page.goto("/geo/map/")
    page.wait_for_selector("#map path.grid-area")

    page.goto("/events/report/")
    page.wait_for_selector("#report-map.leaflet-container")

    assert refused == []


def test_a_photo_with_a_position_places_the_pin_on_the_portal(
    transactional_db: Any, wenyan_demo: Any, live_server: Any, browser_page: Any
) -> None:
    page = browser_page
    page.set_viewport_size(PHONE)
    refused = violations(page)

    page.goto("/public/report/")
    page.wait_for_selector(".portal-map.leaflet-container")
    assert page.input_value("#id_lat") == ""
    page.set_input_files(
        "#id_photos",
        files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": camera_jpeg()}],
    )
    expect(page.locator("#id_lat")).not_to_have_value("")

    assert (page.input_value("#id_lat"), page.input_value("#id_lng")) == (
        "30.2600000",
        "120.1500000",
    )
    assert page.text_content("#location-status") == (
        "已按照片的拍摄地点定位：请核对，如有偏差请点按地图更正。"
    )
    assert refused == []


def test_a_refused_photo_is_told_on_the_portal_as_soon_as_it_is_chosen(
    transactional_db: Any, wenyan_demo: Any, live_server: Any, browser_page: Any
) -> None:
    page = browser_page
    page.goto("/public/report/")
    polyglot = camera_jpeg() + b"<html><script>alert(1)</script></html>"

    page.set_input_files(
        "#id_photos", files=[{"name": "cat.jpg", "mimeType": "image/jpeg", "buffer": polyglot}]
    )
    page.wait_for_selector("#photos-problem:not([hidden])")

    assert page.text_content("#photos-problem") == (
        "照片：cat.jpg 除图像外还含有标记（HTML、SVG 或脚本），相机或手机拍的照片不会这样。"
        "请上传原始照片。"
    )
    assert page.input_value("#id_lat") == ""
