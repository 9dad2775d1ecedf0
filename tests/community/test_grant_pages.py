"""A grant round through HTTP: shegong applies from the round's page, the panel scores, the
administrator selects, signs and pays the first tranche, and the fund's available balance falls
by exactly that tranche; a bad application is refused by label at the page and the API alike."""

import html
import re
from decimal import Decimal

from jiedao.audit.models import AuditEntry
from jiedao.community.models import FundBalance, GrantApplication, GrantRound, Organisation
from jiedao.core.localtime import local_today


def alert(response) -> str:
    found = re.findall(r'role="alert"[^>]*>([^<]*)<', response.content.decode())
    return html.unescape(" ".join(found))


def test_a_round_runs_from_application_to_first_payment_through_the_pages(client_for):
    grant_round = GrantRound.objects.get(status="open")
    url = f"/community/grants/{grant_round.pk}/action/"
    station = Organisation.objects.get(name="三江社工站")
    shegong, admin, leader = (
        client_for("social_organisation"),
        client_for("administrator"),
        client_for("supervisor"),
    )
    assert "三江社工站" in shegong.get(f"/community/grants/{grant_round.pk}/").content.decode()
    shegong.post(
        url,
        {
            "step": "apply",
            "organisation": station.pk,
            "title": "一老一小",
            "summary": "助餐与托管",
            "amount": "40000",
        },
    )
    application = GrantApplication.objects.get(round=grant_round)
    admin.post(url, {"step": "score", "application": application.pk, "score": "90"})
    leader.post(url, {"step": "score", "application": application.pk, "score": "81"})
    admin.post(url, {"step": "select"})
    application.refresh_from_db()
    assert (application.score, application.grade, application.status) == (
        Decimal("85.50"),
        "A",
        "selected",
    )
    before = FundBalance.objects.get(fund=grant_round.fund).available
    admin.post(
        url, {"step": "sign", "application": application.pk, "signed_on": local_today().isoformat()}
    )
    admin.post(url, {"step": "pay", "application": application.pk})
    balance = FundBalance.objects.get(fund=grant_round.fund)
    # signing commits the 40,000 the fund had available; the first tranche (50 %) is paid
    assert (before - balance.available, balance.paid - Decimal("535000.00")) == (
        Decimal("40000.00"),
        Decimal("20000.00"),
    )


def test_an_application_above_the_maximum_is_refused_alike_at_page_and_api(client_for):
    grant_round = GrantRound.objects.get(status="open")
    station = Organisation.objects.get(name="三江社工站")
    client = client_for("social_organisation")
    before = (GrantApplication.objects.count(), AuditEntry.objects.count())
    data = {"organisation": station.pk, "title": "大项目", "summary": "说明", "amount": "50000.01"}
    page = client.post(f"/community/grants/{grant_round.pk}/action/", {"step": "apply", **data})
    api = client.post(
        f"/api/community/grants/{grant_round.pk}/applications",
        {**data, "organisation_id": station.pk},
        content_type="application/json",
    )
    message = "申请金额（元）50,000.01 超过本轮每个项目最高 50,000.00 元。"
    assert (page.status_code, alert(page)) == (422, message)
    assert (api.status_code, api.json()["error"]["message"]) == (422, message)
    assert (GrantApplication.objects.count(), AuditEntry.objects.count()) == before


def test_the_applications_list_runs_a_constant_number_of_statements(
    users, django_assert_num_queries
):
    from jiedao.community import selectors

    grant_round = GrantRound.objects.get(name="2023年闻堰街道社区公益创投")
    with django_assert_num_queries(1):
        applications = selectors.application_list(user=users["dispatcher"], grant_round=grant_round)
    assert [a.tranches_paid for a in applications] == [1] * 21
