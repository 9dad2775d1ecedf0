"""The community's doors through HTTP: a call answered from the pages, the residents' form and
list in the portal, the fund's page and export, and the page and the API agreeing."""

import html
import re
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from jiedao.audit.models import AuditEntry
from jiedao.community.models import Call, CallResponse, Fund, FundEntry, Need, Organisation
from jiedao.geo.models import Community


def alert(response) -> str:
    found = re.findall(r'role="alert"[^>]*>([^<]*)<', response.content.decode())
    return html.unescape(" ".join(found))


def test_sanjiang_blows_the_whistle_and_shegong_answers_it_from_the_pages(client_for):
    sanjiang, shegong = client_for("grid_lead"), client_for("social_organisation")
    need = Need.objects.get(title="暑期托管班", status="collected")

    assert (
        sanjiang.post(f"/community/needs/{need.pk}/action/", {"action": "assess"}).status_code
        == 302
    )
    page = sanjiang.post(
        f"/community/needs/{need.pk}/call/", {"message": "暑假托管需要社工，请报到"}
    )
    call = Call.objects.get(need=need)
    assert page.url == f"/community/calls/{call.pk}/"

    station = Organisation.objects.get(name="三江社工站")
    assert "报到" in shegong.get(f"/community/calls/{call.pk}/").content.decode()
    shegong.post(f"/community/calls/{call.pk}/report-in/", {"organisation": station.pk})
    response = CallResponse.objects.get(call=call)
    shegong.post(
        f"/community/responses/{response.pk}/action/", {"action": "commit", "text": "7月开班"}
    )
    shegong.post(
        f"/community/responses/{response.pk}/action/", {"action": "complete", "text": "开班20天"}
    )
    sanjiang.post(f"/community/needs/{need.pk}/action/", {"action": "meet"})

    need.refresh_from_db()
    call.refresh_from_db()
    response.refresh_from_db()
    assert (need.status, need.matched_label, call.is_open, response.status) == (
        "met",
        "三江社工站",
        False,
        "completed",
    )


def test_a_need_refused_at_the_page_and_the_api_gives_the_same_message_and_writes_nothing(
    client_for,
):
    client = client_for("grid_lead")
    need = Need.objects.get(title="暑期托管班", status="collected")
    before = (AuditEntry.objects.count(), Need.objects.get(pk=need.pk).status)

    page = client.post(f"/community/needs/{need.pk}/action/", {"action": "decline", "reason": " "})
    api = client.post(
        f"/api/community/needs/{need.pk}/actions",
        {"action": "decline", "reason": " "},
        content_type="application/json",
    )

    assert (page.status_code, alert(page)) == (422, "理由 为必填项。")
    assert (api.status_code, api.json()["error"]["message"], api.json()["error"]["field"]) == (
        422,
        "理由 为必填项。",
        "reason",
    )
    assert (AuditEntry.objects.count(), Need.objects.get(pk=need.pk).status) == before


def test_a_resident_raises_a_need_in_the_portal_without_an_account(wenyan_demo):
    client = Client()
    community = Community.objects.get(name="南岸社区")
    assert client.get("/public/needs/new/").status_code == 200
    sent = client.post(
        "/public/needs/new/",
        {
            "community": community.pk,
            "group": "elderly",
            "title": "小区加装扶手",
            "description": "楼道台阶多",
            "contact_name": "李大爷",
            "contact_phone": "13700001111",
        },
    )
    assert sent.url == f"/public/needs/?community={community.pk}&sent=1"
    need = Need.objects.get(title="小区加装扶手")
    assert (need.source, need.status, need.community, need.contact_phone) == (
        "portal",
        "collected",
        community,
        "13700001111",
    )
    listed = client.get(f"/public/needs/?community={community.pk}").content.decode()
    assert ("小区加装扶手" in listed, "李大爷" in listed, "13700001111" in listed) == (
        True,
        False,
        False,
    )


def test_the_portal_form_names_a_bad_field_and_writes_nothing(wenyan_demo):
    client = Client()
    community = Community.objects.get(name="南岸社区")
    before = (Need.objects.count(), AuditEntry.objects.count())
    page = client.post(
        "/public/needs/new/",
        {"community": community.pk, "group": "elderly", "title": "扶手", "contact_phone": "abc"},
    )
    assert (page.status_code, alert(page)) == (
        422,
        "联系电话不是电话号码：请只填数字，例如 13800138000。",
    )
    assert (Need.objects.count(), AuditEntry.objects.count()) == before


def test_the_portal_form_is_rate_limited(wenyan_demo, settings):
    settings.PORTAL_REPORTS_PER_MINUTE = 2
    client = Client()
    statuses = [client.post("/public/needs/new/", {"title": "x"}).status_code for _ in range(3)]
    assert statuses == [422, 422, 429]


def test_the_fund_page_refuses_overspending_by_label_and_exports_excel(client_for):
    client = client_for("administrator")
    fund = Fund.objects.get()
    before = (FundEntry.objects.count(), AuditEntry.objects.count())
    page = client.post(
        f"/community/fund/{fund.pk}/",
        {"kind": "commitment", "amount": "1150000.01", "description": "超额项目"},
    )
    assert (page.status_code, alert(page)) == (
        422,
        "金额（元）1,150,000.01 超过基金可用余额 1,150,000.00 元。",
    )
    assert (FundEntry.objects.count(), AuditEntry.objects.count()) == before

    export = client.get(
        f"/community/fund/{fund.pk}/statement.xlsx?since=2022-01-01&until=2022-06-30"
    )
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[6] == ("期末", 2000000, 220000, 220000, 1780000, 0)


@pytest.mark.parametrize(
    ("role", "status"),
    [("grid_lead", 200), ("social_organisation", 403), ("resident", 403), ("supervisor", 200)],
)
def test_the_fund_page_is_for_those_who_read_it(client_for, role, status):
    fund = Fund.objects.get()
    assert client_for(role).get(f"/community/fund/{fund.pk}/").status_code == status


@pytest.mark.parametrize("role", ["grid_lead", "social_organisation", "dispatcher"])
def test_the_workspace_and_the_lists_open_for_the_roles_that_use_them(client_for, role):
    client = client_for(role)
    for url in ["/community/", "/community/needs/", "/community/organisations/"]:
        assert client.get(url).status_code == 200, url


def test_the_api_is_in_the_openapi_document(client_for):
    paths = client_for("dispatcher").get("/api/openapi.json").json()["paths"]
    assert {
        "/api/community/needs",
        "/api/community/calls",
        "/api/community/funds/{fund_id}/entries",
        "/api/community/public/communities/{community_id}/needs",
        "/api/community/projects/{application_id}",
        "/api/community/projects/{application_id}/milestones",
        "/api/community/projects/{application_id}/progress",
        "/api/community/milestones/{milestone_id}/done",
    } <= set(paths)


def test_the_navigation_leads_the_lead_to_the_community(client_for):
    page = client_for("grid_lead").get("/").content.decode()
    assert 'href="/community/"' in page
