"""The scores against hand-computed cases: the records made through the services, counted per
member, weighted, ranked; closed months stored and left alone; statements constant."""

from decimal import Decimal

import pytest
from freezegun import freeze_time

from jiedao.accounts.permissions import SYSTEM
from jiedao.assessment import selectors, services
from jiedao.assessment.models import MemberScore, MonthResult
from jiedao.core.errors import Conflict
from jiedao.core.localtime import local_today
from jiedao.supervision.models import Period, Task
from jiedao.supervision.services import progress_report_create
from tests.factories import UserFactory

from .conftest import (
    dispatched,
    handled,
    inspected,
    last_month,
    moment_in,
    rated,
    rechecked,
    returned,
    state,
)

ZERO = dict.fromkeys(
    [
        "handled",
        "on_time",
        "returned",
        "reworked",
        "satisfied",
        "dissatisfied",
        "inspections",
        "rechecks",
        "task_reports",
    ],
    0,
)


def this_month():
    return local_today().replace(day=1)


@pytest.fixture
def month_of_work(team, users, qian):
    """chengguan: one event on time rated 5, one late rated 2, one reworked once, one returned;
    zhifa: an inspection with a finding, which he re-checks; 钱测试: one event on time."""
    chengguan, zhifa = users["department_handler"], users["enforcement_officer"]
    rated(handled(dispatched(number=1), chengguan, users), users, 5)
    rated(handled(dispatched(hours_ago=24 * 30, number=2), chengguan, users), users, 2)
    handled(dispatched(number=3), chengguan, users, rework=1)
    returned(dispatched(number=4), chengguan)
    rechecked(zhifa, inspected(zhifa, finding=True))
    handled(dispatched(number=5), qian, users)
    return team


def rows_of(scores):
    return [(row.name, row.rank, str(row.score), row.counts) for row in scores.rows]


def test_each_member_is_scored_from_their_own_records_with_the_default_weights(month_of_work):
    scores = selectors.team_month(user=SYSTEM, team=month_of_work, month=this_month())

    # 赵城管: 3×2 handled + 2×1 on time − 1 return − 2×1 rework + 1 satisfied − 1 dissatisfied = 5
    # 周执法: 1×3 inspection + 1×2 re-check = 5 (the same score: the same rank)
    # 钱测试: 1×2 + 1×1 = 3
    assert rows_of(scores) == [
        ("周执法", 1, "5.00", {**ZERO, "inspections": 1, "rechecks": 1}),
        (
            "赵城管",
            1,
            "5.00",
            {
                **ZERO,
                "handled": 3,
                "on_time": 2,
                "returned": 1,
                "reworked": 1,
                "satisfied": 1,
                "dissatisfied": 1,
            },
        ),
        ("钱测试", 3, "3.00", {**ZERO, "handled": 1, "on_time": 1}),
    ]
    assert scores.rows[1].parts == {
        "handled": Decimal("6.00"),
        "on_time": Decimal("2.00"),
        "returned": Decimal("-1.00"),
        "reworked": Decimal("-2.00"),
        "satisfied": Decimal("1.00"),
        "dissatisfied": Decimal("-1.00"),
        "inspections": Decimal("0.00"),
        "rechecks": Decimal("0.00"),
        "task_reports": Decimal("0.00"),
    }
    assert (scores.is_closed, scores.member_count, scores.average) == (False, 3, Decimal("4.33"))


def test_an_open_month_is_recomputed_live_with_the_current_weights(month_of_work, users):
    services.weights_update(
        actor=users["supervisor"],
        team_id=month_of_work.pk,
        values={**dict.fromkeys(ZERO, "0"), "handled": "10", "reworked": "0.5"},
    )

    team = selectors.team_get(user=SYSTEM, team_id=month_of_work.pk)
    scores = selectors.team_month(user=SYSTEM, team=team, month=this_month())

    # 赵城管 3×10 − 1×0.5; 钱测试 1×10; 周执法 nothing weighted
    assert [(row.name, row.rank, str(row.score)) for row in scores.rows] == [
        ("赵城管", 1, "29.50"),
        ("钱测试", 2, "10.00"),
        ("周执法", 3, "0.00"),
    ]


