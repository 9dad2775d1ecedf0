"""Every rate of the figures keeps its numerator inside its denominator (issue #10, item 7).

Two hand-built months where the old definitions went above 100 % — 结案率 150 % (closures
before registration were closed but not due) and 返工率 150 % (events still being reworked were
counted against the closed ones) — now give the percentages written here, by every door and,
on PostgreSQL, from the rollup exactly as from the events. A property test holds the subsets
for random events.
"""

import csv
import io
from datetime import date
from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiedao.accounts.permissions import SYSTEM
from jiedao.events import rollups
from jiedao.events.figures import GROUPINGS, FigureRow, Figures, event_figures

from .conftest import act, report
from .figures_scenario import local
from .test_figures_rollup import DAYS, FIRST, _write, events, world  # noqa: F401 - the "world" fixture

APRIL = {"since": date(2022, 4, 1), "until": date(2022, 4, 30)}
MAY = {"since": date(2022, 5, 1), "until": date(2022, 5, 31)}
DASHBOARD = "/events/dashboard/"
FIGURES_API = "/api/events/figures/"


def figures_both_ways(user: Any, **period: Any) -> Figures:
    """The figures of ``period``; on PostgreSQL, for a whole subdistrict, read from the
    refreshed rollup after checking that they equal the figures counted from the events."""
    if connection.vendor != "postgresql" or not rollups.rollup_applies(user):
        return event_figures(user=user, by="month", **period)
    rollups.rollup_refresh()
    figures = event_figures(user=user, by="month", **period)
    with mock.patch("jiedao.events.figures.rollup_applies", return_value=False):
        direct = event_figures(user=user, by="month", **period)
    assert figures.as_dict() == direct.as_dict()
    return figures


def rates(row: FigureRow) -> dict[str, Any]:
    return {
        "collected": row.collected,
        "dispatched": row.dispatched,
        "closed": row.closed,
        "due": row.due,
        "on_time_closed": row.on_time_closed,
        "reworked": row.reworked,
        "extended": row.extended,
        "closure_rate": row.closure_rate,
        "on_time_rate": row.on_time_rate,
        "rework_rate": row.rework_rate,
        "extension_rate": row.extension_rate,
    }


def handled(event: Any, day: int, month: int = 4) -> None:
    """Accept, dispatch and start handling ``event`` on the morning of ``day``."""
    act(event, "accept", at=local(2022, month, day, 9, 10))
    act(event, "dispatch", at=local(2022, month, day, 9, 20), department="city-management")
    act(event, "start_handling", at=local(2022, month, day, 9, 30))


@pytest.fixture(name="april")
def april_events(users: Any) -> dict[str, Any]:
    """Two sensor reports that the devices' recovery closed before anyone accepted them (U1,
    U2), one event dispatched and closed on time (B), one dispatched and left open past its
    4-working-hour limit (W). The old 结案率 was 3 closed / 2 due = 150 %."""
    u1 = report(at=local(2022, 4, 6, 9), source="sensor")
    act(u1, "auto_close", at=local(2022, 4, 6, 9, 30), note="设备已恢复")
    u2 = report(at=local(2022, 4, 7, 14), source="sensor")
    act(u2, "auto_close", at=local(2022, 4, 7, 14, 20), note="设备已恢复")
    b = report(at=local(2022, 4, 8, 9), source="grid_patrol")
    handled(b, 8)
    act(b, "report_back", at=local(2022, 4, 8, 10), note="清理完毕")
    act(b, "verify_pass", at=local(2022, 4, 8, 10, 30))
    w = report(at=local(2022, 4, 11, 9), source="grid_patrol")
    handled(w, 11)
    return {"u1": u1, "u2": u2, "b": b, "w": w}


@pytest.fixture(name="may")
def may_events(users: Any) -> dict[str, Any]:
    """B closed at the first verification; C closed after one rework; W failed verification and
    is being reworked; V passed verification, was reopened on the resident's complaint and is
    being handled again. The old 返工率 was 3 reworked (C, W, V) / 2 closed = 150 %."""
    b = report(at=local(2022, 5, 9, 9), source="grid_patrol")
    handled(b, 9, month=5)
    act(b, "report_back", at=local(2022, 5, 9, 10), note="清理完毕")
    act(b, "verify_pass", at=local(2022, 5, 9, 10, 30))
    c = report(at=local(2022, 5, 10, 9), source="grid_patrol")
    handled(c, 10, month=5)
    act(c, "report_back", at=local(2022, 5, 10, 10), note="已处理")
    act(c, "verify_fail", at=local(2022, 5, 10, 10, 30), reason="仍有垃圾")
    act(c, "report_back", at=local(2022, 5, 10, 11), note="已再次处理")
    act(c, "verify_pass", at=local(2022, 5, 10, 11, 30))
    w = report(at=local(2022, 5, 11, 9), source="grid_patrol")
    handled(w, 11, month=5)
    act(w, "report_back", at=local(2022, 5, 11, 10), note="已处理")
    act(w, "verify_fail", at=local(2022, 5, 11, 10, 30), reason="仍有垃圾")
    v = report(at=local(2022, 5, 12, 9), source="resident")
    handled(v, 12, month=5)
    act(v, "report_back", at=local(2022, 5, 12, 10), note="已处理")
    act(v, "verify_pass", at=local(2022, 5, 12, 10, 30))
    act(v, "reopen", at=local(2022, 5, 12, 16), reason="垃圾又堆起来了")
    return {"b": b, "c": c, "w": w, "v": v}


