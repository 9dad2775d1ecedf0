"""The cockpit's doors: the page, its refreshing partial and the API show the same board; who may
see it; a clear error for a bad day; a constant number of statements as the data grows."""

import json
import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiedao.accounts.permissions import ACTION_ROLES
from jiedao.audit.models import AuditEntry
from jiedao.core.localtime import local_today
from jiedao.web import cards
from tests.events.conftest import HOME_GRID, OTHER_GRID, report
from tests.roles import ALL_ROLES

SHANGHAI = ZoneInfo("Asia/Shanghai")
VIEWERS = {"supervisor", "dispatcher", "administrator"}
DAY = {"day": "2022-03-31"}


def board_in(html: str) -> dict[str, Any]:
    found = re.search(r'<script id="cockpit-data" type="application/json">(.*?)</script>', html)
    assert found is not None
    return json.loads(found.group(1))


def without_time(board: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in board.items() if key != "generated_at"}


@pytest.fixture
def events(users: Any) -> None:
    report(at=datetime(2022, 3, 31, 9, tzinfo=SHANGHAI))
    report(at=datetime(2022, 3, 31, 10, tzinfo=SHANGHAI))
    report(at=datetime(2022, 3, 30, 10, tzinfo=SHANGHAI), grid=OTHER_GRID)


def test_the_action_is_registered_for_leaders_dispatchers_and_administrators() -> None:
    assert set(ACTION_ROLES["cockpit.view"]) == VIEWERS


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_see_the_cockpit(client_for: Any, role: str) -> None:
    client = client_for(role)
    entries = AuditEntry.objects.count()

    page = client.get("/cockpit/", DAY)
    live = client.get("/cockpit/live/", DAY)
    api = client.get("/api/cockpit/", DAY)

    expected = 200 if role in VIEWERS else 403
    assert (page.status_code, live.status_code, api.status_code) == (expected,) * 3
    assert AuditEntry.objects.count() == entries


def test_signed_out_visitors_are_sent_to_sign_in(client: Any, wenyan_demo: Any) -> None:
    response = client.get("/cockpit/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/login/?next=/cockpit/",
    )
    assert client.get("/api/cockpit/").status_code == 401


def test_page_partial_and_api_show_the_same_board(events: Any, client_for: Any) -> None:
    client = client_for("supervisor")

    page = board_in(client.get("/cockpit/", DAY).content.decode())
    live = board_in(client.get("/cockpit/live/", DAY).content.decode())
    api = client.get("/api/cockpit/", DAY).json()

    assert without_time(page) == without_time(live) == without_time(api)
    # The day is part of what refreshes: a screen left on over midnight moves on.
    live_html = client.get("/cockpit/live/").content.decode()
    assert f'id="cockpit-day">{local_today().isoformat()}</time>' in live_html
    assert api["day"] == "2022-03-31"
    assert [panel["title"] for panel in api["panels"]] == [
        "事件",
        "综合执法",
        "现代社区",
        "物联感知",
    ]
    events_panel = api["panels"][0]
    assert {kpi["key"]: kpi["display"] for kpi in events_panel["kpis"]} == {
        "events.open": "3",
        "events.overdue": "3",
        "events.reported_today": "2",
        "events.closed_this_month": "0",
        "events.on_time_rate": "—",
    }
    layer = api["layers"][0]
    assert (layer["key"], layer["by_grid"], layer["total"], layer["max"]) == (
        "events.open",
        {HOME_GRID: 2, OTHER_GRID: 1},
        3,
        2,
    )
    assert [item["key"] for item in api["layers"]] == ["events.open", "sensors.alarms"]


