"""Actions, inspections and their checklists, findings with deadlines in working days,
re-checks, the repeat-inspection guard and its override, 双随机 draws and ratings."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from jiedao.enforcement import services
from jiedao.enforcement.models import Action, ChecklistItem, Inspection, Rectification, Target
from jiedao.enforcement.services import GuardRefused, draw_targets

from .conftest import state

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


@pytest.fixture
def officer(users):
    return users["enforcement_officer"]


@pytest.fixture
def year_round(officer):
    """A 综合查一次 round over the whole of 2025, away from the demo's dates."""
    return services.action_create(
        actor=officer,
        kind="joint",
        title="2025年综合查一次",
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )


def quiet_target(risk_level: str) -> Target:
    """A demo business of ``risk_level`` that the demo never inspects."""
    return (
        Target.objects.filter(kind="business", risk_level=risk_level, inspections__isnull=True)
        .order_by("pk")
        .first()
    )


def test_a_plan_brings_the_checklists_of_the_lead_and_joining_departments(
    officer, year_round, departments
):
    target = quiet_target("medium")

    inspection = services.inspection_plan(
        actor=officer,
        action_id=year_round.pk,
        target_id=target.pk,
        planned_on=date(2025, 3, 3),
        joining_department_ids=[departments["safety"].pk, departments["market"].pk],
    )

    assert (
        inspection.status,
        inspection.lead_department.code,
        sorted(d.code for d in inspection.joining_departments.all()),
        len(inspection.code),
    ) == ("planned", "enforcement", ["market", "safety"], 16)
    assert list(
        ChecklistItem.objects.filter(inspection=inspection)
        .order_by("department_id", "matter__position")
        .values_list("matter__code", "result")
    ) == [
        ("ZF-01", "pending"),
        ("ZF-02", "pending"),
        ("ZF-03", "pending"),
        ("SC-01", "pending"),
        ("SC-02", "pending"),
        ("SC-03", "pending"),
        ("AQ-01", "pending"),
        ("AQ-02", "pending"),
        ("AQ-03", "pending"),
    ]


def test_the_guard_refuses_a_second_inspection_too_soon_and_lists_the_first(officer, year_round):
    target = quiet_target("high")
    first = services.inspection_plan(
        actor=officer, action_id=year_round.pk, target_id=target.pk, planned_on=date(2025, 3, 3)
    )
    before = state()

    with pytest.raises(GuardRefused) as refusal:
        services.inspection_plan(
            actor=officer,
            action_id=year_round.pk,
            target_id=target.pk,
            planned_on=date(2025, 3, 20),
        )

    assert refusal.value.status == 409
    assert str(refusal.value.message) == (
        f"{target.name}已于2025-03-03接受检查，两次检查至少间隔30天。"
    )
    assert refusal.value.extra["earlier"] == [
        {
            "id": first.pk,
            "planned_on": "2025-03-03",
            "action": "2025年综合查一次",
            "lead_department": "综合行政执法队",
            "status": "planned",
        }
    ]
    assert refusal.value.extra["can_override"] is False
    assert state() == before


def test_the_guard_counts_the_inspections_of_the_year(officer, year_round):
    target = quiet_target("low")  # at most once a year, 180 days apart
    services.inspection_plan(
        actor=officer, action_id=year_round.pk, target_id=target.pk, planned_on=date(2025, 3, 3)
    )

    with pytest.raises(GuardRefused) as late_in_the_year:
        services.inspection_plan(
            actor=officer,
            action_id=year_round.pk,
            target_id=target.pk,
            planned_on=date(2025, 11, 3),
        )
    with pytest.raises(GuardRefused) as both:
        services.inspection_plan(
            actor=officer,
            action_id=year_round.pk,
            target_id=target.pk,
            planned_on=date(2025, 4, 1),
        )

    cap = f"{target.name}在2025年已被检查1次，其风险等级每年至多检查1次。"
    assert str(late_in_the_year.value.message) == cap
    assert str(both.value.message) == (
        f"{cap} {target.name}已于2025-03-03接受检查，两次检查至少间隔180天。"
    )


@pytest.mark.parametrize("kind", ["complaint", "assigned", "recheck"])
def test_complaints_assignments_and_re_checks_are_exempt(officer, year_round, kind):
    target = quiet_target("low")
    services.inspection_plan(
        actor=officer, action_id=year_round.pk, target_id=target.pk, planned_on=date(2025, 3, 3)
    )
    exempt = services.action_create(
        actor=officer,
        kind=kind,
        title="投诉核查",
        starts_on=date(2025, 3, 4),
        ends_on=date(2025, 3, 4),
    )

    inspection = services.inspection_plan(
        actor=officer, action_id=exempt.pk, target_id=target.pk, planned_on=date(2025, 3, 4)
    )

    assert (inspection.status, inspection.override_reason) == ("planned", "")


