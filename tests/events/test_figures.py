"""Figures on a small hand-built month of events, made through the services."""

import json
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiedao.accounts.permissions import SYSTEM
from jiedao.core.errors import Forbidden, InvalidInput
from jiedao.events.figures import (
    department_ranking,
    event_figures,
    grid_ranking,
    ranking_period,
)

from .conftest import HOME_GRID, OTHER_GRID, act, report
from .figures_scenario import MARCH, local, march_events  # noqa: F401 - the "march" fixture

# The same message at every door (the page, the API, the command): one parser, one selector.
END_BEFORE_START = "结束日期（2022-03-01）早于开始日期（2022-03-31）。"


def counts(row: Any) -> dict[str, Any]:
    return {
        "collected": row.collected,
        "dispatched": row.dispatched,
        "self_resolved": row.self_resolved,
        "rejected": row.rejected,
        "closed": row.closed,
        "due": row.due,
        "on_time_closed": row.on_time_closed,
        "reworked": row.reworked,
        "extended": row.extended,
    }


def test_totals_and_every_rate_follow_the_definitions(march: Any) -> None:
    # given the March events, when the dispatcher's figures are computed
    figures = event_figures(user=SYSTEM, by="month", **MARCH)

    # then
    total = figures.total
    assert counts(total) == {
        "collected": 6,
        "dispatched": 3,
        "self_resolved": 1,
        "rejected": 1,
        "closed": 3,
        "due": 4,
        "on_time_closed": 2,
        "reworked": 1,
        "extended": 1,
    }
    assert total.closure_rate == 0.75
    assert total.on_time_rate == 0.5
    assert total.rework_rate == 0.3333
    assert total.extension_rate == 0.3333
    # A closed at once, B after 1.5 h, C after 7 days 6 hours (174 h): wall-clock mean.
    assert total.mean_handling_hours == 58.5
    assert total.satisfaction_mean == 4.0
    assert total.satisfaction_count == 2
    assert [(row.key, row.collected) for row in figures.rows] == [("2022-03", 6)]


def test_an_event_is_not_due_while_its_limit_runs(march: Any) -> None:
    # given F accepted at 16:10 on 31 March, due the next working day
    # when the figures stop on 31 March, F is collected but not due
    figures = event_figures(user=SYSTEM, by="source", **MARCH)
    hotline = next(row for row in figures.rows if row.key == "hotline_12345")
    assert counts(hotline) == {
        "collected": 1,
        "dispatched": 0,
        "self_resolved": 0,
        "rejected": 0,
        "closed": 0,
        "due": 0,
        "on_time_closed": 0,
        "reworked": 0,
        "extended": 0,
    }
    assert hotline.closure_rate is None


def test_an_event_closed_before_it_was_registered_is_due_and_on_time(users: Any) -> None:
    # given a sensor's report that the device's recovery closed while it awaited acceptance
    event = report(at=local(2022, 4, 1, 9), source="sensor")
    act(event, "auto_close", at=local(2022, 4, 1, 9, 30), note="设备已恢复")

    # then it is closed, and so due (结案数 ⊆ 应结案数), and on time: it had no handling
    # deadline to miss
    figures = event_figures(user=SYSTEM, since=date(2022, 4, 1), until=date(2022, 4, 30))
    assert (figures.total.closed, figures.total.due, figures.total.on_time_closed) == (1, 1, 1)
    assert (figures.total.closure_rate, figures.total.on_time_rate) == (1.0, 1.0)


def test_grouping_by_grid(march: Any) -> None:
    figures = event_figures(user=SYSTEM, by="grid", **MARCH)
    assert [(row.key, row.collected, row.closed, row.due) for row in figures.rows] == [
        (HOME_GRID, 4, 2, 2),
        (OTHER_GRID, 2, 1, 2),
    ]


def test_grouping_by_community(march: Any) -> None:
    figures = event_figures(user=SYSTEM, by="community", **MARCH)
    assert [(row.key, row.collected, row.closure_rate) for row in figures.rows] == [
        ("330109012001", 4, 1.0),
        ("330109012003", 2, 0.5),
    ]


def test_grouping_by_department(march: Any) -> None:
    figures = event_figures(user=SYSTEM, by="department", **MARCH)
    assert [(row.key, row.collected, row.dispatched, row.on_time_rate) for row in figures.rows] == [
        ("city-management", 3, 3, 0.3333),
        ("command-centre", 3, 0, 1.0),
    ]


def test_grouping_by_category(march: Any) -> None:
    figures = event_figures(user=SYSTEM, by="category", **MARCH)
    assert [(row.key, row.label, row.collected) for row in figures.rows] == [
        ("E0101", "暴露垃圾", 4),
        ("E0201", "违章停车", 2),
    ]


def test_grouping_by_source(march: Any) -> None:
    figures = event_figures(user=SYSTEM, by="source", **MARCH)
    assert [(row.key, row.collected) for row in figures.rows] == [
        ("grid_patrol", 4),
        ("hotline_12345", 1),
        ("resident", 1),
    ]


def test_grouping_by_month_uses_local_months(march: Any) -> None:
    figures = event_figures(
        user=SYSTEM, since=date(2022, 2, 1), until=date(2022, 3, 31), by="month"
    )
    assert [(row.key, row.collected) for row in figures.rows] == [("2022-02", 1), ("2022-03", 6)]


@pytest.mark.parametrize(
    ("role", "collected"),
    [
        ("dispatcher", 6),
        ("supervisor", 6),
        ("administrator", 6),
        ("grid_lead", 4),
        ("grid_worker", 4),
        ("department_handler", 3),
        ("enforcement_officer", 0),
    ],
)
def test_figures_follow_the_scope(march: Any, users: Any, role: str, collected: int) -> None:
    figures = event_figures(user=users[role], by="grid", **MARCH)
    assert figures.total.collected == collected


