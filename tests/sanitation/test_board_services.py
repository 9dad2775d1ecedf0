"""The month's ranking from the records, publishing, the weights and the list rule, against
values worked out by hand (see each test), in a small subdistrict of their own."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import F

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import Conflict, InvalidInput
from jiedao.sanitation import lists, selectors_board
from jiedao.sanitation.models.board import (
    BlackListTask,
    ListEntry,
    ListRule,
    MonthlyList,
    ScoreRule,
)
from tests.sanitation import board_records as records
from tests.sanitation.board_records import local

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return records.people_per_role()


@pytest.fixture
def march(people):
    return records.march_records(people)


DEFAULT_RULES_FORM = {
    "participation_weight": "30",
    "participation_benchmark": "0.9",
    "accuracy_weight": "30",
    "accuracy_benchmark": "0.95",
    "recycling_weight": "15",
    "recycling_benchmark": "5",
    "findings_weight": "15",
    "findings_benchmark": "10",
    "rectification_weight": "10",
    "rectification_benchmark": "1",
    "mode": "score",
    "red_min": "85",
    "yellow_below": "70",
    "black_below": "60",
    "red_count": "3",
    "yellow_count": "3",
    "black_count": "2",
    "rectification_days": "10",
}


def ranking(march, month="2026-03", **kwargs):
    return selectors_board.month_ranking(
        user=SYSTEM, month=month, subdistrict_code=march["subdistrict"].code, **kwargs
    )


def test_the_month_is_ranked_from_the_records(march):
    found = ranking(march)

    assert [(row.name, row.score, row.rank, row.colour) for row in found.rows] == [
        ("乙小区", Decimal("85.00"), 1, "red"),
        ("甲小区", Decimal("64.93"), 2, "yellow"),
        ("丙小区", Decimal("25.00"), 3, "black"),
        ("丁小区", None, None, None),
    ]
    a = found.rows[1]
    assert a.parts == {
        "participation": "55.56",
        "accuracy": "84.21",
        "recycling": "50.00",
        "findings": "70.00",
        "rectification": "50.00",
    }
    assert a.counts == {
        "households": 4,
        "participating_households": 2,
        "drop_offs": 5,
        "correct_drop_offs": 4,
        "recycling_kg": "10.000",
        "findings": 3,
        "rectifications": 2,
        "rectified_on_time": 1,
    }
    assert found.rows[2].counts["households"] == 1
    assert found.has_records is True
    assert found.published is None
    assert found.colour_counts() == {"red": 1, "yellow": 1, "black": 1}


def test_the_ranking_runs_the_same_statements_whatever_the_records(
    march, django_assert_num_queries
):
    with django_assert_num_queries(12):
        ranking(march)
    grid = march["A"].grid
    for name in ("戊小区", "己小区"):
        place = records.compound(grid, name)
        for account in records.households(place, 3):
            records.drop_off(account, local(2026, 3, 9, 8))
            records.weigh_in(account, local(2026, 3, 9, 9), "2")
        records.inspection(place, date(2026, 3, 12), [("rectification", "open")])

    with django_assert_num_queries(12):
        assert len(ranking(march).rows) == 6


def test_a_month_without_any_record_scores_nobody_and_cannot_be_published(march):
    found = ranking(march, month="2025-12")

    assert found.has_records is False
    assert [(row.name, row.score, row.rank, row.colour) for row in found.rows] == [
        ("甲小区", None, None, None),
        ("乙小区", None, None, None),
        ("丙小区", None, None, None),
        ("丁小区", None, None, None),
    ]
    with pytest.raises(InvalidInput) as error:
        lists.month_list_publish(actor=SYSTEM, subdistrict=march["subdistrict"], month="2025-12")

    assert str(error.value.message) == "月份 2025-12 没有任何投放、回收称重或检查记录，无法排名。"
    assert not MonthlyList.objects.exists()


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2026-13", "月份 应为形如 2022-05 的月份，而不是“2026-13”。"),
        ("三月", "月份 应为形如 2022-05 的月份，而不是“三月”。"),
        ("2099-01", "月份 2099-01 尚未开始：请选择本月或更早的月份。"),
    ],
)
def test_a_malformed_or_future_month_is_refused_in_chinese(march, month, message):
    with pytest.raises(InvalidInput) as error:
        ranking(march, month=month)

    assert (str(error.value.message), error.value.field) == (message, "month")


def test_the_current_month_can_be_read_but_not_published(march, monkeypatch):
    monkeypatch.setattr("jiedao.sanitation.lists.local_today", lambda: date(2026, 3, 20))

    with pytest.raises(InvalidInput) as error:
        lists.month_list_publish(actor=SYSTEM, subdistrict=march["subdistrict"], month="2026-03")

    assert str(error.value.message) == "月份 2026-03 尚未结束：榜单在月份结束后发布。"
    assert not MonthlyList.objects.exists()


def test_publishing_freezes_the_list_and_gives_the_black_list_a_task(march, monkeypatch):
    # Tuesday 2 June 2026, 10:00: ten working days later is Tuesday 16 June, 17:30.
    monkeypatch.setattr("jiedao.sanitation.lists.timezone.now", lambda: local(2026, 6, 2, 10))

    published = lists.month_list_publish(
        actor=SYSTEM, subdistrict=march["subdistrict"], month="2026-03"
    )

    assert published.month == date(2026, 3, 1)
    entries = ListEntry.objects.filter(monthly_list=published).order_by(
        F("rank").asc(nulls_last=True), "compound__name"
    )
    assert [(e.compound.name, e.score, e.rank, e.colour) for e in entries] == [
        ("乙小区", Decimal("85.00"), 1, "red"),
        ("甲小区", Decimal("64.93"), 2, "yellow"),
        ("丙小区", Decimal("25.00"), 3, "black"),
        ("丁小区", None, None, ""),
    ]
    task = BlackListTask.objects.get()
    assert (task.compound, task.deadline, task.status) == (
        march["C"],
        local(2026, 6, 16, 17, 30),
        "open",
    )
    assert list(
        AuditEntry.objects.filter(action__startswith="sanitation.")
        .values_list("action", "target_repr")
        .order_by("pk")
    ) == [
        ("sanitation.monthlylist.publish", "2026-03"),
        ("sanitation.blacklisttask.create", f"{march['C'].pk} 2026-06-16"),
    ]
    assert published.rules["list"]["red_min"] == "85"

    # A record entered later changes the live figures, not the published list.
    records.drop_off(records.households(march["C"], 1)[0], local(2026, 3, 30, 8))
    assert ranking(march).rows[2].score == Decimal("25.00")
    assert ranking(march).published == published
    assert ranking(march, live=True).rows[1].name == "丙小区"


def test_a_month_is_published_once(march):
    lists.month_list_publish(actor=SYSTEM, subdistrict=march["subdistrict"], month="2026-03")

    with pytest.raises(Conflict) as error:
        lists.month_list_publish(actor=SYSTEM, subdistrict=march["subdistrict"], month="2026-03")

    assert str(error.value.message) == "2026-03 的榜单已经发布。"
    assert MonthlyList.objects.count() == 1
    assert BlackListTask.objects.count() == 1


def test_new_weights_change_the_scores(march, people):
    form = {**DEFAULT_RULES_FORM, "participation_weight": "60", "accuracy_weight": "0"}

    lists.board_rules_save(
        actor=people["administrator"], subdistrict=march["subdistrict"], values=form
    )

    # A: 55.56 × 60% + 0 + 7.5 + 10.5 + 5 = 56.336 → 56.34, now black.
    assert [(row.name, row.score, row.colour) for row in ranking(march).rows[:3]] == [
        ("乙小区", Decimal("85.00"), "red"),
        ("甲小区", Decimal("56.34"), "black"),
        ("丙小区", Decimal("25.00"), "black"),
    ]
    assert ScoreRule.objects.get(metric="participation").weight == Decimal("60.00")
    assert AuditEntry.objects.filter(action="sanitation.scorerule.create").count() == 5
    assert AuditEntry.objects.filter(action="sanitation.listrule.create").count() == 1


def test_a_list_drawn_by_rank(march, people):
    form = {
        **DEFAULT_RULES_FORM,
        "mode": "rank",
        "red_count": "1",
        "yellow_count": "1",
        "black_count": "1",
    }

    lists.board_rules_save(
        actor=people["administrator"], subdistrict=march["subdistrict"], values=form
    )

    assert [row.colour for row in ranking(march).rows] == ["red", "yellow", "black", None]


def test_weights_not_adding_up_to_100_are_refused_and_nothing_is_saved(march, people):
    form = {**DEFAULT_RULES_FORM, "participation_weight": "29.5"}

    with pytest.raises(InvalidInput) as error:
        lists.board_rules_save(
            actor=people["administrator"], subdistrict=march["subdistrict"], values=form
        )

    assert str(error.value.message) == "权重：各项权重之和必须为 100，现为 99.50。"
    assert not ScoreRule.objects.exists()
    assert not ListRule.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="sanitation.").exists()


def test_every_bad_field_of_the_rules_is_reported_at_once(march, people):
    form = {
        **DEFAULT_RULES_FORM,
        "accuracy_weight": "abc",
        "recycling_benchmark": "0",
        "red_min": "50",
        "rectification_days": "0",
    }

    with pytest.raises(InvalidInput) as error:
        lists.board_rules_save(
            actor=people["administrator"], subdistrict=march["subdistrict"], values=form
        )

    assert [(single.field, str(single.message)) for single in error.value.errors] == [
        ("accuracy_weight", "权重应为数字，而不是“abc”。"),
        ("recycling_benchmark", "人均回收量（千克）：基准值必须大于零，而不是 0。"),
        ("rectification_days", "整改期限（工作日）应为 1 到 1000 之间的整数，而不是“0”。"),
    ]
    assert not ScoreRule.objects.exists()


def test_thresholds_out_of_order_are_refused(march, people):
    form = {**DEFAULT_RULES_FORM, "red_min": "50"}

    with pytest.raises(InvalidInput) as error:
        lists.board_rules_save(
            actor=people["administrator"], subdistrict=march["subdistrict"], values=form
        )

    assert str(error.value.message) == (
        "红榜分数线：分数线须从高到低、在 0 到 100 之间：红榜分数线 ≥ 黄榜分数线 ≥ 黑榜分数线。"
    )
    assert not ListRule.objects.exists()


def test_a_black_list_task_is_closed_with_what_was_done(march, people):
    lists.month_list_publish(actor=SYSTEM, subdistrict=march["subdistrict"], month="2026-03")
    task = BlackListTask.objects.get()

    with pytest.raises(InvalidInput) as error:
        lists.black_list_task_complete(actor=people["grid_lead"], task_id=task.pk, notes="  ")
    assert str(error.value.message) == "整改情况 为必填项。"

    lists.black_list_task_complete(
        actor=people["grid_lead"], task_id=task.pk, notes="物业增派督导员，已整改"
    )

    task.refresh_from_db()
    assert (task.status, task.done_by, task.done_notes) == (
        "done",
        people["grid_lead"],
        "物业增派督导员，已整改",
    )
    assert AuditEntry.objects.filter(action="sanitation.blacklisttask.update").count() == 1
    with pytest.raises(Conflict):
        lists.black_list_task_complete(actor=people["grid_lead"], task_id=task.pk, notes="再次")


def test_the_ranking_command_prints_every_compound(march, capsys):
    call_command("sanitation", "ranking", "--month", "2026-03", "--format", "table")

    assert capsys.readouterr().out.splitlines()[1:] == [
        "rank\tcolour\tscore\tcompound\tcommunity",
        f"1\tred\t85.00\t乙小区\t{march['A'].grid.community.name}",
        f"2\tyellow\t64.93\t甲小区\t{march['A'].grid.community.name}",
        f"3\tblack\t25.00\t丙小区\t{march['A'].grid.community.name}",
        f"-\tnone\t-\t丁小区\t{march['A'].grid.community.name}",
    ]
