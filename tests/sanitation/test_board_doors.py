"""The 红黄黑榜's doors: the page, the API and the command give the same ranking; the public page
and API show a published list to anyone without personal data; every role gets what the policy
says and a refusal changes nothing; lists run a constant number of statements."""

import json
from datetime import date
from decimal import Decimal
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook

from jiedao.accounts.permissions import SYSTEM
from jiedao.sanitation import lists
from jiedao.sanitation.cards_board import cockpit_panel, home_cards
from jiedao.sanitation.models.board import BlackListTask, MonthlyList, ScoreRule
from tests.roles import ALL_ROLES
from tests.sanitation import board_records as records
from tests.sanitation.test_board_services import DEFAULT_RULES_FORM

pytestmark = pytest.mark.django_db

VIEWERS = {
    "grid_worker",
    "grid_lead",
    "dispatcher",
    "department_handler",
    "enforcement_officer",
    "supervisor",
    "administrator",
}
PUBLISHERS = {"supervisor", "administrator"}


@pytest.fixture
def people():
    return records.people_per_role()


@pytest.fixture
def march(people):
    return records.march_records(people)


def client_as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def publish(march):
    return lists.month_list_publish(actor=SYSTEM, subdistrict=march["subdistrict"], month="2026-03")


def test_the_page_the_api_and_the_command_give_the_same_ranking(march, people):
    out = StringIO()
    call_command("sanitation", "ranking", "--month", "2026-03", "--format", "json", stdout=out)
    from_command = json.loads(out.getvalue())
    client = client_as(people["dispatcher"])

    from_api = client.get("/api/sanitation/board/ranking", {"month": "2026-03"}).json()
    page = client.get("/sanitation/board/", {"month": "2026-03"})

    assert from_api == from_command
    assert page.status_code == 200
    assert page.context["ranking"].as_dict() == from_command
    assert [(c["name"], c["score"], c["rank"], c["colour"]) for c in from_api["compounds"]] == [
        ("乙小区", "85.00", 1, "red"),
        ("甲小区", "64.93", 2, "yellow"),
        ("丙小区", "25.00", 3, "black"),
        ("丁小区", None, None, None),
    ]
    assert from_api["colours"] == {"red": 1, "yellow": 1, "black": 1}


def test_the_doors_agree_on_a_published_list_too(march, people):
    publish(march)
    out = StringIO()
    call_command("sanitation", "ranking", "--month", "2026-03", "--format", "json", stdout=out)
    client = client_as(people["supervisor"])

    from_api = client.get("/api/sanitation/board/ranking", {"month": "2026-03"}).json()

    assert from_api == json.loads(out.getvalue())
    assert from_api["published"] is True
    assert (
        client.get("/sanitation/board/", {"month": "2026-03"}).context["ranking"].as_dict()
        == from_api
    )


def test_the_figures_by_month_grid_and_compound(march, people):
    response = client_as(people["administrator"]).get(
        "/api/sanitation/board/figures", {"month": "2026-03"}
    )

    figures = response.json()
    march_totals = figures["by_month"][-1]
    assert [row["label"] for row in figures["by_month"]][-3:] == ["2026-01", "2026-02", "2026-03"]
    assert len(figures["by_month"]) == 12
    # A 4 + B 2 + C 1 households; drop-offs A 5 + B 2, correct 4 + 2.
    assert {
        key: march_totals[key]
        for key in ("compounds", "households", "participating_households", "drop_offs", "accuracy")
    } == {
        "compounds": 4,
        "households": 7,
        "participating_households": 4,
        "drop_offs": 7,
        "accuracy": "85.71",
    }
    # (85.00 + 64.93 + 25.00) / 3 = 58.31
    assert march_totals["average_score"] == "58.31"
    # February: A4's drop-off at 23:50 on the 28th; everyone else silent.
    assert figures["by_month"][-2]["drop_offs"] == 1
    grid_one = march["A"].grid
    assert [
        (row["label"], row["compounds"], row["average_score"]) for row in figures["by_grid"]
    ] == sorted(
        [
            (f"{grid_one.community.name} · {grid_one.name}", 2, "44.97"),
            (f"{grid_one.community.name} · {march['B'].grid.name}", 2, "85.00"),
        ]
    )
    assert [row["name"] for row in figures["by_compound"]] == [
        "乙小区",
        "甲小区",
        "丙小区",
        "丁小区",
    ]


