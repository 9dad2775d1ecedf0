"""A resident on a phone reports a problem with a photo and their location, keeps the tracking
number, and — after the staff close the event through the services — follows it to "closed"
and rates it. Headless Chromium at 375×740 against the live server."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from jiedao.accounts.models import User
from jiedao.events.models import Event
from tests.browser import PHONE
from tests.portal.conftest import PNG, close_through_services, point_in

pytestmark = pytest.mark.browser


@pytest.fixture
def wenyan_demo(transactional_db: Any) -> dict[str, Any]:
    from jiedao.demo.services import demo_load

    return demo_load()


@pytest.fixture
def users(wenyan_demo: Any) -> dict[str, Any]:
    related = User.objects.select_related("grid", "community", "department", "subdistrict")
    found: dict[str, Any] = {}
    for user in related.order_by("pk"):
        found.setdefault(user.role, user)  # the first of a role: zhifa, not fazhi
    return found


def test_a_resident_reports_from_a_phone_and_follows_it_to_closure(
    browser_page: Any, live_server: Any, users: Any, tmp_path: Path
) -> None:
    page = browser_page
    page.set_viewport_size(PHONE)
    lat, lng = point_in()
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": lat, "longitude": lng})
    photo = tmp_path / "rubbish.png"
    photo.write_bytes(PNG)

    # The resident reports a problem: category, location, description, photo, phone
    page.goto("/public/")
    page.click("a.big-button.primary")
    page.select_option("#id_category", "E0101")
    page.click("[data-locate]")
    # Not wait_for_function: its string is evaluated, which the Content-Security-Policy refuses.
    expect(page.locator("#id_lat")).not_to_have_value("")
    assert page.text_content("#location-status") == "位置已设定。"
    assert page.locator(".leaflet-interactive").count() > 1  # the grids and the pin
    page.fill("#id_description", "小区门口垃圾堆积，请尽快清理")
    page.set_input_files("#id_photos", str(photo))
    page.fill("#id_reporter_phone", "13812345678")
    no_overflow = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(no_overflow)
    page.click("form.portal-form button[type=submit]")

    # They get the tracking number and the follow code
    page.wait_for_selector(".tracking-number")
    number = page.text_content(".tracking-number")
    code = page.text_content(".follow-code")
    event = Event.objects.get()
    assert number == event.number
    assert (event.source, event.reporter_phone, event.photos.count()) == (
        "resident",
        "13812345678",
        1,
    )
    assert abs(event.lat - lat) < 1e-6
    assert page.text_content(".status-text") == "已收到，等待受理"
    assert page.evaluate(no_overflow)

    # The staff close the event through the services
    close_through_services(event, users)

    # Later the resident follows it by number and code, sees it closed, and rates it
    page.goto("/public/follow/")
    page.fill("#id_number", number or "")
    page.fill("#id_code", code or "")
    page.click("form.portal-form button[type=submit]")
    page.wait_for_selector(".status-text")
    assert page.text_content(".status-text") == "已办结：问题已处理"
    assert "现场核查通过，已办结" in (page.text_content(".timeline") or "")
    assert "13812345678" not in page.content()
    page.check("input[name=satisfaction][value='5']")
    page.fill("#id_comment", "处理很及时")
    page.click(".rate button[type=submit]")
    page.wait_for_selector(".rating")
    assert page.text_content(".rating") == "满意"
    assert "感谢您的评价。" in (page.text_content(".portal-messages") or "")
    event.refresh_from_db()
    assert event.satisfaction == 5
