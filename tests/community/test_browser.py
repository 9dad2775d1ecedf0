import pytest

from jiedao.community.models import Call, CallResponse
from jiedao.demo import wenyan
from tests.browser import PHONE, login

pytestmark = pytest.mark.browser


def test_the_organisation_answers_the_open_call_on_a_phone(
    browser_page, live_server, transactional_db, wenyan_demo
):
    # given the demo's open call in 三江社区, which 三江社工站 has not answered
    call = Call.objects.get(closed_at__isnull=True)
    page = browser_page
    page.set_viewport_size(PHONE)
    login(page, live_server, "shegong", wenyan.DEMO_PASSWORD)
    # when shegong opens it from the workspace, reports in and commits
    page.goto(f"{live_server.url}/community/")
    page.click(f"#open-calls a[href='/community/calls/{call.pk}/']")
    with page.expect_navigation():
        page.click("#report-in button[type=submit]")
    response = CallResponse.objects.get(call=call)
    page.fill(f"#response-text-{response.pk}", "每周二上午派两名社工陪同就医")
    with page.expect_navigation():
        page.click("#responses button[type=submit]")
    # then the page shows the commitment and the need is matched to the organisation
    assert "每周二上午派两名社工陪同就医" in page.locator("#responses").inner_text()
    response.refresh_from_db()
    call.need.refresh_from_db()
    assert (response.status, call.need.status, call.need.matched_label) == (
        "committed",
        "matched",
        "三江社工站",
    )
