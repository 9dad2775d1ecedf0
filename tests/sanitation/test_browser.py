import pytest

from jiedao.demo import wenyan
from jiedao.sanitation.models import DropOff, Inspection, Rectification
from tests.browser import PHONE, login

pytestmark = pytest.mark.browser


def test_wangge_records_drop_offs_and_an_inspection_at_a_collection_point_on_a_phone(
    browser_page, live_server, transactional_db, wenyan_demo
):
    # given the grid worker at 三江名苑's first collection point, on a phone
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, live_server, "wangge", wenyan.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/sanitation/")
    page.click("text=三江名苑")
    page.click("text=1号投放点")
    # when they record a household's drop-off that was not sorted correctly
    page.fill("#id_account_number", "sjmy-0001")
    page.check("#id_waste_class_1")  # 易腐垃圾
    page.fill("#id_weight_kg", "1.8")
    page.check("#id_is_correct_1")  # 分类不正确
    with page.expect_navigation():
        page.click("text=保存投放记录")
    # then it is on today's list
    assert (
        "已记录 SJMY-0001 的投放：1.800 公斤 易腐垃圾。" in page.locator(".messages").inner_text()
    )
    assert "分类不正确" in page.locator("ul.drop-offs").inner_text()
    # when they record the day's inspection with one finding for the responsible party
    page.select_option("#id_finding_0_kind", "overflowing")
    page.fill("#id_finding_0_description", "易腐垃圾桶满溢")
    page.fill("#id_finding_0_working_days", "2")
    with page.expect_navigation():
        page.click("text=保存巡检")
    # then the page shows the inspection and its deadline, and the records are written
    assert "巡检已记录，发现 1 个问题。" in page.locator(".messages").inner_text()
    assert "易腐垃圾桶满溢" in page.locator("#inspection").inner_text()
    drop_off = DropOff.objects.filter(account__number="SJMY-0001").latest("pk")
    inspection = Inspection.objects.latest("pk")
    item = Rectification.objects.get(finding__inspection=inspection)
    assert (drop_off.is_correct, drop_off.checked_by.username, inspection.inspector.username) == (
        False,
        "wangge",
        "wangge",
    )
    assert (item.working_days, item.status, item.compound.name) == (2, "open", "三江名苑")
