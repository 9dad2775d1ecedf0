"""The legal reviewers (法制审核人员): who may designate and be designated, withdrawing, the audit
trail; the legal review refused without a designation and to the case's own handler, with
nothing written; the send-back; the reviewer's card, filter and notices."""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiedao.accounts.models import User
from jiedao.accounts.permissions import ACTION_ROLES, SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import ApplicationError, Conflict, Forbidden, InvalidInput
from jiedao.core.localtime import local_today
from jiedao.enforcement import policy, services
from jiedao.enforcement import selectors_cases as selectors
from jiedao.enforcement.home import home_cards
from jiedao.enforcement.models import Case, LegalReviewer, Target
from jiedao.events.models import Notification
from tests.roles import ALL_ROLES

from .test_cases_workflow import case_state

MANAGERS = {"administrator", "supervisor"}
# The demo's case waiting for the legal review (jiedao/enforcement/demo_cases.py).
DEMO_IN_REVIEW = "（示例数据）杭州萧山王家里汽车修理厂60擅自设置户外广告案"
DESIGNABLE = {"enforcement_officer", "supervisor"}
ROLE_REFUSAL = (
    "法制审核人员：只有综合执法队员或街道领导可被指定为法制审核人员，赵城管 的角色是"
    "“部门处置人员”。"
)


