"""In a real phone browser: a report refused for a missing description comes back with the
message beside the description and the photo already chosen kept (its thumbnail shown); once
corrected it is sent without choosing the photo again, and the event has it."""

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from jiedao.demo import wenyan
from tests.browser import PHONE, login

from .conftest import HOME_GRID, PNG, point_in

pytestmark = pytest.mark.browser


@pytest.fixture
def wenyan_demo(transactional_db: Any) -> dict[str, Any]:
    # The live server runs in another thread: the demo must be committed, not in a savepoint.
    from jiedao.demo.services import demo_load

    return demo_load()


def test_a_refused_report_keeps_its_photo_and_says_what_is_missing(
    wenyan_demo, live_server, browser_page
):
    lat, lng = point_in(HOME_GRID)
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, live_server, "wangge", wenyan.DEMO_PASSWORD)
    page.goto("/events/report/")
    page.fill("#category-search", "暴露垃圾")
    page.locator(".category-option:not([hidden])").first.click()
    page.fill("#id_lat", f"{lat:.6f}")
    page.fill("#id_lng", f"{lng:.6f}")
    page.set_input_files(
        "#id_photos", files=[{"name": "scene.png", "mimeType": "image/png", "buffer": PNG}]
    )
    with page.expect_navigation():
        page.click("#report-submit")

    description = page.locator(".field.has-error", has=page.locator("#id_description"))
    expect(description.locator(".field-error")).to_have_text("描述 为必填项。")
    kept = page.locator('input[name="held_photos"]')
    expect(kept).to_have_count(1)
    expect(kept).to_be_checked()
    expect(page.locator('.held-photos img[alt="scene.png"]')).to_be_visible()
    assert page.locator("#report-submit").is_enabled()

    page.fill("#id_description", "三江路口垃圾堆积")
    with page.expect_navigation():
        page.click("#report-submit")

    assert re.search(r"/events/[^/]+/$", page.url)
    # Once among the photos "before", sent once.
    expect(page.locator('.photo-grid img[alt="处置前 1"]')).to_have_count(1)
    expect(page.locator('.photo-grid img[alt="处置前 2"]')).to_have_count(0)
