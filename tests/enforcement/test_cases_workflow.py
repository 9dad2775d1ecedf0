"""The case workflow: the table against a literal copy, the general procedure from a lead, an
event and an inspection finding to 结案, the simple procedure, and bad input refused with nothing
written."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from jiedao.accounts.models import User
from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.labels import action_label
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Conflict, InvalidInput
from jiedao.core.localtime import local_today, local_zone
from jiedao.enforcement import services
from jiedao.enforcement.models import Case, CaseStep, Rectification, Target
from jiedao.enforcement.workflow_cases import CASE_TRANSITIONS
from jiedao.events.models import Category
from jiedao.events.services import event_report

from .conftest import HOME_GRID

O, S = "enforcement_officer", "supervisor"
R = "legal_review"  # the guard: a designated legal reviewer who did not handle the case

# (state, action) → (next state, roles, inputs[, guard]), written out independently of the code.
TABLE = {
    ("lead", "file"): ("investigating", {O}, ("occurred_on",)),
    ("lead", "decline"): ("declined", {O}, ("note",)),
    ("investigating", "submit_review"): ("review", {O}, ("facts", "basis")),
    ("investigating", "notify"): ("notice", {O}, ("facts", "basis")),
    ("investigating", "extend"): ("investigating", {S}, ("days", "note")),
    ("review", "approve"): ("notice", {O, S}, ("note",), R),
    ("review", "return"): ("investigating", {O, S}, ("note",), R),
    ("review", "extend"): ("review", {S}, ("days", "note")),
    ("notice", "request_hearing"): ("hearing", {O}, ("hearing_on",)),
    ("notice", "decide"): ("decided", {O}, ("outcome",)),
    ("notice", "extend"): ("notice", {S}, ("days", "note")),
    ("hearing", "decide"): ("decided", {O}, ("outcome",)),
    ("hearing", "extend"): ("hearing", {S}, ("days", "note")),
    ("decided", "serve"): ("served", {O}, ()),
    ("served", "execute"): ("executed", {O}, ("paid_on",)),
    ("served", "close"): ("closed", {O}, ("note",)),
    ("executed", "close"): ("closed", {O}, ("note",)),
}


def case_state() -> tuple[int, ...]:
    return (
        Case.objects.count(),
        CaseStep.objects.count(),
        Case.objects.filter(status="lead").count(),
        Case.objects.filter(status="decided").count(),
        Rectification.objects.filter(status="escalated").count(),
        AuditEntry.objects.count(),
    )


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=local_zone())


def shop() -> Target:
    return Target.objects.filter(kind="business").order_by("pk").first()


def test_the_table_is_the_literal_copy():
    assert {
        key: (move.target, set(move.roles), move.inputs, *([move.guard] if move.guard else []))
        for key, move in CASE_TRANSITIONS.items()
    } == TABLE


def test_the_general_procedure_with_a_hearing_across_national_day(wenyan_demo):
    """Back-dated by the installation: a lead on 26 September 2024 and a proposed fine of
    200,000 元, which gives the business a right to a hearing."""
    case = services.case_open(
        actor=SYSTEM,
        title="无证经营",
        target_id=shop().pk,
        department_id=shop().subdistrict.departments.get(code="enforcement").pk,
        now=at(date(2024, 9, 26)),
    )
    assert (case.status, case.clock, case.clock_due_at) == (
        "lead",
        "filing",
        datetime(2024, 10, 22, 17, 30, tzinfo=local_zone()),
    )

    def move(action, day, **inputs):
        return services.case_transition(
            actor=SYSTEM, case_id=case.pk, action=action, now=at(day), **inputs
        )

    move("file", date(2024, 9, 27), occurred_on=date(2024, 9, 20))
    move(
        "submit_review",
        date(2024, 9, 30),
        facts="未取得许可从事经营",
        basis="《无证无照经营查处办法》第十三条",
        proposed_fine="200000",
    )
    move("approve", date(2024, 10, 8), note="事实清楚，证据确凿，同意")
    with pytest.raises(Conflict) as early:
        move("decide", date(2024, 10, 9), outcome="penalty", penalty_kind="fine", fine="200000")
    assert str(early.value.message) == "当事人仍可在期限内要求听证，请在期限届满后作出决定。"
    with pytest.raises(InvalidInput) as soon:
        move("request_hearing", date(2024, 10, 10), hearing_on=date(2024, 10, 17))
    assert (
        str(soon.value.message)
        == "听证日期须在 2024-10-18 或之后：应在听证 7 个工作日前通知当事人。"
    )
    move("request_hearing", date(2024, 10, 10), hearing_on=date(2024, 10, 18))
    move("extend", date(2024, 10, 12), days=30, note="案情复杂，经负责人批准延长")
    case = move("decide", date(2024, 10, 25), outcome="penalty", penalty_kind="fine", fine="200000")
    assert (case.clock, case.clock_due_at) == (
        "service",
        datetime(2024, 11, 5, 17, 30, tzinfo=local_zone()),
    )
    case = move("serve", date(2024, 10, 28))
    # 15 days from 28 October: 12 November; paid on 14 November, two days late.
    case = move("execute", date(2024, 11, 14), paid_on=date(2024, 11, 14))
    case = move("close", date(2024, 11, 15), note="罚款及加处罚款已缴清")

    assert (case.status, case.fine, case.surcharge, case.extension_days, case.clock) == (
        "closed",
        Decimal("200000.00"),
        Decimal("12000.00"),
        30,
        "",
    )
    assert list(case.steps.values_list("action", "to_status")) == [
        ("open", "lead"),
        ("file", "investigating"),
        ("submit_review", "review"),
        ("approve", "notice"),
        ("request_hearing", "hearing"),
        ("extend", "hearing"),
        ("decide", "decided"),
        ("serve", "served"),
        ("execute", "executed"),
        ("close", "closed"),
    ]


def test_an_officer_opens_a_case_from_a_finding_and_both_show_the_link(users):
    officer, reviewer = users["enforcement_officer"], User.objects.get(username="fazhi")
    finding = Rectification.objects.filter(status="open").order_by("pk").first()

    case = services.case_open(actor=officer, title="逾期未整改", rectification_id=finding.pk)
    finding.refresh_from_db()

    assert (case.source, case.target_id, finding.status, list(finding.cases.all())) == (
        "rectification",
        finding.inspection.target_id,
        "escalated",
        [case],
    )
    services.case_transition(
        actor=officer, case_id=case.pk, action="file", occurred_on=local_today()
    )
    services.case_transition(
        actor=officer,
        case_id=case.pk,
        action="submit_review",
        facts="逾期未整改",
        basis="第三十条",
        proposed_fine="500",
    )
    services.case_transition(actor=reviewer, case_id=case.pk, action="approve", note="同意")
    services.case_transition(
        actor=officer,
        case_id=case.pk,
        action="decide",
        outcome="penalty",
        penalty_kind="fine",
        fine="500",
    )
    services.case_transition(actor=officer, case_id=case.pk, action="serve")
    case = services.case_transition(
        actor=officer, case_id=case.pk, action="execute", paid_on=local_today()
    )

    assert (case.status, case.surcharge, case.clock) == ("executed", Decimal("0.00"), "")


def test_a_case_from_an_event_shows_the_link_both_ways(users):
    report = event_report(
        actor=users["grid_worker"],
        category=Category.objects.filter(parent__isnull=False).order_by("pk").first(),
        description="商户店外占道经营",
        grid=HOME_GRID,
        address="闻兴路1号",
    )
    event = report.event

    case = services.case_open(
        actor=SYSTEM,
        title="占道经营",
        event_number=event.number,
        target_id=shop().pk,
        department_id=users["enforcement_officer"].department_id,
    )

    assert (case.source, list(event.enforcement_cases.all())) == ("event", [case])


@pytest.fixture
def filed(users) -> Case:
    officer = users["enforcement_officer"]
    case = services.case_open(actor=officer, title="店外经营", target_id=shop().pk)
    return services.case_transition(
        actor=officer, case_id=case.pk, action="file", occurred_on=local_today() - timedelta(days=3)
    )


def test_a_decision_before_the_legal_review_is_refused_and_changes_nothing(users, filed):
    officer = users["enforcement_officer"]
    before = case_state()

    with pytest.raises(Conflict) as notify:
        services.case_transition(
            actor=officer, case_id=filed.pk, action="notify", facts="店外经营", basis="第二十二条"
        )
    with pytest.raises(Conflict) as decide:
        services.case_transition(
            actor=officer,
            case_id=filed.pk,
            action="decide",
            outcome="penalty",
            penalty_kind="warning",
        )

    assert (str(notify.value.message), str(decide.value.message), case_state()) == (
        "本案须经法制审核后方可告知当事人。",
        "案件“已立案，调查取证中”不能进行此操作。",
        before,
    )


def test_a_filing_after_the_limitation_is_refused_and_changes_nothing(users):
    officer = users["enforcement_officer"]
    case = services.case_open(actor=officer, title="违规设置店招", target_id=shop().pk)
    before = case_state()
    occurred = local_today().replace(year=local_today().year - 3)

    with pytest.raises(InvalidInput) as error:
        services.case_transition(
            actor=officer, case_id=case.pk, action="file", occurred_on=occurred
        )

    assert (
        error.value.field,
        str(error.value.message).startswith("违法行为发生日期："),
        case_state(),
    ) == (
        "occurred_on",
        True,
        before,
    )
    assert "二年" not in str(error.value.message)  # the years are a number
    assert f"已于 {occurred.replace(year=occurred.year + 2).isoformat()} 届满" in str(
        error.value.message
    )


@pytest.mark.parametrize(
    ("kind", "fine", "allowed"),
    [
        ("person", "200", True),
        ("person", "200.01", False),
        ("business", "3000", True),
        ("business", "3001", False),
    ],
)
def test_the_simple_procedure_limits(users, kind, fine, allowed):
    target = Target.objects.filter(kind=kind).order_by("pk").first()
    before = case_state()

    def simple():
        return services.case_simple(
            actor=users["enforcement_officer"],
            target_id=target.pk,
            title="当场处罚",
            facts="乱扔垃圾",
            basis="《浙江省城市市容和环境卫生管理条例》",
            penalty_kind="fine",
            fine=fine,
        )

    if allowed:
        case = simple()
        assert (case.status, case.fine, case.clock) == ("served", Decimal(fine), "payment")
        return
    with pytest.raises(InvalidInput) as error:
        simple()
    limit = "200" if kind == "person" else "3000"
    assert (str(error.value.message), error.value.field, case_state()) == (
        f"罚款金额：简易程序对该当事人最多可处 {limit} 元罚款。",
        "fine",
        before,
    )


@pytest.mark.parametrize(
    ("inputs", "field", "message"),
    [
        ({"title": ""}, "title", "案件名称 为必填项。"),
        ({"target_id": 0}, "target", "当事人：请选择当事人。"),
        ({"event_number": "NOPE"}, "event_number", "事件：您的范围内没有这个编号的事件。"),
    ],
)
def test_bad_input_when_opening_a_case_writes_nothing(users, inputs, field, message):
    before = case_state()
    fields = {"title": "占道经营", "target_id": shop().pk} | inputs

    with pytest.raises(InvalidInput) as error:
        services.case_open(actor=users["enforcement_officer"], **fields)

    assert (error.value.field, str(error.value.message), case_state()) == (field, message, before)


@pytest.mark.parametrize(
    ("action", "inputs", "field", "message"),
    [
        ("file", {}, "occurred_on", "违法行为发生日期：请填写日期。"),
        (
            "file",
            {"occurred_on": date(2999, 1, 1)},
            "occurred_on",
            "违法行为发生日期不能晚于今天。",
        ),
        ("extend", {"days": 0, "note": "延期"}, "days", "延长天数须在 1 到 90 之间。"),
        ("extend", {"days": 30}, "note", "说明 为必填项。"),
        (
            "submit_review",
            {"facts": "店外经营", "basis": "第二十二条", "proposed_fine": "-5"},
            "proposed_fine",
            "拟罚款金额须为大于零的金额（元）。",
        ),
        ("submit_review", {"basis": "第二十二条"}, "facts", "违法事实 为必填项。"),
    ],
)
def test_bad_input_to_a_step_writes_nothing(users, action, inputs, field, message):
    case = services.case_open(
        actor=SYSTEM,
        title="店外经营",
        target_id=shop().pk,
        department_id=users["enforcement_officer"].department_id,
    )
    if action != "file":
        services.case_transition(
            actor=SYSTEM, case_id=case.pk, action="file", occurred_on=local_today()
        )
    actor = users["supervisor" if action == "extend" else "enforcement_officer"]
    before = case_state()

    with pytest.raises(InvalidInput) as error:
        services.case_transition(actor=actor, case_id=case.pk, action=action, **inputs)

    assert (error.value.field, str(error.value.message), case_state()) == (field, message, before)


def test_the_audit_trail_names_the_case_steps():
    assert [
        str(action_label(code))
        for code in ("enforcement.case_open", "enforcement.case_file", "enforcement.case_approve")
    ] == ["登记线索", "立案", "法制审核通过"]
