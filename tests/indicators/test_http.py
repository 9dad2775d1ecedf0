"""The indicators through HTTP: the API and the pages answer the same, lists run a constant
number of statements, the Excel export, and the OpenAPI document."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiedao.accounts.permissions import SYSTEM
from jiedao.geo.models import Department
from jiedao.indicators import services
from jiedao.indicators.models import Figure, Report
from jiedao.indicators.periods import PeriodKey

from .conftest import state
from .test_services import workbook


def count_statements(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def more_indicators(count: int) -> None:
    """``count`` more indicators in the catalogue, each with a 2022 H1 value and a target."""
    economy = Department.objects.get(code="economy")
    for number in range(count):
        indicator = services.indicator_create(
            actor=SYSTEM,
            subdistrict=economy.subdistrict,
            code=f"extra-{number}",
            name=f"附加指标{number}",
            kind="amount",
            unit="元",
            display_unit="万元",
            department=economy,
        )
        entry = services.entry_clean(
            indicator=indicator, period=PeriodKey(2022, "half", 1), value="12", target="10"
        )
        services.value_record(actor=SYSTEM, entry=entry, source="demo")


@pytest.mark.parametrize(
    ("url", "statements"),
    # A page counts one more than its API: the navigation's unread-notifications badge.
    [
        ("/api/indicators/table?period=2022-H1", 7),
        ("/api/indicators/", 6),
        ("/indicators/?period=2022-H1", 9),
        ("/api/indicators/figures", 7),
        ("/indicators/reports/", 7),
    ],
)
def test_lists_run_a_constant_number_of_statements(client_for, url, statements):
    client = client_for("supervisor")
    first = count_statements(client, url)

    more_indicators(3)

    assert (first, count_statements(client, url)) == (statements, statements)


def test_the_api_and_the_page_show_the_same_table(client_for, catalogue):
    client = client_for("supervisor")

    rows = client.get("/api/indicators/table?period=2022-H1").json()["rows"]
    page = client.get("/indicators/?period=2022-H1").content.decode()

    output = next(row for row in rows if row["indicator_id"] == catalogue["industrial-output"].pk)
    assert (output["value"], output["target"], output["completion_percent"]) == (
        "15.3",
        "15",
        "102.0",
    )
    assert 'data-indicator="industrial-output"' in page
    assert '<span class="good">102.0%</span>' in page


def test_a_lead_department_enters_through_the_api_in_its_display_unit(client_for, catalogue):
    client = client_for("department_handler")

    response = client.post(
        f"/api/indicators/{catalogue['river-dredging'].pk}/values",
        {"period": "2023年第一季度", "value": "0.8", "target": "1"},
        content_type="application/json",
    )

    assert (response.status_code, response.json()["value_base"], response.json()["period"]) == (
        201,
        "8000.0000",
        "2023-Q1",
    )


def test_a_refused_form_shows_each_problem_and_writes_nothing(client_for, catalogue):
    client = client_for("department_handler")
    before = state()

    response = client.post(
        f"/indicators/{catalogue['river-dredging'].pk}/values/",
        {"period": "2023年第五季度", "value": "很多", "target": ""},
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "期间必须是月、季度、半年或年度，例如 2022年上半年 或 2022-H1。" in page
    assert "数值必须是数字，例如 15.3。" in page
    assert state() == before


def test_the_api_refuses_with_the_same_messages(client_for, catalogue):
    client = client_for("department_handler")

    response = client.post(
        f"/api/indicators/{catalogue['river-dredging'].pk}/values",
        {"period": "2023年第五季度", "value": "1"},
        content_type="application/json",
    )

    assert (response.status_code, response.json()["error"]["field"]) == (422, "period")
    assert response.json()["error"]["message"] == (
        "期间必须是月、季度、半年或年度，例如 2022年上半年 或 2022-H1。"
    )


def test_the_excel_upload_page_lists_the_wrong_rows(client_for, catalogue):
    client = client_for("enforcement_officer")
    content = workbook(
        ("指标", "期间", "数值"), ("立案", "2023年1月", -1), ("立案", "2023年2月", 3)
    )
    before = state()

    response = client.post(
        "/indicators/upload/",
        {"file": SimpleUploadedFile("values.xlsx", content)},
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "<td>2</td><td>数值</td><td>计数指标的数值必须是非负整数（件）。</td>" in page
    assert state() == before


def test_the_excel_export_holds_the_table_in_display_units(client_for, catalogue):
    client = client_for("supervisor")

    response = client.get("/indicators/export/?period=2022-H1")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert [cell.value for cell in sheet[1]] == [
        "指标",
        "单位",
        "责任部门",
        "期间",
        "数值",
        "目标",
        "完成率(%)",
        "同比",
        "同比说明",
    ]
    assert rows["规上工业总产值"][1:4] == ("亿元", "经济发展办公室", "2022年上半年")
    assert rows["规上工业总产值"][5] == 15
    assert rows["事件办结率"][5] == 98


def test_the_api_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert sorted(path for path in paths if path.startswith("/api/indicators/")) == [
        "/api/indicators/",
        "/api/indicators/export",
        "/api/indicators/figures",
        "/api/indicators/figures/{figure_id}/confirm",
        "/api/indicators/figures/{figure_id}/reject",
        "/api/indicators/reports",
        "/api/indicators/reports/{report_id}",
        "/api/indicators/table",
        "/api/indicators/uploads",
        "/api/indicators/{indicator_id}",
        "/api/indicators/{indicator_id}/values",
    ]


def test_an_indicator_page_draws_its_chart_from_its_series(client_for, catalogue):
    client = client_for("supervisor")

    page = client.get(f"/indicators/{catalogue['industrial-output'].pk}/").content.decode()
    detail = client.get(f"/api/indicators/{catalogue['industrial-output'].pk}").json()

    assert 'id="indicator-chart"' in page
    assert "vendor/echarts/echarts.min.js" in page
    first = detail["series"]["rows"][0]
    assert (first["period"], first["value"], first["target"], first["is_synthetic"]) == (
        "2021-H1",
        "13.8",
        None,
        True,
    )


def test_stated_and_computed_changes_are_told_apart(client_for, catalogue):
    rows = {
        row["name"]: row
        for row in client_for("administrator")
        .get("/api/indicators/table?period=2022-H1")
        .json()["rows"]
    }

    assert rows["规上工业总产值"]["change"]["is_stated"] is False
    assert rows["规上工业总产值"]["change"]["is_synthetic"] is True
    assert rows["网格采集事件"]["change"] is None
    assert Decimal(rows["事件办结率"]["target"]) == Decimal(98)


def test_the_catalogue_grows_through_the_api_with_the_services_checks(client_for, catalogue):
    client = client_for("supervisor")
    economy = Department.objects.get(code="economy")
    body = {
        "code": "closed-share",
        "name": "办结占比",
        "kind": "rate",
        "unit": "%",
        "aggregation": "ratio",
        "numerator_id": catalogue["closed-events"].pk,
        "denominator_id": catalogue["dispatched-events"].pk,
        "department_id": economy.pk,
    }

    created = client.post("/api/indicators/", body, content_type="application/json")
    refused = client.post(
        "/api/indicators/", {**body, "code": "again"}, content_type="application/json"
    )
    denied = client_for("department_handler").post(
        "/api/indicators/", {**body, "code": "other"}, content_type="application/json"
    )

    assert (created.status_code, created.json()["display_unit"]) == (201, "%")
    assert (refused.status_code, refused.json()["error"]["message"]) == (
        422,
        "名称“办结占比”已被使用。",
    )
    assert denied.status_code == 403


def test_the_report_page_runs_a_constant_number_of_statements(client_for, catalogue):
    client = client_for("supervisor")
    report = Report.objects.get()
    urls = (f"/indicators/reports/{report.pk}/", f"/api/indicators/reports/{report.pk}")
    first = [count_statements(client, url) for url in urls]

    position = report.figures.count()
    for offset in range(1, 4):
        Figure.objects.create(
            report=report,
            position=position + offset,
            name=f"附加数据{offset}",
            value=offset,
            unit="件",
            sentence="附加。",
            start=0,
            end=1,
        )

    assert (first, [count_statements(client, url) for url in urls]) == ([10, 9], [10, 9])
