"""Cases through HTTP: zhifa opens a case from a finding and moves it on the pages, the legal
reviewer fazhi passes the legal review (zhifa and the undesignated supervisor may not); the page and the API refuse the same bad input with the
same message and write nothing; the lists run a constant number of statements; the OpenAPI
document and the admin show the cases."""

import html
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from jiedao.accounts.models import User
from jiedao.core.localtime import local_today
from jiedao.enforcement import services
from jiedao.enforcement.models import Case, Rectification, Target

from .test_cases_workflow import case_state


def alert(response) -> str:
    match = re.search(r'role="alert"[^>]*>(.*?)</p>', response.content.decode(), re.DOTALL)
    return html.unescape(match.group(1).strip()) if match else ""


def test_a_case_from_a_finding_on_the_pages(client_for):
    officer, supervisor = client_for("enforcement_officer"), client_for("supervisor")
    reviewer = Client()
    reviewer.force_login(User.objects.get(username="fazhi"))
    finding = Rectification.objects.filter(status="open").order_by("pk").first()

    form = officer.get(f"/enforcement/cases/new/?rectification={finding.pk}")
    opened = officer.post(
        "/enforcement/cases/new/",
        {"title": "逾期未整改", "rectification_id": finding.pk, "needs_review": "1"},
    )
    case = Case.objects.get(rectification=finding)
    filed = officer.post(
        f"/enforcement/cases/{case.pk}/step/",
        {"action": "file", "occurred_on": (local_today() - timedelta(days=5)).isoformat()},
    )
    early = officer.post(
        f"/enforcement/cases/{case.pk}/step/",
        {"action": "notify", "facts": "逾期未整改", "basis": "第三十条"},
    )
    officer.post(
        f"/enforcement/cases/{case.pk}/step/",
        {"action": "submit_review", "facts": "逾期未整改", "basis": "第三十条"},
    )
    refused = officer.post(
        f"/enforcement/cases/{case.pk}/step/", {"action": "approve", "note": "同意"}
    )
    undesignated = supervisor.post(
        f"/enforcement/cases/{case.pk}/step/", {"action": "approve", "note": "同意"}
    )
    approved = reviewer.post(
        f"/enforcement/cases/{case.pk}/step/", {"action": "approve", "note": "同意"}
    )
    page = officer.get(f"/enforcement/cases/{case.pk}/").content.decode()
    back = officer.get(f"/enforcement/rectifications/{finding.pk}/recheck/").content.decode()
    case.refresh_from_db()

    assert (
        form.status_code,
        opened.status_code,
        filed.status_code,
        early.status_code,
        alert(early),
        refused.status_code,
        undesignated.status_code,
        approved.status_code,
        case.status,
    ) == (200, 302, 302, 409, "本案须经法制审核后方可告知当事人。", 403, 403, 302, "notice")
    assert ("法制审核通过" in page, "作出决定" in page, "逾期未整改" in back) == (True, True, True)
    assert "作出决定</button>" in page


def test_the_page_and_the_api_refuse_a_fine_above_the_simple_limit_alike(client_for):
    client = client_for("enforcement_officer")
    person = Target.objects.filter(kind="person").order_by("pk").first()
    fields = {
        "target_id": person.pk,
        "title": "当场处罚",
        "facts": "乱扔垃圾",
        "basis": "第三十条",
        "penalty_kind": "fine",
        "fine": "250",
    }
    before = case_state()

    page = client.post("/enforcement/cases/simple/", fields)
    api = client.post("/api/enforcement/cases/simple", fields, content_type="application/json")

    message = "罚款金额：简易程序对该当事人最多可处 200 元罚款。"
    assert (page.status_code, alert(page), api.status_code, api.json()["error"]) == (
        422,
        message,
        422,
        {"code": "above_limit", "message": message, "field": "fine", "extra": {}},
    )
    assert case_state() == before


def test_the_api_runs_a_case(client_for):
    client = client_for("enforcement_officer")
    target = Target.objects.filter(kind="business").order_by("pk").first()

    opened = client.post(
        "/api/enforcement/cases",
        {"title": "占道经营", "target_id": target.pk},
        content_type="application/json",
    )
    case_id = opened.json()["id"]
    filed = client.post(
        f"/api/enforcement/cases/{case_id}/steps",
        {"action": "file", "occurred_on": local_today().isoformat()},
        content_type="application/json",
    )

    assert (opened.status_code, opened.json()["status"], opened.json()["moves"]) == (
        201,
        "lead",
        ["file", "decline"],
    )
    assert (filed.status_code, filed.json()["status"], filed.json()["clock"]) == (
        200,
        "investigating",
        "decision",
    )
    assert [step["action"] for step in filed.json()["steps"]] == ["open", "file"]


def count_statements(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("url", "statements"),
    # A page counts one more than its API: the navigation's unread-notifications badge.
    [("/api/enforcement/cases", 6), ("/enforcement/cases/", 7)],
)
def test_case_lists_run_a_constant_number_of_statements(client_for, users, url, statements):
    client = client_for("enforcement_officer")
    first = count_statements(client, url)
    for target in Target.objects.filter(kind="business").order_by("pk")[:3]:
        services.case_open(
            actor=users["enforcement_officer"], title="占道经营", target_id=target.pk
        )

    assert (first, count_statements(client, url)) == (statements, statements)


def test_the_openapi_document_and_the_admin_show_the_cases(client_for):
    schema = client_for("supervisor").get("/api/openapi.json").json()
    admin = client_for("administrator")

    assert {
        "/api/enforcement/cases",
        "/api/enforcement/cases/simple",
        "/api/enforcement/cases/{case_id}",
        "/api/enforcement/cases/{case_id}/steps",
    } <= set(schema["paths"])
    assert (
        admin.get("/admin/enforcement/case/").status_code,
        admin.get(f"/admin/enforcement/case/{Case.objects.first().pk}/change/").status_code,
    ) == (200, 200)