def reviewer_state() -> tuple[object, ...]:
    return (
        list(LegalReviewer.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


def outcome(call) -> tuple[int, str]:
    """(status, field) of a call: 200 when it succeeds, else the refusal's."""
    status, field = 200, ""
    try:
        call()
    except ApplicationError as refusal:
        status, field = refusal.status, refusal.field or ""
    return status, field


def fazhi() -> User:
    return User.objects.get(username="fazhi")


def shop() -> Target:
    return Target.objects.filter(kind="business").order_by("pk").first()


def submitted_by(officer: User, title: str = "店外经营") -> Case:
    """A case that ``officer`` opened, filed and sent for the legal review."""
    case = services.case_open(actor=officer, title=title, target_id=shop().pk)
    services.case_transition(
        actor=officer, case_id=case.pk, action="file", occurred_on=local_today() - timedelta(days=3)
    )
    return services.case_transition(
        actor=officer, case_id=case.pk, action="submit_review", facts=title, basis="第二十二条"
    )


# --- Designating -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", ALL_ROLES)
def test_designating_per_role(users, role):
    leader = users["supervisor"]
    before = reviewer_state()

    status, _ = outcome(
        lambda: services.legal_reviewer_designate(
            actor=users[role], user_id=leader.pk, certificate="A20190000001"
        )
    )

    if role in MANAGERS:
        assert (status, LegalReviewer.objects.get(user=leader).is_active) == (200, True)
    else:
        assert (status, reviewer_state()) == (403, before)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_officers_and_leaders_can_be_designated(users, role):
    before = reviewer_state()

    result = outcome(
        lambda: services.legal_reviewer_designate(
            actor=users["administrator"], user_id=users[role].pk, certificate="A20190000001"
        )
    )

    if role in DESIGNABLE:
        assert result == (200, "")
    else:
        assert (result, reviewer_state()) == ((422, "user"), before)


def test_the_refusal_names_the_field_the_person_and_the_role(users):
    before = reviewer_state()

    with pytest.raises(InvalidInput) as error:
        services.legal_reviewer_designate(
            actor=users["administrator"],
            user_id=users["department_handler"].pk,
            certificate="A20190000001",
        )

    assert (error.value.field, str(error.value.message), reviewer_state()) == (
        "user",
        ROLE_REFUSAL,
        before,
    )


def test_an_unknown_user_and_an_empty_certificate_are_reported_together(users):
    before = reviewer_state()

    with pytest.raises(InvalidInput) as error:
        services.legal_reviewer_designate(
            actor=users["administrator"], user_id=999999, certificate="  "
        )

    assert [(e.field, str(e.message)) for e in error.value.errors] == [
        ("user", "法制审核人员：请选择工作人员。"),
        ("certificate", "法律职业资格或执法证号 为必填项。"),
    ]
    assert reviewer_state() == before


def test_designating_twice_is_a_conflict(users):
    before = reviewer_state()

    with pytest.raises(Conflict) as error:
        services.legal_reviewer_designate(
            actor=users["administrator"], user_id=fazhi().pk, certificate="A1"
        )

    assert (str(error.value.message), reviewer_state()) == ("孙法审 已是法制审核人员。", before)


def test_designate_withdraw_and_renew_are_audited(users):
    admin, leader = users["administrator"], users["supervisor"]
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()

    designated = services.legal_reviewer_designate(
        actor=admin, user_id=leader.pk, certificate=" A20190000001 "
    )
    withdrawn = services.legal_reviewer_withdraw(actor=leader, user_id=leader.pk)
    renewed = services.legal_reviewer_designate(
        actor=admin, user_id=leader.pk, certificate="B20240000002"
    )

    assert (designated.pk, designated.certificate, designated.designated_by) == (
        renewed.pk,
        "A20190000001",
        admin,
    )
    assert (withdrawn.withdrawn_by, withdrawn.withdrawn_at is not None) == (leader, True)
    assert (renewed.certificate, renewed.withdrawn_at, renewed.withdrawn_by, renewed.is_active) == (
        "B20240000002",
        None,
        None,
        True,
    )
    entries = AuditEntry.objects.filter(pk__gt=last).order_by("pk")
    assert [(e.action, e.actor_id, e.after["certificate"]) for e in entries] == [
        ("enforcement.reviewer_designate", admin.pk, "A20190000001"),
        ("enforcement.reviewer_withdraw", leader.pk, "A20190000001"),
        ("enforcement.reviewer_designate", admin.pk, "B20240000002"),
    ]


@pytest.mark.parametrize("role", ALL_ROLES)
def test_withdrawing_per_role(users, role):
    before = reviewer_state()

    status, _ = outcome(
        lambda: services.legal_reviewer_withdraw(actor=users[role], user_id=fazhi().pk)
    )

    if role in MANAGERS:
        assert (status, LegalReviewer.objects.get(user=fazhi()).is_active) == (200, False)
    else:
        assert (status, reviewer_state()) == (403, before)


# --- The legal review ------------------------------------------------------------------------


def test_a_leader_without_a_designation_may_not_review_and_nothing_is_written(users):
    case = submitted_by(users["enforcement_officer"])
    before = case_state()

    with pytest.raises(Forbidden) as error:
        services.case_transition(
            actor=users["supervisor"], case_id=case.pk, action="approve", note="同意"
        )

    assert (str(error.value.message), error.value.code, case_state()) == (
        "只有被指定的法制审核人员才能进行法制审核。",
        "not_reviewer",
        before,
    )
    assert selectors.case_moves(users["supervisor"], case) == ["extend"]


def test_a_designated_reviewer_may_not_review_a_case_they_handled(users):
    zhifa = users["enforcement_officer"]
    services.legal_reviewer_designate(actor=SYSTEM, user_id=zhifa.pk, certificate="A1")
    case = submitted_by(zhifa)
    before = case_state()

    with pytest.raises(Forbidden) as error:
        services.case_transition(actor=zhifa, case_id=case.pk, action="return", note="补充证据")

    assert (str(error.value.message), case_state()) == (
        "您承办了本案，本案的法制审核须由其他法制审核人员进行。",
        before,
    )
    assert (selectors.case_moves(zhifa, case), selectors.case_moves(fazhi(), case)) == (
        [],
        ["approve", "return"],
    )


def test_filing_a_case_someone_else_opened_makes_one_its_handler(users):
    zhifa = users["enforcement_officer"]
    services.legal_reviewer_designate(actor=SYSTEM, user_id=zhifa.pk, certificate="A1")
    case = services.case_open(
        actor=SYSTEM, title="店外经营", target_id=shop().pk, department_id=zhifa.department_id
    )
    services.case_transition(actor=zhifa, case_id=case.pk, action="file", occurred_on=local_today())
    services.case_transition(
        actor=SYSTEM, case_id=case.pk, action="submit_review", facts="店外经营", basis="第二十二条"
    )

    assert (policy.can_review(zhifa, case), policy.can_review(fazhi(), case)) == (False, True)


def test_a_withdrawn_reviewer_may_review_no_more(users):
    case = submitted_by(users["enforcement_officer"])
    services.legal_reviewer_withdraw(actor=users["administrator"], user_id=fazhi().pk)
    before = case_state()

    with pytest.raises(Forbidden):
        services.case_transition(actor=fazhi(), case_id=case.pk, action="approve", note="同意")

    assert (case_state(), selectors.case_moves(fazhi(), case)) == (before, [])


def test_the_reviewer_sends_a_case_back_with_the_reason_and_it_comes_back(users):
    zhifa, reviewer = users["enforcement_officer"], fazhi()
    case = submitted_by(zhifa)

    returned = services.case_transition(
        actor=reviewer, case_id=case.pk, action="return", note="缺少现场检查笔录，请补充后重新提交"
    )
    services.case_transition(
        actor=zhifa, case_id=case.pk, action="submit_review", facts="店外经营", basis="第二十二条"
    )
    approved = services.case_transition(
        actor=reviewer, case_id=case.pk, action="approve", note="事实清楚，证据确凿，同意"
    )

    assert returned.status == "investigating"
    assert (approved.status, approved.reviewed_at is not None) == ("notice", True)
    assert list(
        case.steps.filter(action__in=["return", "approve"]).values_list(
            "action", "from_status", "to_status", "note", "actor__username"
        )
    ) == [
        ("return", "review", "investigating", "缺少现场检查笔录，请补充后重新提交", "fazhi"),
        ("approve", "review", "notice", "事实清楚，证据确凿，同意", "fazhi"),
    ]


def test_a_send_back_without_a_reason_names_the_review_opinion_and_writes_nothing(users):
    case = submitted_by(users["enforcement_officer"])
    before = case_state()

    with pytest.raises(InvalidInput) as error:
        services.case_transition(actor=fazhi(), case_id=case.pk, action="return", note=" ")

    assert (error.value.field, str(error.value.message), case_state()) == (
        "note",
        "审核意见 为必填项。",
        before,
    )


def test_the_predicate_and_the_filter_agree(users):
    """can_review (one case) and reviewable_q (the list) come from one definition: for every
    case in review and several users, they give the same answer."""
    zhifa, leader = users["enforcement_officer"], users["supervisor"]
    services.legal_reviewer_designate(actor=SYSTEM, user_id=zhifa.pk, certificate="A1")
    submitted_by(zhifa, "占道经营")
    submitted_by(zhifa, "乱设广告")
    in_review = list(Case.objects.filter(status="review").order_by("pk"))

    for user in (zhifa, leader, fazhi(), users["administrator"]):
        listed = set(Case.objects.filter(policy.reviewable_q(user)).values_list("pk", flat=True))
        assert {case.pk for case in in_review if policy.can_review(user, case)} == listed


# --- The reviewer's to-do --------------------------------------------------------------------


def card(user: User) -> tuple[object, ...] | None:
    found = [c for c in home_cards(user) if str(c.title) == "待法制审核"]
    return (found[0].url, found[0].count, str(found[0].count_label)) if found else None


def test_the_reviewers_card_counts_the_cases_waiting_in_a_constant_number_of_statements(users):
    reviewer = fazhi()
    with CaptureQueriesContext(connection) as first:
        shown = card(reviewer)
    submitted_by(users["enforcement_officer"], "占道经营")
    submitted_by(users["enforcement_officer"], "乱设广告")
    with CaptureQueriesContext(connection) as second:
        more = card(reviewer)

    assert (shown, more) == (
        ("/enforcement/cases/?to_review=1", 1, "件待审核"),
        ("/enforcement/cases/?to_review=1", 3, "件待审核"),
    )
    assert (len(first), len(second)) == (5, 5)
    assert (card(users["enforcement_officer"]), card(users["supervisor"])) == (None, None)


def test_the_filter_keeps_the_cases_waiting_for_the_users_review(users):
    zhifa = users["enforcement_officer"]
    services.legal_reviewer_designate(actor=SYSTEM, user_id=zhifa.pk, certificate="A1")
    submitted_by(zhifa, "占道经营")

    waiting = {
        username: sorted(
            case.title
            for case in selectors.case_list(
                user=User.objects.get(username=username), to_review=True
            )
        )
        for username in ("fazhi", "zhifa", "lingdao")
    }

    assert waiting == {
        "fazhi": sorted(["占道经营", DEMO_IN_REVIEW]),
        "zhifa": [DEMO_IN_REVIEW],
        "lingdao": [],
    }


# --- Notices ---------------------------------------------------------------------------------


def told(case: Case) -> Any:
    return Notification.objects.filter(
        kind="review_waiting", link=f"/enforcement/cases/{case.pk}/"
    ).select_related("user")


def test_each_active_reviewer_but_the_handler_is_told_once_and_the_review_reads_it(users):
    zhifa, leader, admin = users["enforcement_officer"], users["supervisor"], users["administrator"]
    services.legal_reviewer_designate(actor=admin, user_id=zhifa.pk, certificate="A1")
    services.legal_reviewer_designate(actor=admin, user_id=leader.pk, certificate="A2")

    case = submitted_by(zhifa)
    first = sorted(
        (notice.user.username, notice.kind, notice.read_at, notice.text) for notice in told(case)
    )
    services.case_transition(actor=fazhi(), case_id=case.pk, action="return", note="补充证据")
    services.legal_reviewer_withdraw(actor=admin, user_id=leader.pk)
    services.case_transition(
        actor=zhifa, case_id=case.pk, action="submit_review", facts="店外经营", basis="第二十二条"
    )

    text = "店外经营：待您法制审核"
    assert first == [
        ("fazhi", "review_waiting", None, text),
        ("lingdao", "review_waiting", None, text),
    ]
    assert sorted((notice.user.username, notice.read_at is None) for notice in told(case)) == [
        ("fazhi", False),
        ("fazhi", True),
        ("lingdao", False),
    ]


def test_a_refused_submission_tells_nobody(users):
    zhifa = users["enforcement_officer"]
    case = services.case_open(actor=zhifa, title="店外经营", target_id=shop().pk)
    services.case_transition(actor=zhifa, case_id=case.pk, action="file", occurred_on=local_today())
    before = Notification.objects.count()

    with pytest.raises(InvalidInput):
        services.case_transition(
            actor=zhifa, case_id=case.pk, action="submit_review", facts="", basis="第二十二条"
        )

    assert Notification.objects.count() == before


def test_the_registry_holds_the_review_actions():
    assert {
        action: set(ACTION_ROLES[action])
        for action in ("enforcement.case_review", "enforcement.reviewer_manage")
    } == {
        "enforcement.case_review": DESIGNABLE,
        "enforcement.reviewer_manage": MANAGERS,
    }
