"""The dashboard page: scope per role, the HTMX period swap, downloads, query counts."""

import csv
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from .figures_scenario import march_events  # noqa: F401 - the "march" fixture

URL = "/events/dashboard/"
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
        ("resident", 403, None),
        ("social_organisation", 403, None),
    ],
)
def test_dashboard_across_roles(
    march: Any, client_for: Any, role: str, status: int, collected: int | None
) -> None:
    response = client_for(role).get(URL, MARCH_QUERY)
    assert response.status_code == status
    if collected is not None:
        assert response.context["total"].collected == collected
        assert f'data-kpi="collected">{collected}<' in response.content.decode()


def test_dashboard_shows_kpis_charts_and_rankings(march: Any, client_for: Any) -> None:
    response = client_for("supervisor").get(URL, MARCH_QUERY)
    html = response.content.decode()
    assert 'data-kpi="closure_rate">75%<' in html
    assert 'data-kpi="on_time_rate">50%<' in html
    assert "vendor/echarts/echarts.min.js" in html
    assert "events/dashboard.js" in html
    charts = response.context["charts"]
    assert charts["trend"]["labels"] == ["2022-03"]
    assert charts["trend"]["collected"] == [6]
    assert charts["categories"]["labels"] == ["暴露垃圾", "违章停车"]
    assert sorted(charts["sources"]["collected"]) == [1, 1, 4]
    assert [(item.rank, item.row.key) for item in response.context["departments"]] == [
        (1, "city-management")
    ]
    assert '<table class="data" id="department-ranking">' in html


def test_dashboard_htmx_request_gets_the_body_only(march: Any, client_for: Any) -> None:
    response = client_for("dispatcher").get(URL, MARCH_QUERY, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'data-kpi="collected">6<' in html


def period_errors(html: str, name: str) -> list[str]:
    """The messages beside the period's date ``name`` (since or until)."""
    match = re.search(
        rf'<div class="period-field[^"]*">\s*<label>[^<]*<input type="date" name="{name}".*?</div>',
        html,
        re.DOTALL,
    )
    assert match, f"no period field {name}"
    return re.findall(
        r'<p class="field-error" role="alert" id="error-\w+">(.*?)</p>', match.group(0)
    )


def test_dashboard_bad_period_is_a_clear_error(march: Any, client_for: Any) -> None:
    response = client_for("dispatcher").get(URL, {"since": "2022-03-31", "until": "2022-03-01"})
    html = response.content.decode()
    assert response.status_code == 422
    # On the dashboard itself, beside the end date, with what was typed.
    assert period_errors(html, "since") == []
    assert period_errors(html, "until") == ["结束日期（2022-03-01）早于开始日期（2022-03-31）。"]
    assert '<input type="date" name="since" value="2022-03-31" required>' in html
    assert (
        '<input type="date" name="until" value="2022-03-01" required aria-invalid="true" '
        'aria-describedby="error-until">'
    ) in html
    assert "未显示统计数据：请更正上方标出的日期后再次查询。" in html
    assert "data-kpi" not in html
    assert "422" not in re.sub(r"<[^>]*>", " ", html)


def test_dashboard_names_each_bad_date_by_its_label_at_once(march: Any, client_for: Any) -> None:
    response = client_for("dispatcher").get(URL, {"since": "2022-3-1x", "until": "2022-02-30"})
    html = response.content.decode()
    assert response.status_code == 422
    assert period_errors(html, "since") == [
        "开始日期 应为形如 2022-06-30 的日期，而不是“2022-3-1x”。"
    ]
    assert period_errors(html, "until") == [
        "结束日期 应为形如 2022-06-30 的日期，而不是“2022-02-30”。"
    ]
    assert '<input type="date" name="since" value="2022-3-1x" required aria-invalid="true"' in html


def test_dashboard_htmx_refusal_keeps_the_form_and_the_message(march: Any, client_for: Any) -> None:
    # HTMX swaps in only what succeeds (2xx): the refusal is 200, the form sent out of band.
    response = client_for("dispatcher").get(
        URL, {"since": "x", "until": "2022-03-31"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="dashboard-refused"' in html
    assert 'id="dashboard-period"' in html
    assert 'hx-swap-oob="true"' in html
    assert period_errors(html, "since") == ["开始日期 应为形如 2022-06-30 的日期，而不是“x”。"]


def test_dashboard_htmx_answer_sends_the_corrected_form_without_messages(
    march: Any, client_for: Any
) -> None:
    response = client_for("dispatcher").get(URL, MARCH_QUERY, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-swap-oob="true"' in html
    assert '<input type="date" name="since" value="2022-03-01" required>' in html
    assert "field-error" not in html


@pytest.mark.parametrize(
    ("query", "period"),
    [
        (MARCH_QUERY, "2022-03-01 至 2022-03-31"),
        # The rankings cover the whole month the period ends in, and say so.
        ({"since": "2022-01-01", "until": "2022-02-15"}, "2022-02-01 至 2022-02-28"),
    ],
)
def test_dashboard_rankings_say_which_period_they_cover(
    march: Any, client_for: Any, query: dict[str, str], period: str
) -> None:
    html = client_for("supervisor").get(URL, query).content.decode()
    headings = re.findall(r'<h2 class="card-title">(.*?排名.*?)</h2>', html)
    assert headings == [f"部门排名（{period}）", f"网格排名（{period}）"]


def test_dashboard_period_fields_are_labelled_as_the_message_names_them(
    march: Any, client_for: Any
) -> None:
    html = client_for("supervisor").get(URL, MARCH_QUERY).content.decode()
    assert re.findall(r'<label>(\S+) <input type="date" name="(since|until)"', html) == [
        ("开始日期", "since"),
        ("结束日期", "until"),
    ]


def test_dashboard_query_count(march: Any, client_for: Any) -> None:
    # given a signed-in supervisor; the page is a fixed number of aggregate queries
    client = client_for("supervisor")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, MARCH_QUERY)
    assert response.status_code == 200
    # session and user; one aggregate each for months, sources, categories, the department
    # and the grid ranking; the session's expiry refresh (savepoint, update, release); the
    # unread notifications of the navigation's badge
    assert len(queries) == 11


def test_dashboard_downloads(march: Any, client_for: Any) -> None:
    client = client_for("grid_worker")
    workbook = client.get(URL + "export.xlsx", {**MARCH_QUERY, "by": "grid"})
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    assert [cell.value for cell in sheet[3]][:3] == [
        sheet.cell(row=3, column=1).value,
        "330109012001001",
        4,
    ]
    assert sheet.max_row == 4
    text = client.get(URL + "export.csv", {**MARCH_QUERY, "by": "month"}).content
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert [row[:3] for row in rows[1:]] == [["2022-03", "2022-03", "4"], ["合计", "", "4"]]


def test_dashboard_downloads_refuse_residents(march: Any, client_for: Any) -> None:
    assert client_for("resident").get(URL + "export.csv", MARCH_QUERY).status_code == 403


def test_navigation_links_the_dashboard_for_staff_only(march: Any, client_for: Any) -> None:
    assert URL in client_for("supervisor").get("/").content.decode()
    assert URL not in client_for("resident").get("/").content.decode()
