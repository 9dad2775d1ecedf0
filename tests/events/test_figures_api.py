"""The figures API and the exports (Excel, CSV) across roles."""

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from jiedao.audit.models import AuditEntry

from .conftest import HOME_GRID
from .figures_scenario import march_events  # noqa: F401 - the "march" fixture

URL = "/api/events/figures/"
MARCH_QUERY = {"since": "2022-03-01", "until": "2022-03-31"}


@pytest.mark.parametrize(
    ("role", "status", "collected"),
    [
        ("dispatcher", 200, 6),
        ("supervisor", 200, 6),
        ("administrator", 200, 6),
        ("grid_lead", 200, 4),
        ("grid_worker", 200, 4),
        ("department_handler", 200, 3),
        ("enforcement_officer", 200, 0),
        ("resident", 403, None),
        ("social_organisation", 403, None),
    ],
)
def test_figures_api_across_roles(
    march: Any, client_for: Any, role: str, status: int, collected: int | None
) -> None:
    # given the March events; when each role asks for the figures by grid
    audit_before = AuditEntry.objects.count()
    response = client_for(role).get(URL, {**MARCH_QUERY, "by": "grid"})

    # then each sees its scope, and a refused request changes nothing
    assert response.status_code == status
    if collected is None:
        assert response.json()["error"]["code"] == "forbidden"
    else:
        assert response.json()["total"]["collected"] == collected
    assert AuditEntry.objects.count() == audit_before


def test_figures_api_grid_worker_gets_only_their_grid(march: Any, client_for: Any) -> None:
    response = client_for("grid_worker").get(URL, {**MARCH_QUERY, "by": "grid"})
    body = response.json()
    assert [(row["key"], row["collected"], row["closure_rate"]) for row in body["rows"]] == [
        (HOME_GRID, 4, 1.0)
    ]


def test_figures_api_needs_sign_in(march: Any, client: Any) -> None:
    assert client.get(URL, MARCH_QUERY).status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"since": "2022-3-1x", "until": "2022-03-31"}, "since"),
        ({"since": "2022-03-31", "until": "2022-03-01"}, "until"),
        ({**MARCH_QUERY, "by": "street"}, "by"),
    ],
)
def test_figures_api_bad_input(
    march: Any, client_for: Any, query: dict[str, str], field: str
) -> None:
    response = client_for("dispatcher").get(URL, query)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_ranking_api(march: Any, client_for: Any) -> None:
    response = client_for("supervisor").get(URL + "ranking", {"month": "2022-03"})
    body = response.json()
    assert response.status_code == 200
    assert [(row["rank"], row["key"], row["on_time_rate"]) for row in body["departments"]] == [
        (1, "city-management", 0.3333)
    ]
    assert [(row["rank"], row["key"]) for row in body["grids"]] == [
        (1, HOME_GRID),
        (2, "330109012003002"),
    ]


def test_figures_api_names_the_end_date_before_the_start_date(march: Any, client_for: Any) -> None:
    response = client_for("dispatcher").get(URL, {"since": "2022-03-31", "until": "2022-03-01"})
    assert (response.status_code, response.json()["error"]["message"]) == (
        422,
        "结束日期（2022-03-01）早于开始日期（2022-03-31）。",
    )


def test_figures_api_names_the_dates_by_their_labels_all_at_once(
    march: Any, client_for: Any
) -> None:
    response = client_for("dispatcher").get(URL, {"since": "2022-3-1x", "until": "2022-02-30"})
    error = response.json()["error"]
    assert (response.status_code, error["field"], error["message"]) == (
        422,
        "since",
        "开始日期 应为形如 2022-06-30 的日期，而不是“2022-3-1x”。",
    )
    assert error["extra"]["errors"] == [
        {
            "code": "invalid",
            "field": "since",
            "message": "开始日期 应为形如 2022-06-30 的日期，而不是“2022-3-1x”。",
        },
        {
            "code": "invalid",
            "field": "until",
            "message": "结束日期 应为形如 2022-06-30 的日期，而不是“2022-02-30”。",
        },
    ]


def test_ranking_api_names_the_month_by_its_label(march: Any, client_for: Any) -> None:
    response = client_for("supervisor").get(URL + "ranking", {"month": "2022-13"})
    assert (response.status_code, response.json()["error"]["message"]) == (
        422,
        "月份 应为形如 2022-05 的月份，而不是“2022-13”。",
    )


def test_ranking_api_says_which_period_it_covers(march: Any, client_for: Any) -> None:
    body = client_for("supervisor").get(URL + "ranking", {"month": "2022-02"}).json()
    assert (body["month"], body["since"], body["until"]) == ("2022-02", "2022-02-01", "2022-02-28")


def test_ranking_api_refuses_residents(march: Any, client_for: Any) -> None:
    assert client_for("resident").get(URL + "ranking", {"month": "2022-03"}).status_code == 403


def test_xlsx_export_has_labels_values_and_percentages(march: Any, client_for: Any) -> None:
    # when the dispatcher downloads the figures by community
    response = client_for("dispatcher").get(URL + "export.xlsx", {**MARCH_QUERY, "by": "community"})

    # then the workbook has a title, a header row, one row per community and a total
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "event-figures-community-20220301-20220331.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    header = [cell.value for cell in sheet[2]]
    assert header[:4] == ["社区", "编码", "采集数", "派遣数"]
    closure = header.index("结案率")
    assert [cell.value for cell in sheet[3]][:3] == ["三江社区", "330109012001", 4]
    assert sheet.cell(row=3, column=closure + 1).value == 1.0
    assert sheet.cell(row=3, column=closure + 1).number_format == "0.0%"
    total = [cell.value for cell in sheet[5]]
    assert total[0] == "合计"
    assert total[2] == 6
    assert total[closure] == 0.75
    assert sheet.max_row == 5


def test_csv_export_is_utf8_with_bom(march: Any, client_for: Any) -> None:
    response = client_for("grid_lead").get(URL + "export.csv", {**MARCH_QUERY, "by": "source"})
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["来源", "编码", "采集数", "派遣数"]
    closure = rows[0].index("结案率")
    assert [row[1] for row in rows[1:]] == ["grid_patrol", "hotline_12345", "resident", ""]
    assert rows[1][2] == "2"
    assert rows[1][closure] == "100.0%"
    assert rows[2][closure] == ""  # nothing due yet: no rate, not 0%


def test_exports_refuse_residents(march: Any, client_for: Any) -> None:
    client = client_for("resident")
    assert client.get(URL + "export.xlsx", MARCH_QUERY).status_code == 403
    assert client.get(URL + "export.csv", MARCH_QUERY).status_code == 403
