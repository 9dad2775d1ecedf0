"""The legal reviewers through their doors: the page (list, designate, withdraw), the API, the
admin and the command call the same services and answer alike; the case page and the API
refuse a review by the case's own handler with the same message and write nothing."""

import html
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM
from jiedao.core.localtime import local_today
from jiedao.enforcement import services
from jiedao.enforcement.models import LegalReviewer, Target
from tests.roles import ALL_ROLES

from .test_cases_workflow import case_state
from .test_reviewers import ROLE_REFUSAL, reviewer_state

MANAGERS = {"administrator", "supervisor"}


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def alerts(response) -> list[str]:
    block = re.search(r'role="alert">(.*?)</div>', response.content.decode(), re.DOTALL)
    found = re.findall(r"<p>(.*?)</p>", block.group(1)) if block else []
    return [html.unescape(text) for text in found]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_page_is_for_those_who_designate(client_for, role):
    response = client_for(role).get("/enforcement/reviewers/")
    home = client_for(role).get("/enforcement/").content.decode()

    assert response.status_code == (200 if role in MANAGERS else 403)
    assert ('href="/enforcement/reviewers/"' in home) == (role in MANAGERS)


def test_the_administrator_designates_and_withdraws_on_the_page(client_for, users):
    admin = client_for("administrator")
    leader = users["supervisor"]

    listed = admin.get("/enforcement/reviewers/").content.decode()
    designated = admin.post(
        "/enforcement/reviewers/", {"user_id": leader.pk, "certificate": "A20190000001"}
    )
    withdrawn = admin.post(f"/enforcement/reviewers/{leader.pk}/withdraw/")

    assert ("孙法审" in listed, "A20213301090001" in listed) == (True, True)
    assert (designated.status_code, withdrawn.status_code) == (302, 302)
    assert LegalReviewer.objects.filter(user=leader).values_list(
        "certificate", "designated_by__username", "withdrawn_by__username"
    ).get() == ("A20190000001", "admin", "admin")


def test_the_page_and_the_api_refuse_a_handler_as_reviewer_alike(client_for, users):
    chengguan = users["department_handler"]
    fields = {"user_id": chengguan.pk, "certificate": ""}
    before = reviewer_state()

    page = client_for("administrator").post("/enforcement/reviewers/", fields)
    api = client_for("administrator").post(
        "/api/enforcement/reviewers",
        {"user_id": chengguan.pk, "certificate": ""},
        content_type="application/json",
    )

    messages = [
        ROLE_REFUSAL,
        "法律职业资格或执法证号 为必填项。",
    ]
    error = api.json()["error"]
    assert (page.status_code, alerts(page)) == (422, messages)
    assert (api.status_code, [single["message"] for single in error["extra"]["errors"]]) == (
        422,
        messages,
    )
    assert reviewer_state() == before


def test_the_api_lists_designates_and_withdraws(client_for, users):
    leader = users["supervisor"]
    client = client_for("supervisor")

    designated = client.post(
        "/api/enforcement/reviewers",
        {"user_id": leader.pk, "certificate": "A20190000001"},
        content_type="application/json",
    )
    listed = client.get("/api/enforcement/reviewers")
    withdrawn = client.post(f"/api/enforcement/reviewers/{leader.pk}/withdraw")
    refused = client_for("enforcement_officer").get("/api/enforcement/reviewers")

    assert (designated.status_code, designated.json()["designated_by"]) == (201, "lingdao")
    assert [(r["username"], r["active"]) for r in listed.json()] == [
        ("lingdao", True),
        ("fazhi", True),
    ]
    assert (withdrawn.status_code, withdrawn.json()["active"], refused.status_code) == (
        200,
        False,
        403,
    )


