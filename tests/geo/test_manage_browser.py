"""In a real browser: the administrator uploads a grid file, sees the new boundary drawn over
the existing grids before anything is saved, confirms, creates the grid worker for the new grid
and reads the one-time password; the worker signs in with it and reports an event in the new
grid."""

import json

import pytest

from jiedao.demo import wenyan
from jiedao.events.models import Event
from jiedao.geo.geometry import parse_boundary
from jiedao.geo.models import Grid
from tests.browser import login
from tests.geo.grid_files import split_file

pytestmark = pytest.mark.browser


def test_administrator_adds_a_grid_and_its_worker(
    transactional_db, wenyan_demo, live_server, browser_page, tmp_path
):
    page = browser_page
    path = tmp_path / "grids.geojson"
    path.write_text(
        json.dumps(split_file("330109012003001", "330109012003009", "南岸社区新建网格")),
        encoding="utf-8",
    )
    login(page, live_server, "admin", wenyan.DEMO_PASSWORD)

    page.goto("/manage/places/")
    page.click("text=上传网格边界（GeoJSON）")
    page.set_input_files("input[type=file]", str(path))
    page.click("text=在地图上预览")
    page.wait_for_selector("#preview-map path.uploaded-area")

    assert page.locator("#preview-map path.uploaded-area").count() == 2
    assert page.locator("#preview-table tbody tr").count() == 2
    assert not Grid.objects.filter(code="330109012003009").exists()

    page.click("#confirm-import")
    page.wait_for_url(f"{live_server.url}/manage/places/")
    grid = Grid.objects.get(code="330109012003009")

    page.goto("/manage/users/new/")
    page.fill("#id_username", "xinwangge")
    page.fill("#id_full_name", "新网格员")
    page.select_option("#id_role", "grid_worker")
    page.select_option("#id_scope", f"grid:{grid.pk}")
    page.click("text=创建账户")
    password = page.locator("#one-time-password").inner_text()
    assert len(password) == 12

    page.context.clear_cookies()
    login(page, live_server, "xinwangge", password)
    assert page.locator("h1").inner_text() == "您好，新网格员"

    point = parse_boundary(grid.boundary).representative_point()
    page.goto("/events/report/")
    page.fill("#category-search", "暴露垃圾")
    page.locator(".category-option:not([hidden])").first.click()
    page.fill("#id_lat", f"{point.y:.6f}")
    page.fill("#id_lng", f"{point.x:.6f}")
    page.fill("#id_description", "南岸社区新建网格内垃圾堆积")
    with page.expect_navigation():
        page.click("#report-submit")

    event = Event.objects.get(description="南岸社区新建网格内垃圾堆积")
    assert (event.grid_id, event.reported_by.username) == (grid.pk, "xinwangge")
    assert page.url == f"{live_server.url}/events/{event.number}/"
