"""The board arranges what the apps answer: numbers written the screen's way, targets met or
not whichever way is better, panels in their order, and a panel an app has not got yet left out."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from jiedao.cockpit.board import cockpit_board, display
from jiedao.web import cockpit
from jiedao.web.cockpit import Kpi, Panel, Ranking


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (None, "—"),
        (0, "0"),
        (4234, "4,234"),
        (16.6, "16.6"),
        (100.0, "100"),
        (Decimal(1530000000), "1,530,000,000"),
        (Decimal("2.76"), "2.76"),
        (0.005, "0.01"),
        (1234.5, "1,234.5"),
        (Decimal("200.00"), "200"),
    ],
)
def test_numbers_as_the_screen_writes_them(value: Any, written: str) -> None:
    assert display(value) == written


def indicators(today: date) -> Panel:
    return Panel(
        title="重点指标",
        order=5,
        kpis=[
            Kpi(
                key="test.output",
                label="规上工业总产值",
                value=Decimal("15.3"),
                unit="亿元",
                target=20,
            ),
            Kpi(key="test.rate", label="办结率", value=100, unit="%", target=95),
            Kpi(key="test.energy", label="单位能耗", value=0.42, target=0.4, better="lower"),
            Kpi(key="test.unknown", label="尚未填报", value=None, target=10),
        ],
        rankings=[Ranking(title="排名", rows=[(f"单位{n}", 11 - n) for n in range(12)])],
    )


def nothing_yet(today: date) -> None:
    return None


def test_targets_and_order(monkeypatch: Any, users: Any) -> None:
    monkeypatch.setitem(cockpit._panels, "tests.indicators", indicators)
    monkeypatch.setitem(cockpit._panels, "tests.empty", nothing_yet)

    data = cockpit_board(user=users["supervisor"], day=date(2022, 3, 31)).data

    assert [panel["title"] for panel in data["panels"]] == [
        "重点指标",
        "事件",
        "综合执法",
        "现代社区",
        "物联感知",
    ]
    assert [
        (
            kpi["key"],
            kpi["display"],
            kpi["target_display"],
            kpi["target_share"],
            kpi["meets_target"],
        )
        for kpi in data["targets"]
        if kpi["panel"] == "重点指标"
    ] == [
        ("test.output", "15.3", "20", 76.5, False),
        ("test.rate", "100", "95", 100.0, True),
        ("test.energy", "0.42", "0.4", None, False),
        ("test.unknown", "—", "10", None, None),
    ]
    rows = data["panels"][0]["rankings"][0]["rows"]
    assert [(row["rank"], row["label"], row["value"]) for row in rows[:2]] == [
        (1, "单位0", 11),
        (2, "单位1", 10),
    ]
    assert len(rows) == 10  # the head of the ranking: a wall screen has no room for more


def test_the_page_marks_targets_met_and_missed(monkeypatch: Any, client_for: Any) -> None:
    monkeypatch.setitem(cockpit._panels, "tests.indicators", indicators)

    html = client_for("supervisor").get("/cockpit/", {"day": "2022-03-31"}).content.decode()

    assert '<li class="kpi-short" data-target-key="test.output">' in html
    assert '<span class="target-label">重点指标 · 规上工业总产值</span>' in html
    assert '<li class="kpi-met" data-target-key="test.rate">' in html
    assert '<span style="width: 76.5%"></span>' in html
    assert 'data-kpi="test.unknown">—<' in html