def test_the_excel_sheet_is_the_list(march, people):
    march["C"].name = '=HYPERLINK("http://example.com","点我")'
    march["C"].save()

    response = client_as(people["supervisor"]).get(
        "/sanitation/board/export/", {"month": "2026-03"}
    )

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0][:6] == ("排名", "榜单", "小区", "社区", "网格", "评分")
    assert [row[:3] + (row[5],) for row in rows[1:]] == [
        (1, "红榜", "乙小区", 85),
        (2, "黄榜", "甲小区", 64.93),
        (3, "黑榜", '\'=HYPERLINK("http://example.com","点我")', 25),
        (None, None, "丁小区", None),
    ]
    assert rows[2][6:] == (55.56, 84.21, 50, 70, 50)


def test_the_public_list_needs_no_login_and_shows_no_person(march):
    anonymous = Client()
    assert "尚未发布榜单。" in anonymous.get("/public/sanitation/lists/").content.decode()

    publish(march)

    page = anonymous.get("/public/sanitation/lists/").content.decode()
    assert "乙小区" in page
    assert "黑榜" in page
    assert "张三" not in page
    api = anonymous.get("/api/sanitation/board/public/2026-03").json()
    assert api["compounds"][0] == {
        "name": "乙小区",
        "community": march["B"].grid.community.name,
        "score": "85.00",
        "rank": 1,
        "colour": "red",
    }
    sheet = load_workbook(
        BytesIO(anonymous.get("/public/sanitation/lists/2026-03.xlsx").content)
    ).active
    assert sheet.cell(row=5, column=3).value == "乙小区"


def test_an_unpublished_month_is_not_public(march):
    publish(march)

    response = Client().get("/api/sanitation/board/public/2026-02")

    assert response.status_code == 404
    assert response.json()["error"]["message"] == "2026-02 尚未发布榜单。"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_reads_the_ranking(march, people, role):
    response = client_as(people[role]).get("/api/sanitation/board/ranking", {"month": "2026-03"})

    assert response.status_code == (200 if role in VIEWERS else 403)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_publishes_and_a_refusal_publishes_nothing(march, people, role):
    response = client_as(people[role]).post(
        "/api/sanitation/board/lists", {"month": "2026-03"}, content_type="application/json"
    )

    if role in PUBLISHERS:
        assert response.status_code == 201
        assert response.json()["published"] is True
        assert BlackListTask.objects.count() == 1
    else:
        assert response.status_code == 403
        assert not MonthlyList.objects.exists()
        assert not BlackListTask.objects.exists()


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_the_administrator_sets_the_weights(march, people, role):
    response = client_as(people[role]).put(
        "/api/sanitation/board/rules", DEFAULT_RULES_FORM, content_type="application/json"
    )

    if role == "administrator":
        assert response.status_code == 200
        assert ScoreRule.objects.count() == 5
    else:
        assert response.status_code == 403
        assert not ScoreRule.objects.exists()


def test_weights_refused_through_the_api_list_every_problem(march, people):
    form = {**DEFAULT_RULES_FORM, "accuracy_weight": "31", "black_count": "-1"}

    response = client_as(people["administrator"]).put(
        "/api/sanitation/board/rules", form, content_type="application/json"
    )

    assert response.status_code == 422
    assert [(e["field"], e["message"]) for e in response.json()["error"]["extra"]["errors"]] == [
        ("weight", "权重：各项权重之和必须为 100，现为 101.00。"),
        ("black_count", "黑榜名额（后几名）应为 0 到 1000 之间的整数，而不是“-1”。"),
    ]
    assert not ScoreRule.objects.exists()


