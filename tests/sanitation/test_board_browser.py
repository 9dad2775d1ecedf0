import pytest

from jiedao.sanitation.models.board import BlackListTask, MonthlyList
from tests.browser import PHONE, login
from tests.sanitation import board_records as records

pytestmark = pytest.mark.browser


def test_a_leader_publishes_the_month_and_a_resident_reads_it_on_a_phone(
    browser_page, live_server, transactional_db
):
    # given March's records in a small subdistrict, and its leader at the month's page
    people = records.people_per_role()
    records.march_records(people)
    page = browser_page
    login(page, live_server, people["supervisor"].username, "password-for-tests")
    page.goto(f"{live_server.url}/sanitation/board/?month=2026-03")
    assert "根据当前记录实时计算；发布后固定。" in page.locator("#status").inner_text()
    # when they publish it
    with page.expect_navigation():
        page.click("text=发布本月榜单")
    # then the page shows the published list, and the black-listed compound has its task
    assert "2026-03 的榜单已发布。" in page.locator(".messages").inner_text()
    assert MonthlyList.objects.get().month.isoformat() == "2026-03-01"
    assert BlackListTask.objects.get().compound.name == "丙小区"
    # when anyone opens the public list on a phone, without signing in
    context = page.context.browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE
    )
    phone = context.new_page()
    phone.goto(f"{live_server.url}/public/sanitation/lists/")
    # then they see every compound with its colour, and no household
    rows = phone.locator("table tbody tr").all_inner_texts()
    assert [row.split("\t")[:3] for row in rows] == [
        ["1", "红榜", "乙小区"],
        ["2", "黄榜", "甲小区"],
        ["3", "黑榜", "丙小区"],
        ["—", "", "丁小区"],
    ]
    assert "张三" not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()
