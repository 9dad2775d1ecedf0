import pytest

from jiedao.assessment.demo import assessment_demo_load
from jiedao.demo import wenyan
from jiedao.geo.models import Subdistrict
from tests.browser import PHONE, login

pytestmark = pytest.mark.browser


def test_a_member_follows_their_score_to_the_records_behind_it_on_a_phone(
    browser_page, live_server, transactional_db, wenyan_demo
):
    # given the demo team and its month of work
    assessment_demo_load(subdistrict=Subdistrict.objects.get(code="330109012"))
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, live_server, "zhifa", wenyan.DEMO_PASSWORD)
    # when zhifa opens his home card, then the count of inspections he completed
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.click("text=我的本月考核得分")
    assert "8.00 分，第 4 名（共 6 名）。" in page.locator("p.lead").inner_text()
    with page.expect_navigation():
        page.click("a[href*='/records/inspections/']")
    # then he sees the two inspections, each leading to its page in enforcement
    links = page.locator("ul.record-list a")
    assert links.count() == 2
    with page.expect_navigation():
        links.first.click()
    assert "/enforcement/inspections/" in page.url
