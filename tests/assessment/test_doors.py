"""The page, the API, the Excel sheet and the command give the same scores (one selector); the
member's page links each count to the records behind it; the home cards and the cockpit."""

import datetime
import html
import io
import json
import re
from decimal import Decimal

from django.core.management import call_command
from openpyxl import load_workbook

from jiedao.assessment.home import cockpit_panel, home_cards
from jiedao.core.localtime import local_today

from .conftest import dispatched, handled, inspected, rated, returned


def this_month() -> str:
    return f"{local_today():%Y-%m}"


def work(users, qian):
    chengguan = users["department_handler"]
    rated(handled(dispatched(number=1), chengguan, users), users, 5)
    returned(dispatched(number=2), chengguan)
    inspected(users["enforcement_officer"])
    handled(dispatched(number=3), qian, users, rework=1)


def test_the_command_the_api_the_page_and_the_sheet_agree(client_for, team, users, qian):
    work(users, qian)
    output = io.StringIO()

    call_command("assessment", "scores", "--month", this_month(), "--format", "json", stdout=output)
    api = client_for("supervisor").get(
        f"/api/assessment/teams/{team.pk}/scores?month={this_month()}"
    )
    page = client_for("supervisor").get(f"/assessment/teams/{team.pk}/?month={this_month()}")
    sheet = client_for("supervisor").get(
        f"/assessment/teams/{team.pk}/export.xlsx?month={this_month()}"
    )

    from_command = json.loads(output.getvalue())
    assert from_command == [api.json()]
    # 赵城管 1×2 + 1×1 − 1 + 1 = 3; 周执法 3; 钱测试 2 + 1 − 2 = 1
    assert [(r["name"], r["rank"], r["score"]) for r in api.json()["rows"]] == [
        ("周执法", 1, "3.00"),
        ("赵城管", 1, "3.00"),
        ("钱测试", 3, "1.00"),
    ]
    text = html.unescape(page.content.decode())
    assert re.findall(r"<strong>([-\d.]+)</strong>", text) == ["3.00", "3.00", "1.00"]
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert [(row[0], row[1], row[-1]) for row in rows[3:]] == [
        (1, "周执法", 3.0),
        (1, "赵城管", 3.0),
        (3, "钱测试", 1.0),
    ]
    assert rows[2][:4] == ("排名", "队员", "处置事件数", "按期处置数")


def test_the_command_prints_a_table(team, users, qian):
    work(users, qian)
    output = io.StringIO()

    call_command("assessment", "scores", "--month", this_month(), stdout=output)

    lines = output.getvalue().splitlines()
    assert lines[0] == f"城管队 {this_month()} (open)"
    assert lines[2].split() == ["1", "周执法", "0", "0", "0", "0", "0", "0", "1", "0", "0", "3.00"]


def test_a_member_sees_what_their_score_came_from_and_the_records_behind_it(
    client_for, team, users, qian
):
    work(users, qian)
    client = client_for("department_handler")
    me = users["department_handler"]

    page = html.unescape(
        client.get(
            f"/assessment/teams/{team.pk}/members/{me.pk}/?month={this_month()}"
        ).content.decode()
    )
    records = client.get(
        f"/api/assessment/teams/{team.pk}/members/{me.pk}/records/returned?month={this_month()}"
    ).json()

    assert "3.00 分，第 1 名（共 3 名）。" in page
    link = f"/assessment/teams/{team.pk}/members/{me.pk}/records/returned/?month={this_month()}"
    assert f'<a href="{link}">1</a>' in page
    assert (records["total"], len(records["records"])) == (1, 1)
    assert records["records"][0]["url"].startswith("/events/WY")
    listed = html.unescape(client.get(link).content.decode())
    assert records["records"][0]["label"] in listed


def test_the_home_cards_and_the_cockpit(team, users, qian):
    work(users, qian)

    leader = home_cards(users["department_handler"])
    member = home_cards(users["enforcement_officer"])
    panel = cockpit_panel(local_today())

    assert [(str(card.title), str(card.description), card.count) for card in leader] == [
        ("队员排名：城管队", "本月第一名：周执法，3.00 分。", 3)
    ]
    assert [
        (str(card.title), str(card.description), card.count, str(card.count_label))
        for card in member
    ] == [("我的本月考核得分", "城管队，3.00 分，依据本人工作记录计算。", 1, "名（共 3 名）")]
    assert home_cards(users["dispatcher"]) == []
    assert (panel.kpis[0].value, panel.kpis[1].value) == (Decimal("2.33"), 3)
    assert next(iter(panel.rankings[0].rows)) == ("周执法", Decimal("3.00"))
    assert cockpit_panel(datetime.date(2020, 1, 1)).kpis[0].value == Decimal("0.00")
