import pytest

from jiedao.demo import wenyan
from jiedao.enforcement.models import Inspection, Rectification
from tests.browser import PHONE, login

pytestmark = pytest.mark.browser


def test_zhifa_records_a_joint_inspection_on_a_phone(
    browser_page, live_server, transactional_db, wenyan_demo
):
    # given the inspection of today's 综合查一次 round that zhifa has started
    inspection = Inspection.objects.get(status="in_progress")
    items = list(inspection.items.order_by("department_id", "matter__position", "pk"))
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, live_server, "zhifa", wenyan.DEMO_PASSWORD)
    # when they open it from their to-do list and record each item, one of them 不合格
    page.goto(f"{live_server.url}/enforcement/")
    page.click(f"a[href='/enforcement/inspections/{inspection.pk}/']")
    for index, item in enumerate(items):
        row = page.locator(f"#item-{item.pk}")
        if index == 1:
            row.locator("input[value=fail]").check()
            row.locator("textarea").fill("店外摆放桌椅经营")
            row.locator("input[name=working_days]").fill("5")
        else:
            row.locator("input[value=pass]").check()
        with page.expect_response(f"**/enforcement/items/{item.pk}/") as answer:
            row.locator("button[type=submit]").click()
        assert answer.value.status == 200, answer.value.text()[:3000]
        page.locator(f"#item-{item.pk} strong", has_text="合格").first.wait_for()
    page.fill("#conclusion", "发现问题1处，责令限期整改")
    with page.expect_navigation():
        page.click("text=完成检查")
    # then the inspection is completed with one rectification item, shown on the page
    assert page.locator("p.lead").inner_text().startswith("已完成")
    assert "店外摆放桌椅经营" in page.locator("#findings").inner_text()
    inspection.refresh_from_db()
    rectification = Rectification.objects.get(inspection=inspection)
    assert (inspection.status, rectification.item_id, rectification.working_days) == (
        "completed",
        items[1].pk,
        5,
    )
