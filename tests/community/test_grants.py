"""公益创投 rounds: applications within the round's rules, review arithmetic and selection within
the budget, the agreement committing the grant, tranches paid only when their condition is met,
and a failed mid-term review stopping payments — bad input refused with nothing written."""

from datetime import date
from decimal import Decimal
from functools import partial

import pytest
from django.utils import translation

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.community import grants
from jiedao.community.grants import Ranked, select_within_budget
from jiedao.community.models import (
    FundBalance,
    FundEntry,
    GrantApplication,
    GrantRound,
    Organisation,
)
from jiedao.core.errors import Conflict, InvalidInput


@pytest.fixture
def grant_round(fund):
    """A round of 60 yuan, at most 30 per project, on the 100-yuan test fund."""
    return grants.round_open(
        actor=SYSTEM,
        fund=fund,
        name="测试创投",
        budget="60",
        max_per_project="30",
        opens_on=date(2023, 1, 1),
        closes_on=date(2099, 12, 31),
    )


def apply(grant_round, organisation, amount="30", title="项目"):
    return grants.application_submit(
        actor=SYSTEM,
        grant_round=grant_round,
        organisation=organisation,
        title=title,
        summary="说明",
        amount=amount,
    )


def written():
    return (
        GrantApplication.objects.count(),
        FundEntry.objects.count(),
        list(FundBalance.objects.values_list("injected", "committed", "paid")),
        AuditEntry.objects.count(),
    )


def test_selection_takes_a_and_b_by_score_within_the_budget():
    items = [
        Ranked(1, Decimal(90), "A", Decimal(40)),
        Ranked(2, Decimal(88), "A", Decimal(40)),
        Ranked(3, Decimal(70), "B", Decimal(20)),
        Ranked(4, Decimal(55), "C", Decimal(5)),
        Ranked(5, None, "", Decimal(5)),
    ]
    # 1 fits (30 left), 2 does not, 3 does (10 left); C and unscored never
    assert select_within_budget(items, Decimal(70)) == {1, 3}


def test_a_round_runs_from_application_to_the_first_payment(grant_round, users):
    organisations = list(Organisation.objects.order_by("pk")[:3])
    first, second, third = (
        apply(grant_round, o, amount)
        for o, amount in zip(organisations, ["30", "30", "20"], strict=True)
    )
    panel = [users["administrator"], users["supervisor"]]
    for application, scores in [(first, (90, 86)), (second, (70, 71)), (third, (50, 58))]:
        for reviewer, score in zip(panel, scores, strict=True):
            grants.application_score(actor=reviewer, application=application, score=score)

    grants.round_select(actor=users["administrator"], grant_round=grant_round)
    rows = list(
        GrantApplication.objects.filter(round=grant_round)
        .order_by("pk")
        .values_list("score", "grade", "status")
    )
    assert rows == [
        (Decimal("88.00"), "A", "selected"),
        (Decimal("70.50"), "B", "selected"),
        (Decimal("54.00"), "C", "not_selected"),
    ]

    available = FundBalance.objects.get(fund=grant_round.fund).available
    grants.agreement_sign(
        actor=users["administrator"], application=first, signed_on=date(2023, 3, 1)
    )
    payment = grants.tranche_pay(actor=users["administrator"], application=first)
    balance = FundBalance.objects.get(fund=grant_round.fund)
    assert (payment.amount, balance.available, balance.paid) == (
        Decimal("15.00"),
        available - Decimal("30.00"),
        Decimal("15.00"),
    )
    assert grants.first_tranche_due(date(2023, 3, 1)) == date(2023, 3, 22)


def test_a_failed_mid_term_review_stops_payments_and_releases_the_rest(grant_round, users):
    admin = users["administrator"]
    application = apply(grant_round, Organisation.objects.first())
    grants.application_score(actor=admin, application=application, score=90)
    grants.round_select(actor=admin, grant_round=grant_round)
    grants.agreement_sign(actor=admin, application=application, signed_on=date(2023, 3, 1))
    grants.tranche_pay(actor=admin, application=application)
    grants.review_record(actor=admin, application=application, stage="midterm", passed=False)

    application.refresh_from_db()
    balance = FundBalance.objects.get(fund=grant_round.fund)
    assert (application.status, balance.committed, balance.paid, balance.available) == (
        "stopped",
        Decimal("15.00"),
        Decimal("15.00"),
        Decimal("85.00"),
    )
    before = written()
    with pytest.raises(Conflict):
        grants.tranche_pay(actor=admin, application=application)
    assert written() == before


@pytest.mark.parametrize(
    ("case", "error", "message"),
    [
        ("above_maximum", InvalidInput, "申请金额（元）31.00 超过本轮每个项目最高 30.00 元。"),
        ("second_application", InvalidInput, "三江社工站 已申请本轮：每个组织限报一个项目。"),
        ("payment_before_signing", Conflict, "协议签订前不能拨付（项目为“已入选”）。"),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_is_written(
    grant_round, users, case, error, message
):
    station = Organisation.objects.get(name="三江社工站")
    admin = users["administrator"]
    if case == "second_application":
        apply(grant_round, station)
    attempt = partial(apply, grant_round, station, amount="31" if case == "above_maximum" else "10")
    if case == "payment_before_signing":
        application = apply(grant_round, station)
        grants.application_score(actor=admin, application=application, score=90)
        grants.round_select(actor=admin, grant_round=grant_round)
        attempt = partial(grants.tranche_pay, actor=admin, application=application)
    before = written()
    with translation.override("zh-hans"), pytest.raises(error) as raised:
        attempt()
    assert str(raised.value.message) == message
    assert written() == before


def test_the_demo_round_is_open_for_shegong(users):
    grant_round = GrantRound.objects.get(status="open")
    assert (grant_round.name[4:], grant_round.budget, grant_round.max_per_project) == (
        "年闻堰街道社区公益创投",
        Decimal("500000.00"),
        Decimal("50000.00"),
    )
    station = Organisation.objects.get(name="三江社工站")
    application = grants.application_submit(
        actor=users["social_organisation"],
        grant_round=grant_round,
        organisation=station,
        title="一老一小",
        summary="为老服务与儿童托管",
        amount="50000",
    )
    assert (application.status, application.amount) == ("submitted", Decimal("50000.00"))
