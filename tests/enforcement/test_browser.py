import pytest

from jiedao.core.localtime import local_today
from jiedao.demo import wenyan
from jiedao.enforcement.models import Case, Inspection, InspectionPhoto, Rectification
from tests.browser import PHONE, login
from tests.images import camera_jpeg

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


# The task's phone: 390 × 844 CSS pixels.
PHONE_390 = {"width": 390, "height": 844}


def fits(page) -> bool:
    """Nothing on the page is wider than the screen."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]


def test_zhifa_walks_an_inspection_with_a_photo_to_a_case_on_a_phone(
    browser_page, live_server, transactional_db, wenyan_demo, tmp_path
):
    # given today's 综合查一次 inspection that is planned, not started, and a photo on the phone
    inspection = (
        Inspection.objects.filter(status="planned", action__kind="joint", planned_on=local_today())
        .order_by("pk")
        .first()
    )
    items = list(inspection.items.order_by("department_id", "matter__position", "pk"))
    photo = tmp_path / "门头.jpg"
    photo.write_bytes(camera_jpeg())  # 8 × 6, turned by its EXIF orientation
    page = browser_page
    page.set_viewport_size(PHONE_390)
    login(page, live_server, "zhifa", wenyan.DEMO_PASSWORD)

    # when zhifa opens it from the to-do list and starts it
    page.goto(f"{live_server.url}/enforcement/")
    page.click(f"a[href='/enforcement/inspections/{inspection.pk}/']")
    assert fits(page)
    with page.expect_navigation():
        page.click("button:has-text('开始检查')")
    # and answers every item, the second 不合格 with a photo
    for index, item in enumerate(items):
        row = page.locator(f"#item-{item.pk}")
        if index == 1:
            row.locator("input[value=fail]").check()
            row.locator("textarea").fill("后厨灭火器过期")
            row.locator("input[name=working_days]").fill("5")
            row.locator("input[type=file]").set_input_files(str(photo))
        else:
            row.locator("input[value=pass]").check()
        with page.expect_response(f"**/enforcement/items/{item.pk}/") as answer:
            row.locator("button[type=submit]").click()
        assert answer.value.status == 200, answer.value.text()[:3000]
        page.locator(f"#item-{item.pk} strong", has_text="合格").first.wait_for()
    # then the failed item shows its photo as a thumbnail, stored upright (6 × 8)
    stored = InspectionPhoto.objects.get(item=items[1])
    thumbnail = page.locator(f"#item-{items[1].pk} img[src='/enforcement/photos/{stored.pk}/']")
    thumbnail.wait_for()
    assert thumbnail.evaluate("image => image.naturalWidth") == 6
    assert fits(page)

    # when zhifa records a finding outside the checklist
    page.fill("#finding-text", "疏散通道堆放杂物")
    page.fill("#finding-days", "3")
    with page.expect_navigation():
        page.click("button:has-text('记录问题')")
    finding = Rectification.objects.get(inspection=inspection, item__isnull=True)
    assert "疏散通道堆放杂物" in page.locator("#findings").inner_text()

    # and opens a case from it on the finding's page
    page.click(f"#findings a[href='/enforcement/rectifications/{finding.pk}/recheck/']")
    assert fits(page)
    page.click("text=就此问题立案调查")
    page.fill("#case-title", "疏散通道堆放杂物")
    with page.expect_navigation():
        page.click("button:has-text('登记案件')")

    # then the case file links back to the finding, and nothing is wider than the screen
    case = Case.objects.get(rectification=finding)
    assert page.url.endswith(f"/enforcement/cases/{case.pk}/")
    back = page.locator(f"a[href='/enforcement/rectifications/{finding.pk}/recheck/']")
    assert back.inner_text() == "疏散通道堆放杂物"
    assert fits(page)
    finding.refresh_from_db()
    assert (case.source, case.target_id, finding.status) == (
        "rectification",
        inspection.target_id,
        "escalated",
    )