APRIL_RATES = {
    "collected": 4,
    "dispatched": 2,
    "closed": 3,
    "due": 4,  # U1, U2 and B closed, W open past its limit
    "on_time_closed": 3,  # U1 and U2 had no handling deadline to miss; B met its own
    "reworked": 0,
    "extended": 0,
    "closure_rate": 0.75,
    "on_time_rate": 0.75,
    "rework_rate": 0.0,
    "extension_rate": 0.0,
}
MAY_RATES = {
    "collected": 4,
    "dispatched": 4,
    "closed": 2,
    "due": 4,  # W and V are open past their limits
    "on_time_closed": 2,
    "reworked": 1,  # C; W and V are still being reworked
    "extended": 0,
    "closure_rate": 0.5,
    "on_time_rate": 0.5,
    "rework_rate": 0.5,
    "extension_rate": 0.0,
}


@pytest.mark.parametrize("role", ["dispatcher", "grid_worker"])
def test_closures_before_registration_are_due_so_closure_rate_stays_within_100(
    april: Any, users: Any, role: str
) -> None:
    # when the figures of April are counted for the whole subdistrict (the rollup on
    # PostgreSQL) and for the grid worker of the events' grid (the events themselves)
    figures = figures_both_ways(users[role], **APRIL)

    # then every closure is due, and the two early closures are on time
    assert rates(figures.total) == APRIL_RATES


def test_events_still_being_reworked_are_not_counted_against_the_closed_ones(
    may: Any, users: Any
) -> None:
    figures = figures_both_ways(users["dispatcher"], **MAY)
    assert rates(figures.total) == MAY_RATES


def test_the_rework_counts_once_the_reworked_event_is_closed(may: Any, users: Any) -> None:
    # given W passes its second verification on 13 May
    act(may["w"], "report_back", at=local(2022, 5, 13, 10), note="已再次处理")
    act(may["w"], "verify_pass", at=local(2022, 5, 13, 10, 30))

    # then W counts as closed and as closed after rework: 2 of 3
    total = figures_both_ways(users["dispatcher"], **MAY).total
    assert (total.closed, total.reworked, total.rework_rate, total.closure_rate) == (
        3,
        2,
        0.6667,
        0.75,
    )


def test_the_dashboard_shows_the_rates_and_their_definitions(april: Any, client_for: Any) -> None:
    response = client_for("supervisor").get(
        DASHBOARD, {"since": "2022-04-01", "until": "2022-04-30"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-kpi="closure_rate">75%<' in html
    assert 'data-kpi="on_time_rate">75%<' in html
    assert "应结案 4 件，已结案 3 件" in html
    assert "<summary>指标口径</summary>" in html
    assert (
        "<p>各项指标按本期上报的事件在 2022-04-30 结束时的状态计算（当天尚未结束的，按当前状态）。</p>"
        in html
    )
    assert (
        "<dd>结案数 ÷ 应结案数。应结案数：已结案的事件，加上已立案、超过处置时限仍未结案的事件"
        "（挂账事件和不予立案的除外）。</dd>" in html
    )
    assert (
        "<dd>返工后结案数 ÷ 结案数。返工后结案数：核查不通过返工或因不满意重办后结案的事件。</dd>"
        in html
    )


def test_the_api_and_the_export_give_the_same_rates(may: Any, client_for: Any) -> None:
    client = client_for("dispatcher")
    body = client.get(FIGURES_API, {"since": "2022-05-01", "until": "2022-05-31"}).json()
    assert {name: body["total"][name] for name in MAY_RATES} == MAY_RATES
    response = client.get(
        FIGURES_API + "export.csv", {"since": "2022-05-01", "until": "2022-05-31", "by": "month"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, total = rows[0], rows[-1]
    assert {
        title: total[header.index(title)]
        for title in ("结案数", "应结案数", "返工后结案数", "结案率", "返工率")
    } == {"结案数": "2", "应结案数": "4", "返工后结案数": "1", "结案率": "50.0%", "返工率": "50.0%"}


RATE_NAMES = ("closure_rate", "on_time_rate", "rework_rate", "extension_rate")


def _within(row: dict[str, Any]) -> bool:
    return (
        row["on_time_closed"] <= row["closed"] <= row["due"]
        and row["reworked"] <= row["closed"]
        and row["satisfaction_count"] <= row["closed"]
        and row["extended"] <= row["dispatched"]
        and all(row[name] is None or 0 <= row[name] <= 1 for name in RATE_NAMES)
    )


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    specs=st.lists(events, min_size=1, max_size=30),
    since=st.integers(0, DAYS - 1),
    length=st.integers(0, DAYS - 1),
    by=st.sampled_from(GROUPINGS),
)
def test_no_numerator_leaves_its_denominator(
    world: dict[str, Any],  # noqa: F811 - the fixture imported above
    specs: list[dict[str, Any]],
    since: int,
    length: int,
    by: str,
) -> None:
    with transaction.atomic():
        # given random events in every status, with timestamps in any order
        _write(specs, world)
        first = FIRST + date.resolution * since

        # when their figures are counted (from the rollup's live part on PostgreSQL)
        figures = event_figures(
            user=SYSTEM, since=first, until=first + date.resolution * length, by=by
        ).as_dict()

        # then each count lies inside the one its rate divides by, in every row and the total
        assert all(_within(row) for row in [*figures["rows"], figures["total"]])
        transaction.set_rollback(True)