def test_the_rules_page_shows_each_problem_and_saves_nothing(march, people):
    form = {**DEFAULT_RULES_FORM, "participation_weight": "20"}

    response = client_as(people["administrator"]).post("/sanitation/board/rules/", form)

    assert response.status_code == 422
    assert "权重：各项权重之和必须为 100，现为 90.00。" in response.content.decode()
    assert not ScoreRule.objects.exists()


@pytest.mark.parametrize(
    ("role", "status", "done"),
    [
        ("grid_lead", 200, True),  # the compound's community
        ("administrator", 200, True),
        ("department_handler", 404, False),  # the compound has no managing department
        ("grid_worker", 403, False),
        ("supervisor", 403, False),
        ("resident", 403, False),
    ],
)
def test_who_closes_a_black_list_task(march, people, role, status, done):
    publish(march)
    task = BlackListTask.objects.get()

    response = client_as(people[role]).post(
        f"/api/sanitation/board/tasks/{task.pk}/done",
        {"notes": "已整改"},
        content_type="application/json",
    )

    task.refresh_from_db()
    assert (response.status_code, task.status == "done") == (status, done)


def test_the_month_page_runs_the_same_statements_whatever_the_compounds(
    march, people, django_assert_num_queries
):
    client = client_as(people["dispatcher"])
    client.get("/sanitation/board/", {"month": "2026-03"})  # the session and the user, cached
    with django_assert_num_queries(28):
        client.get("/sanitation/board/", {"month": "2026-03"})
    for name in ("戊小区", "己小区", "庚小区"):
        place = records.compound(march["B"].grid, name)
        for account in records.households(place, 2):
            records.drop_off(account, records.local(2026, 3, 9, 8))

    with django_assert_num_queries(28):
        response = client.get("/sanitation/board/", {"month": "2026-03"})
    assert len(response.context["ranking"].rows) == 7


def test_the_cockpit_panel_counts_this_months_colours(march):
    panel = cockpit_panel(date(2026, 3, 31))

    assert [(kpi.key, kpi.value) for kpi in panel.kpis] == [
        ("sanitation.list.red", 1),
        ("sanitation.list.yellow", 1),
        ("sanitation.list.black", 1),
    ]
    assert list(panel.rankings[0].rows) == [
        ("乙小区", Decimal("85.00")),
        ("甲小区", Decimal("64.93")),
        ("丙小区", Decimal("25.00")),
    ]


def test_the_home_card_counts_the_open_tasks_in_scope(march, people):
    publish(march)

    assert [card.count for card in home_cards(people["grid_lead"])] == [1]
    assert [card.count for card in home_cards(people["department_handler"])] == [0]
    assert home_cards(people["resident"]) == []


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_sees_the_pages(march, people, role):
    client = client_as(people[role])

    statuses = [
        client.get(url).status_code
        for url in ("/sanitation/board/", "/sanitation/board/rules/", "/sanitation/board/tasks/")
    ]

    assert statuses == ([200, 200, 200] if role in VIEWERS else [403, 403, 403])


def test_a_viewer_who_may_not_set_the_weights_changes_nothing(march, people):
    response = client_as(people["supervisor"]).post("/sanitation/board/rules/", DEFAULT_RULES_FORM)

    assert response.status_code == 403
    assert not ScoreRule.objects.exists()


def test_the_tasks_page_and_the_public_list_run_constant_statements(
    march, people, django_assert_num_queries
):
    publish(march)
    client = client_as(people["administrator"])
    client.get("/sanitation/board/tasks/")
    with django_assert_num_queries(7):
        client.get("/sanitation/board/tasks/")
    with django_assert_num_queries(4):
        Client().get("/public/sanitation/lists/")
    for name in ("戊小区", "己小区"):
        records.households(records.compound(march["B"].grid, name), 1)
    lists.month_list_publish(actor=SYSTEM, subdistrict=march["subdistrict"], month="2026-02")

    with django_assert_num_queries(7):
        response = client.get("/sanitation/board/tasks/")
    # March: 丙小区; February (A: 63.33, yellow): 乙, 丙, 戊 and 己 at 25.00, black.
    assert len(response.context["tasks"]) == 5
    with django_assert_num_queries(4):
        Client().get("/public/sanitation/lists/", {"month": "2026-02"})
