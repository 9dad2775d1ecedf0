import pytest

from jiedao.demo import wenyan
from jiedao.supervision.models import Plan, ProgressReport
from tests.browser import PHONE, login

pytestmark = pytest.mark.browser


def test_the_lead_unit_files_q4_progress_through_the_form(
    browser_page, live_server, transactional_db, wenyan_demo
):
    # given the city-management handler, lead unit of task 5 of the demo plan
    plan = Plan.objects.get()
    task = plan.tasks.get(sequence=5)
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, live_server, "chengguan", wenyan.DEMO_PASSWORD)
    # when they open their task from the plan and file Q4 progress with the target values
    page.goto(f"{live_server.url}/supervision/plans/{plan.pk}/")
    page.click(f"a[href='/supervision/tasks/{task.pk}/']")
    page.select_option("#report-period", "4")
    page.fill("#report-text", "四季度完成全部8条道路、15块闲置地块的景观提升。")
    targets = list(task.targets.all())
    page.fill(f"#target-{targets[0].pk}", "8")
    page.fill(f"#target-{targets[1].pk}", "15")
    with page.expect_navigation():
        page.click("#file-progress button[type=submit]")
    # then the report is saved, shown in the timeline, and the task is done
    assert page.locator(".messages").inner_text() == "已填报第4季度进展。"
    assert (
        "四季度完成全部8条道路、15块闲置地块的景观提升。" in page.locator(".timeline").inner_text()
    )
    assert page.locator(".page-header .status").inner_text() == "已完成"
    report = ProgressReport.objects.filter(task=task, period__number=4).get()
    assert (report.reported_by.username, report.source) == ("chengguan", "form")