def test_work_counts_in_the_month_it_was_done_and_a_closed_month_is_stored(team, users, qian):
    month = last_month()
    with freeze_time(moment_in(month, day=15)):
        handled(dispatched(number=1), qian, users)
    handled(dispatched(number=2), users["department_handler"], users)

    result = services.month_close(actor=users["supervisor"], team_id=team.pk, month=month)

    assert (result.month, result.closed_by, result.weights["handled"]) == (
        month,
        users["supervisor"],
        "2.00",
    )
    assert sorted(
        MemberScore.objects.filter(result=result).values_list("name", "score", "rank")
    ) == [
        ("周执法", Decimal("0.00"), 2),
        ("赵城管", Decimal("0.00"), 2),
        ("钱测试", Decimal("3.00"), 1),
    ]
    # New weights and new work change the open month, never the closed one.
    services.weights_update(
        actor=users["supervisor"], team_id=team.pk, values={**dict.fromkeys(ZERO, "1")}
    )
    team = selectors.team_get(user=SYSTEM, team_id=team.pk)
    closed = selectors.team_month(user=SYSTEM, team=team, month=month)
    current = selectors.team_month(user=SYSTEM, team=team, month=this_month())
    assert (closed.is_closed, [str(row.score) for row in closed.rows]) == (
        True,
        ["3.00", "0.00", "0.00"],
    )
    assert next((row.name, str(row.score)) for row in current.rows) == ("赵城管", "2.00")


def test_a_month_that_has_not_ended_or_is_closed_cannot_be_closed_and_nothing_is_written(
    team, users
):
    before = state()

    with pytest.raises(Conflict) as running:
        services.month_close(actor=users["supervisor"], team_id=team.pk, month=this_month())
    assert running.value.message == f"{this_month():%Y-%m} 尚未结束：月份结束后才能关账。"
    assert state() == before

    services.month_close(actor=users["supervisor"], team_id=team.pk, month=last_month())
    after_first = state()
    with pytest.raises(Conflict) as twice:
        services.month_close(actor=users["administrator"], team_id=team.pk, month=last_month())
    assert twice.value.message == f"{last_month():%Y-%m} 已关账。"
    assert state() == after_first
    assert MonthResult.objects.count() == 1


def test_a_month_is_counted_in_a_constant_number_of_statements(
    month_of_work, users, django_assert_num_queries
):
    # The members, then the five counts (own steps, judged steps, inspections, re-checks,
    # reports), after the look-up for a closed month.
    with django_assert_num_queries(7):
        small = selectors.team_month(user=SYSTEM, team=month_of_work, month=this_month())
    for number in range(3):
        extra = UserFactory(
            username=f"extra{number}",
            role="department_handler",
            subdistrict=users["administrator"].subdistrict,
            department=users["department_handler"].department,
        )
        services.team_member_add(actor=SYSTEM, team_id=month_of_work.pk, user_id=extra.pk)
        handled(dispatched(number=10 + number), extra, users, rework=1)

    with django_assert_num_queries(7):
        large = selectors.team_month(user=SYSTEM, team=month_of_work, month=this_month())

    assert (small.member_count, large.member_count) == (3, 6)


def test_a_closed_month_is_read_in_a_constant_number_of_statements(
    team, users, django_assert_num_queries
):
    services.month_close(actor=SYSTEM, team_id=team.pk, month=last_month())

    # The closed month and its stored scores.
    with django_assert_num_queries(2):
        scores = selectors.team_month(user=SYSTEM, team=team, month=last_month())

    assert scores.member_count == 3


def test_key_task_progress_reports_count_for_the_member_who_filed_them(client_for, team, users):
    # given the demo's key task led by city management (全域环境整治提升工程2.0版)
    task = Task.objects.get(lead_unit__code="city-management")
    period = Period.objects.get(plan=task.plan, number=4)
    chengguan = users["department_handler"]

    progress_report_create(
        actor=chengguan, task=task, period=period, text="完成三个小区环境整治", percent_complete=80
    )

    scores = selectors.team_month(user=SYSTEM, team=team, month=this_month())
    row = next(row for row in scores.rows if row.user_id == chengguan.pk)
    assert (row.counts, str(row.score)) == ({**ZERO, "task_reports": 1}, "1.00")
    records = client_for("department_handler").get(
        f"/api/assessment/teams/{team.pk}/members/{chengguan.pk}/records/task_reports"
    )
    assert [record["url"] for record in records.json()["records"]] == [
        f"/supervision/tasks/{task.pk}/"
    ]
