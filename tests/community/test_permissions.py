"""Every role against every write of the community app: the allowed ones succeed, the others
are refused and change nothing (rows and audit trail)."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.community import grants, ledger, services
from jiedao.community.models import (
    Call,
    CallResponse,
    Fund,
    FundBalance,
    FundEntry,
    GrantApplication,
    GrantRound,
    GrantScore,
    Need,
    NeedGroup,
    Organisation,
)
from jiedao.core.errors import ApplicationError
from jiedao.geo.models import Community
from tests.roles import ALL_ROLES

ALLOWED = {
    "raise": {"grid_worker", "grid_lead", "administrator"},
    "assess": {"grid_lead", "administrator"},
    "call": {"grid_lead", "administrator"},
    "report_in": {"social_organisation"},
    "register": {"grid_lead", "dispatcher", "administrator"},
    "book": {"administrator"},
    "open_round": {"administrator"},
    "apply": {"social_organisation"},
    "score": {"administrator", "supervisor"},
}


def everything() -> tuple:
    return (
        Need.objects.count(),
        list(Need.objects.order_by("pk").values_list("status", flat=True)),
        Call.objects.count(),
        CallResponse.objects.count(),
        Organisation.objects.count(),
        FundEntry.objects.count(),
        list(FundBalance.objects.values_list("injected", "committed", "paid")),
        list(GrantRound.objects.values_list("pk", "status")),
        list(GrantApplication.objects.values_list("pk", "status")),
        list(GrantScore.objects.values_list("pk", "score")),
        AuditEntry.objects.count(),
    )


@pytest.fixture
def sanjiang(wenyan_demo):
    return Community.objects.get(name="三江社区")


@pytest.fixture
def assessed(sanjiang):
    need = services.need_raise(
        actor=SYSTEM,
        community=sanjiang,
        group=NeedGroup.objects.get(code="elderly"),
        source="visit",
        title="助浴服务",
    )
    return services.need_transition(actor=SYSTEM, need=need, action="assess")


def attempt(name, user, sanjiang, assessed, call):
    """``call`` is what the attempt needs made beforehand: a call, or an application to score."""
    if name == "raise":
        return services.need_raise(
            actor=user,
            community=sanjiang,
            group=NeedGroup.objects.get(code="youth"),
            source="survey",
            title="自习室",
        )
    if name == "assess":
        need = Need.objects.filter(community=sanjiang, status="collected").first()
        return services.need_transition(actor=user, need=need, action="assess")
    if name == "call":
        return services.call_blow(actor=user, need=assessed, message="请报到")
    if name == "report_in":
        return services.call_report_in(
            actor=user, call=call, organisation=Organisation.objects.get(name="三江社工站")
        )
    if name == "register":
        return services.organisation_register(
            actor=user,
            subdistrict_id=sanjiang.subdistrict_id,
            name="三江邻里互助会",
            credit_code="91350100M000100Y43",
            kind="community_group",
            services="邻里互助",
            communities=[sanjiang],
        )
    if name == "open_round":
        return grants.round_open(
            actor=user,
            fund=Fund.objects.get(),
            name="新一轮创投",
            budget="100000",
            max_per_project="10000",
            opens_on=date(2024, 1, 1),
            closes_on=date(2024, 2, 1),
        )
    grant_round = GrantRound.objects.get(status="open")
    station = Organisation.objects.get(name="三江社工站")
    if name == "apply":
        return grants.application_submit(
            actor=user,
            grant_round=grant_round,
            organisation=station,
            title="一老一小",
            summary="说明",
            amount="10000",
        )
    if name == "score":
        return grants.application_score(actor=user, application=call, score=80)
    return ledger.fund_entry_book(
        actor=user,
        fund=Fund.objects.get(),
        kind="commitment",
        amount=Decimal(1000),
        description="项目",
    )


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("name", sorted(ALLOWED))
def test_each_role_may_do_what_its_policy_says_and_a_refusal_changes_nothing(
    users, sanjiang, assessed, role, name
):
    call: Any = None
    if name == "report_in":
        call = services.call_blow(actor=SYSTEM, need=assessed, message="请报到")
    if name == "score":
        # the application to score exists before the attempt
        call = grants.application_submit(
            actor=SYSTEM,
            grant_round=GrantRound.objects.get(status="open"),
            organisation=Organisation.objects.get(name="三江社工站"),
            title="一老一小",
            summary="说明",
            amount="10000",
        )
    before = everything()
    if role in ALLOWED[name]:
        attempt(name, users[role], sanjiang, assessed, call)
        assert everything() != before
    else:
        with pytest.raises(ApplicationError) as raised:
            attempt(name, users[role], sanjiang, assessed, call)
        assert raised.value.status in (401, 403, 404)
        assert everything() == before