def test_the_command_designates_and_withdraws(users):
    leader = users["supervisor"]
    out = StringIO()

    call_command(
        "enforcement", "reviewer", "designate", "lingdao", "--certificate", "A1", stdout=out
    )
    active = LegalReviewer.objects.get(user=leader).is_active
    call_command("enforcement", "reviewer", "withdraw", "lingdao", stdout=out)
    with pytest.raises(CommandError) as refused:
        call_command("enforcement", "reviewer", "designate", "chengguan", "--certificate", "A2")

    assert (out.getvalue(), active, LegalReviewer.objects.get(user=leader).is_active) == (
        "designated\tlingdao\nwithdrawn\tlingdao\n",
        True,
        False,
    )
    assert str(refused.value).startswith("法制审核人员：只有综合执法队员或街道领导")


def test_the_admin_designates_through_the_service(client_for, users):
    admin = client_for("administrator")
    leader, chengguan = users["supervisor"], users["department_handler"]
    before = reviewer_state()

    refused = admin.post(
        "/admin/enforcement/legalreviewer/add/", {"user": chengguan.pk, "certificate": "A1"}
    )
    unchanged = reviewer_state()
    added = admin.post(
        "/admin/enforcement/legalreviewer/add/", {"user": leader.pk, "certificate": "A2"}
    )

    assert (refused.status_code, unchanged) == (200, before)
    assert "只有综合执法队员或街道领导" in refused.content.decode()
    assert added.status_code == 302
    assert LegalReviewer.objects.filter(user=leader).values_list(
        "certificate", "designated_by__username"
    ).get() == ("A2", "admin")


# --- The review through the case's doors ----------------------------------------------------


def submitted(officer: User):
    target = Target.objects.filter(kind="business").order_by("pk").first()
    case = services.case_open(actor=officer, title="店外经营", target_id=target.pk)
    services.case_transition(
        actor=officer, case_id=case.pk, action="file", occurred_on=local_today() - timedelta(days=3)
    )
    return services.case_transition(
        actor=officer, case_id=case.pk, action="submit_review", facts="店外经营", basis="第二十二条"
    )


def test_the_page_and_the_api_refuse_the_handlers_own_review_alike(client_for, users):
    zhifa = users["enforcement_officer"]
    services.legal_reviewer_designate(actor=SYSTEM, user_id=zhifa.pk, certificate="A1")
    case = submitted(zhifa)
    client = client_for("enforcement_officer")
    before = case_state()

    page = client.post(f"/enforcement/cases/{case.pk}/step/", {"action": "approve", "note": "同意"})
    api = client.post(
        f"/api/enforcement/cases/{case.pk}/steps",
        {"action": "approve", "note": "同意"},
        content_type="application/json",
    )

    message = "您承办了本案，本案的法制审核须由其他法制审核人员进行。"
    assert (page.status_code, message in html.unescape(page.content.decode())) == (403, True)
    assert (api.status_code, api.json()["error"]["code"], api.json()["error"]["message"]) == (
        403,
        "not_reviewer",
        message,
    )
    assert case_state() == before


def test_the_reviewer_sees_the_review_forms_and_passes_it_through_the_api(users):
    case = submitted(users["enforcement_officer"])
    reviewer, officer = signed_in("fazhi"), signed_in("zhifa")

    file_page = reviewer.get(f"/enforcement/cases/{case.pk}/").content.decode()
    officer_page = officer.get(f"/enforcement/cases/{case.pk}/").content.decode()
    listed = reviewer.get("/enforcement/cases/?to_review=1").content.decode()
    detail = reviewer.get(f"/api/enforcement/cases/{case.pk}").json()
    passed = reviewer.post(
        f"/api/enforcement/cases/{case.pk}/steps",
        {"action": "approve", "note": "事实清楚，同意"},
        content_type="application/json",
    )

    assert ("审核意见" in file_page, "法制审核通过</button>" in file_page) == (True, True)
    assert "法制审核通过</button>" not in officer_page
    assert "店外经营" in listed
    assert detail["moves"] == ["approve", "return"]
    assert (passed.status_code, passed.json()["status"], passed.json()["steps"][-1]["note"]) == (
        200,
        "notice",
        "事实清楚，同意",
    )