def test_page_shows_the_tiles_map_and_charts(events: Any, client_for: Any) -> None:
    html = client_for("dispatcher").get("/cockpit/", DAY).content.decode()

    assert 'data-kpi="events.open">3<' in html
    assert 'data-kpi="events.reported_today">2<' in html
    assert '<time datetime="2022-03-31" id="cockpit-day">2022-03-31</time>' in html
    assert 'hx-get="/cockpit/live/?day=2022-03-31" hx-trigger="every 60s"' in html
    assert 'data-layer="events.open" aria-pressed="true">待办结事件<' in html
    assert 'data-layer="sensors.alarms" aria-pressed="false">未解除报警<' in html
    grids = json.loads(
        re.search(r'<script id="cockpit-grids" type="application/json">(.*?)</script>', html).group(
            1
        )
    )
    assert len(grids["features"]) == 35
    assert "vendor/leaflet/leaflet.js" in html
    assert "vendor/echarts/echarts.min.js" in html
    assert 'data-trend="0"' in html


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2022-13-01", "日期 应为形如 2022-06-30 的日期，而不是“2022-13-01”。"),
        ("2999-01-01", "日期：2999-01-01 尚未到来，请选择今天或更早的日期。"),
    ],
)
def test_a_bad_day_is_a_clear_error(client_for: Any, day: str, message: str) -> None:
    client = client_for("supervisor")

    page = client.get("/cockpit/", {"day": day})
    api = client.get("/api/cockpit/", {"day": day})

    assert page.status_code == 422
    assert message in page.content.decode()
    assert api.status_code == 422
    assert api.json()["error"]["message"] == message
    assert api.json()["error"]["field"] == "day"


def _statements(client: Any) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get("/api/cockpit/", DAY)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_statements_stay_the_same_as_the_data_grows(users: Any, client_for: Any) -> None:
    client = client_for("supervisor")
    client.get("/api/cockpit/", DAY)  # warm the per-process caches (grids, calendar)
    before = _statements(client)
    for hour in range(8, 18):
        report(at=datetime(2022, 3, 31, hour, tzinfo=SHANGHAI), grid=OTHER_GRID)
        report(at=datetime(2022, 3, 29, hour, tzinfo=SHANGHAI))

    after = _statements(client)

    assert before == after
    assert client.get("/api/cockpit/", DAY).json()["panels"][0]["kpis"][2]["value"] == 10


def test_a_card_and_a_navigation_entry_for_the_viewers(users: Any) -> None:
    for role, user in users.items():
        titles = [str(card.title) for card in cards.cards_for(user)]
        assert ("领导驾驶舱" in titles) is (role in VIEWERS)
    assert ("cockpit.view", "驾驶舱", "cockpit:page") in [
        (action, str(label), url) for action, label, url in cards.navigation_entries()
    ]


def test_the_api_is_in_the_openapi_document(client: Any, wenyan_demo: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["paths"]["/api/cockpit/"]["get"]["summary"] == (
        "The leaders' cockpit: every app's figures"
    )


def test_the_command_prints_the_same_board(events: Any, client_for: Any, capsys: Any) -> None:
    call_command("cockpit", "--day", "2022-03-31", "--format", "json")
    printed = json.loads(capsys.readouterr().out)

    api = client_for("administrator").get("/api/cockpit/", DAY).json()
    assert without_time(printed) == without_time(api)


def test_the_command_table(events: Any, capsys: Any) -> None:
    call_command("cockpit", "--day", "2022-03-31")
    lines = capsys.readouterr().out.splitlines()

    assert lines[:8] == [
        "2022-03-31",
        "",
        "事件",
        "  待办结事件  3件",
        "  已超期  3件",
        "  今日上报  2件",
        "  本月结案  0件",
        "  近30日按期结案率  —",
    ]
    assert lines[-3:] == ["", "待办结事件: 3", "未解除报警: 0"]


def test_the_command_refuses_a_day_to_come(wenyan_demo: Any) -> None:
    with pytest.raises(CommandError) as error:
        call_command("cockpit", "--day", "2999-01-01")
    assert str(error.value) == "日期：2999-01-01 尚未到来，请选择今天或更早的日期。"


def test_a_screen_signed_out_is_sent_to_sign_in_as_a_whole_page(
    client: Any, wenyan_demo: Any
) -> None:
    response = client.get("/cockpit/live/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/accounts/login/?next=%2Fcockpit%2F"
    assert response.content == b""


@pytest.mark.parametrize("role", sorted(VIEWERS))
def test_every_figure_leads_to_a_page_the_viewer_may_open(
    events: Any, client_for: Any, role: str
) -> None:
    client = client_for(role)
    board = client.get("/api/cockpit/", DAY).json()
    urls = sorted({kpi["url"] for panel in board["panels"] for kpi in panel["kpis"]} - {""})

    assert urls == [
        "/community/fund/",
        "/community/needs/",
        "/enforcement/inspections/",
        "/enforcement/rectifications/",
        "/events/all/",
        "/events/dashboard/",
        "/sensors/",
        "/sensors/map/",
    ]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 200)