def test_a_supervisor_overrides_the_guard_with_a_recorded_reason(users, officer, year_round):
    target = quiet_target("high")
    first = services.inspection_plan(
        actor=officer, action_id=year_round.pk, target_id=target.pk, planned_on=date(2025, 3, 3)
    )

    second = services.inspection_plan(
        actor=users["supervisor"],
        action_id=year_round.pk,
        target_id=target.pk,
        planned_on=date(2025, 3, 10),
        override_reason="区委交办的燃气安全专项复核",
    )

    entry = AuditEntry.objects.get(action="enforcement.guard_override")
    assert (second.override_reason, second.overridden_by.username) == (
        "区委交办的燃气安全专项复核",
        "lingdao",
    )
    assert (entry.actor_label, entry.target_id, entry.after) == (
        "lingdao",
        str(second.pk),
        {
            "reason": "区委交办的燃气安全专项复核",
            "guard": [f"{target.name}已于2025-03-03接受检查，两次检查至少间隔30天。"],
            "earlier": [first.pk],
        },
    )


def test_an_officer_cannot_override_the_guard(officer, year_round):
    target = quiet_target("high")
    services.inspection_plan(
        actor=officer, action_id=year_round.pk, target_id=target.pk, planned_on=date(2025, 3, 3)
    )
    before = state()

    with pytest.raises(Forbidden):
        services.inspection_plan(
            actor=officer,
            action_id=year_round.pk,
            target_id=target.pk,
            planned_on=date(2025, 3, 10),
            override_reason="我想再查一次",
        )

    assert state() == before


def started(officer, year_round, departments, **kwargs) -> Inspection:
    inspection = services.inspection_plan(
        actor=officer,
        action_id=year_round.pk,
        target_id=quiet_target("medium").pk,
        planned_on=date(2025, 3, 3),
        **kwargs,
    )
    services.inspection_transition(actor=officer, inspection_id=inspection.pk, action="start")
    return inspection


def test_a_failed_item_becomes_a_rectification_due_in_working_days_across_national_day(
    officer, year_round, departments
):
    inspection = started(officer, year_round, departments)
    item = inspection.items.get(matter__code="ZF-02")

    # Thursday 28 September 2023: 29 September – 6 October are off, Saturday 7 and Sunday
    # 8 October are make-up working days. Three working days later: 7, 8, 9 October.
    services.item_record(
        actor=SYSTEM,
        item_id=item.pk,
        result="fail",
        notes="店外摆放桌椅经营",
        working_days=3,
        now=at(date(2023, 9, 28), 10),
    )

    rectification = Rectification.objects.get(item=item)
    assert (
        rectification.description,
        rectification.status,
        rectification.working_days,
        rectification.deadline,
    ) == (
        "占道经营、店外经营：店外摆放桌椅经营",
        "open",
        3,
        at(date(2023, 10, 9), 17, 30),
    )


def test_only_the_installation_records_a_step_at_another_time(officer, year_round, departments):
    inspection = started(officer, year_round, departments)
    item = inspection.items.get(matter__code="ZF-02")
    before = state()

    with pytest.raises(Forbidden):
        services.item_record(
            actor=officer, item_id=item.pk, result="pass", now=at(date(2023, 9, 28), 10)
        )

    assert state() == before


def test_a_failed_item_needs_notes(officer, year_round, departments):
    inspection = started(officer, year_round, departments)
    item = inspection.items.get(matter__code="ZF-01")
    before = state()

    with pytest.raises(InvalidInput) as error:
        services.item_record(actor=officer, item_id=item.pk, result="fail", notes=" ")

    assert (str(error.value.message), error.value.field) == ("情况说明 为必填项。", "notes")
    assert state() == before


def test_a_joining_department_records_its_own_items_only(users, officer, year_round, departments):
    city = departments["city-management"]
    services.matter_create(
        actor=users["administrator"],
        department_id=city.pk,
        code="CG-01",
        title="垃圾分类投放",
        basis="《杭州市生活垃圾管理条例》",
    )
    inspection = started(officer, year_round, departments, joining_department_ids=[city.pk])
    handler = users["department_handler"]

    own = services.item_record(
        actor=handler,
        item_id=inspection.items.get(matter__code="CG-01").pk,
        result="na",
    )
    before = state()
    with pytest.raises(Forbidden):
        services.item_record(
            actor=handler, item_id=inspection.items.get(matter__code="ZF-01").pk, result="pass"
        )

    assert (own.result, own.checked_by.username) == ("na", "chengguan")
    assert state() == before


def test_a_department_outside_the_inspection_does_not_find_it(
    users, officer, year_round, departments
):
    inspection = started(officer, year_round, departments)
    before = state()

    with pytest.raises(NotFound):
        services.item_record(
            actor=users["department_handler"],
            item_id=inspection.items.get(matter__code="ZF-01").pk,
            result="pass",
        )

    assert state() == before