def test_a_grid_worker_sees_only_their_grid(march: Any, users: Any) -> None:
    figures = event_figures(user=users["grid_worker"], by="grid", **MARCH)
    assert [row.key for row in figures.rows] == [HOME_GRID]


@pytest.mark.parametrize("role", ["resident", "social_organisation"])
def test_roles_without_figures_are_refused(march: Any, users: Any, role: str) -> None:
    with pytest.raises(Forbidden):
        event_figures(user=users[role], by="grid", **MARCH)


def test_department_ranking_by_on_time_then_closure_rate(march: Any) -> None:
    ranking = department_ranking(user=SYSTEM, month="2022-03")
    assert [(item.rank, item.row.key) for item in ranking] == [(1, "city-management")]


def test_on_the_spot_resolutions_are_not_credited_to_the_command_centre(march: Any) -> None:
    # given, besides March's events (A resolved on the spot stays with the command centre), one
    # event the command centre was dispatched and closed on time itself
    assert march["a"].responsible_department.code == "command-centre"
    handled = report(at=local(2022, 3, 7, 9), source="grid_patrol")
    act(handled, "accept", at=local(2022, 3, 7, 9, 10))
    act(handled, "dispatch", at=local(2022, 3, 7, 9, 20), department="command-centre")
    act(handled, "start_handling", at=local(2022, 3, 7, 9, 30))
    act(handled, "report_back", at=local(2022, 3, 7, 10), note="已处理")
    act(handled, "verify_pass", at=local(2022, 3, 7, 10, 30))

    ranking = department_ranking(user=SYSTEM, month="2022-03")

    # then the centre's row counts only the event it handled
    assert [
        (item.rank, item.row.key, counts(item.row), item.row.on_time_rate) for item in ranking
    ] == [
        (
            1,
            "command-centre",
            {
                "collected": 3,  # with E (rejected) and F (accepted, not yet dispatched)
                "dispatched": 1,
                "self_resolved": 0,
                "rejected": 1,
                "closed": 1,
                "due": 1,
                "on_time_closed": 1,
                "reworked": 0,
                "extended": 0,
            },
            1.0,
        ),
        (
            2,
            "city-management",
            {
                "collected": 3,
                "dispatched": 3,
                "self_resolved": 0,
                "rejected": 0,
                "closed": 2,
                "due": 3,
                "on_time_closed": 1,
                "reworked": 1,
                "extended": 1,
            },
            0.3333,
        ),
    ]


def test_the_ranking_period_is_the_whole_month() -> None:
    assert ranking_period("2022-02") == (date(2022, 2, 1), date(2022, 2, 28))


def test_grid_ranking_by_collected(march: Any) -> None:
    ranking = grid_ranking(user=SYSTEM, month="2022-03")
    assert [(item.rank, item.row.key, item.row.collected) for item in ranking] == [
        (1, HOME_GRID, 4),
        (2, OTHER_GRID, 2),
    ]


@pytest.mark.parametrize(
    ("since", "until", "by", "field"),
    [
        (date(2022, 3, 31), date(2022, 3, 1), "month", "until"),
        (date(2022, 3, 1), date(2022, 3, 31), "street", "by"),
    ],
)
def test_bad_periods_and_groupings(
    users: Any, since: date, until: date, by: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        event_figures(user=users["dispatcher"], since=since, until=until, by=by)
    assert error.value.field == field


def test_cli_refuses_an_end_date_before_the_start_date(users: Any) -> None:
    with pytest.raises(CommandError) as error:
        call_command("figures", "--since", "2022-03-31", "--until", "2022-03-01")
    assert str(error.value) == END_BEFORE_START


def test_cli_names_every_bad_date_by_its_label(users: Any) -> None:
    with pytest.raises(CommandError) as error:
        call_command("figures", "--since", "2022-3-1x", "--until", "2022-02-30")
    assert str(error.value) == (
        "开始日期 应为形如 2022-06-30 的日期，而不是“2022-3-1x”。\n"
        "结束日期 应为形如 2022-06-30 的日期，而不是“2022-02-30”。"
    )


def test_cli_json_output_is_exact(march: Any, capsys: Any) -> None:
    call_command(
        "figures",
        "--since",
        "2022-03-01",
        "--until",
        "2022-03-31",
        "--by",
        "community",
        "--format",
        "json",
    )
    output = json.loads(capsys.readouterr().out)
    assert output["since"] == "2022-03-01"
    assert output["until"] == "2022-03-31"
    assert output["by"] == "community"
    assert [row["key"] for row in output["rows"]] == ["330109012001", "330109012003"]
    assert output["total"] == {
        "key": "",
        "label": output["total"]["label"],
        "collected": 6,
        "dispatched": 3,
        "self_resolved": 1,
        "rejected": 1,
        "merged": 0,
        "closed": 3,
        "due": 4,
        "on_time_closed": 2,
        "reworked": 1,
        "extended": 1,
        "mean_handling_hours": 58.5,
        "satisfaction_mean": 4.0,
        "satisfaction_count": 2,
        "closure_rate": 0.75,
        "on_time_rate": 0.5,
        "rework_rate": 0.3333,
        "extension_rate": 0.3333,
    }


def test_cli_table_output(march: Any, capsys: Any) -> None:
    call_command("figures", "--since", "2022-03-01", "--until", "2022-03-31", "--by", "grid")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4  # header, two grids, total
    assert HOME_GRID in lines[1]
    assert "75.0%" in lines[3]