def test_an_inspection_completes_only_when_every_item_has_a_result(
    officer, year_round, departments
):
    inspection = started(officer, year_round, departments)
    items = list(inspection.items.order_by("pk"))
    for item in items[1:]:
        services.item_record(actor=officer, item_id=item.pk, result="pass")
    before = state()

    with pytest.raises(Conflict) as error:
        services.inspection_transition(
            actor=officer, inspection_id=inspection.pk, action="complete", text="未发现问题"
        )
    assert (str(error.value.message), state()) == ("还有 1 个检查项没有结果。", before)

    services.item_record(actor=officer, item_id=items[0].pk, result="na")
    done = services.inspection_transition(
        actor=officer, inspection_id=inspection.pk, action="complete", text="未发现问题"
    )
    assert (done.status, done.conclusion, done.completed_by.username) == (
        "completed",
        "未发现问题",
        "zhifa",
    )


def test_a_move_the_table_does_not_have_is_refused(officer, year_round, departments):
    inspection = started(officer, year_round, departments)
    before = state()

    with pytest.raises(Conflict) as error:
        services.inspection_transition(actor=officer, inspection_id=inspection.pk, action="start")

    assert (str(error.value.message), state()) == (
        "处于“检查中”状态的检查不能进行此操作。",
        before,
    )


def test_a_re_check_closes_or_escalates_and_happens_once(officer, year_round, departments):
    inspection = started(officer, year_round, departments)
    for code in ("ZF-01", "ZF-02"):
        services.item_record(
            actor=officer,
            item_id=inspection.items.get(matter__code=code).pk,
            result="fail",
            notes="问题",
        )
    first, second = Rectification.objects.filter(inspection=inspection).order_by("pk")

    closed = services.rectification_recheck(
        actor=officer, rectification_id=first.pk, passed=True, notes="已整改到位"
    )
    escalated = services.rectification_recheck(
        actor=officer, rectification_id=second.pk, passed=False, notes="拒不整改"
    )
    before = state()
    with pytest.raises(Conflict) as again:
        services.rectification_recheck(
            actor=officer, rectification_id=first.pk, passed=False, notes="再查"
        )

    assert [(r.status, r.recheck_notes, r.rechecked_by.username) for r in (closed, escalated)] == [
        ("closed", "已整改到位", "zhifa"),
        ("escalated", "拒不整改", "zhifa"),
    ]
    assert (str(again.value.message), state()) == ("该整改事项已是“已整改”。", before)


def test_a_finding_can_start_from_an_event(officer, year_round, departments):
    inspection = started(officer, year_round, departments)
    before = state()

    with pytest.raises(InvalidInput) as error:
        services.finding_create(
            actor=officer,
            inspection_id=inspection.pk,
            description="群众反映夜间噪声扰民",
            event_number="NO-SUCH-EVENT",
        )

    assert (str(error.value.message), error.value.field, state()) == (
        "事件：您的范围内没有这个编号的事件。",
        "event_number",
        before,
    )


def test_the_draw_is_reproduced_from_its_seed_and_pool(wenyan_demo):
    draw = Action.objects.get(kind="random")

    assert draw_targets("wenyan-demo", list(range(101, 125)), 3) == [117, 122, 124]
    assert (draw.draw_seed, draw.draw_size, len(draw.draw_pool)) == ("wenyan-demo", 3, 24)
    assert draw_targets(draw.draw_seed, draw.draw_pool, draw.draw_size) == sorted(
        draw.inspections.values_list("target_id", flat=True)
    )


def test_a_draw_refuses_a_size_larger_than_the_pool(officer):
    before = state()

    with pytest.raises(InvalidInput) as error:
        services.action_draw(
            actor=officer,
            title="双随机",
            starts_on=date(2025, 5, 6),
            ends_on=date(2025, 5, 30),
            size=100,
            risk_level="high",
        )

    assert (str(error.value.message), state()) == (
        "抽取对象数须在 1 到 20 之间（可以检查的对象数）。",
        before,
    )


def test_a_completed_inspection_is_rated_once(wenyan_demo):
    inspection = Inspection.objects.get(status="completed")

    rating = services.inspection_rate(code=inspection.code, score=4, comment="检查人员态度好")
    with pytest.raises(Conflict) as again:
        services.inspection_rate(code=inspection.code, score=1)
    with pytest.raises(InvalidInput) as bad:
        services.inspection_rate(code=inspection.code, score=6)
    planned = Inspection.objects.filter(status="planned").first()
    with pytest.raises(NotFound):
        services.inspection_rate(code=planned.code, score=5)

    assert (rating.score, rating.comment, str(again.value.message), str(bad.value.message)) == (
        4,
        "检查人员态度好",
        "该检查已评价过。",
        "评分须为 1 到 5。",
    )
