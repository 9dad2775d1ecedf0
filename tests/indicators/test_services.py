"""Entering values: display units into base units, the same period again as an audited change,
every problem of a submission at once in Chinese naming the field, and the Excel upload that
writes all of its rows or none."""

import io
from decimal import Decimal

import openpyxl
import pytest

from jiedao.accounts.permissions import SYSTEM
from jiedao.audit.models import AuditEntry
from jiedao.core.errors import InvalidInput, NotFound
from jiedao.geo.models import Department
from jiedao.indicators import services
from jiedao.indicators.models import Indicator, Value
from jiedao.indicators.spreadsheets import parse_values

from .conftest import state


def test_the_lead_department_enters_a_value_in_its_display_unit(users, catalogue):
    dredging = catalogue["river-dredging"]

    value = services.value_enter(
        actor=users["department_handler"],
        indicator_id=dredging.pk,
        period="2023年上半年",
        value="1.35",
        target="1.2",
    )

    value.refresh_from_db()
    assert (
        value.year,
        value.period_kind,
        value.number,
        value.value,
        value.target,
        value.source,
    ) == (
        2023,
        "half",
        1,
        Decimal("13500.0000"),
        Decimal("12000.0000"),
        "form",
    )
    entry = AuditEntry.objects.get(action="indicators.value.create", target_id=str(value.pk))
    assert (entry.actor_id, entry.after["value"]) == (users["department_handler"].pk, "13500.0000")


def test_the_same_period_again_changes_the_row_and_audits_before_and_after(users, catalogue):
    dredging = catalogue["river-dredging"]
    handler = users["department_handler"]
    first = services.value_enter(
        actor=handler, indicator_id=dredging.pk, period="2023-H1", value="1.35", target="1.2"
    )

    second = services.value_enter(
        actor=handler, indicator_id=dredging.pk, period="2023年上半年", value="1.5"
    )

    second.refresh_from_db()
    assert (second.pk, second.value, second.target) == (
        first.pk,
        Decimal("15000.0000"),
        Decimal("12000.0000"),
    )
    entry = AuditEntry.objects.get(action="indicators.value.update", target_id=str(first.pk))
    assert (entry.before["value"], entry.after["value"]) == ("13500.0000", "15000.0000")


def test_entering_the_same_value_again_writes_nothing(users, catalogue):
    handler = users["department_handler"]
    dredging = catalogue["river-dredging"]
    services.value_enter(actor=handler, indicator_id=dredging.pk, period="2023-H1", value="1.35")
    before = state()

    services.value_enter(actor=handler, indicator_id=dredging.pk, period="2023-H1", value="1.35")

    assert state() == before


def test_every_problem_of_a_submission_is_reported_at_once(users, catalogue):
    before = state()

    with pytest.raises(InvalidInput) as refused:
        services.value_enter(
            actor=users["department_handler"],
            indicator_id=catalogue["river-dredging"].pk,
            period="明年上半年",
            value="一点五",
            target="1..2",
        )

    assert [(error.field, str(error.message)) for error in refused.value.errors] == [
        ("period", "期间必须是月、季度、半年或年度，例如 2022年上半年 或 2022-H1。"),
        ("value", "数值必须是数字，例如 15.3。"),
        ("target", "目标必须是数字，例如 15.3。"),
    ]
    assert state() == before


def test_a_count_takes_whole_numbers_only(users, catalogue):
    before = state()

    with pytest.raises(InvalidInput) as refused:
        services.value_enter(
            actor=users["enforcement_officer"],
            indicator_id=catalogue["cases-opened"].pk,
            period="2023年6月",
            value="2.5",
        )

    assert str(refused.value.message) == "计数指标的数值必须是非负整数（件）。"
    assert state() == before


def test_an_empty_submission_asks_for_a_value_or_a_target(users, catalogue):
    with pytest.raises(InvalidInput) as refused:
        services.value_enter(
            actor=users["enforcement_officer"],
            indicator_id=catalogue["cases-opened"].pk,
            period="2023年6月",
            value="",
        )

    assert str(refused.value.message) == "数值为必填项：请填写数值、目标或两者。"


def test_another_departments_indicator_is_not_found(users, catalogue):
    before = state()

    with pytest.raises(NotFound):
        services.value_enter(
            actor=users["department_handler"],
            indicator_id=catalogue["cases-opened"].pk,
            period="2023年6月",
            value="3",
        )

    assert state() == before


def workbook(*rows: tuple[object, ...]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_excel_upload_enters_every_row(users, catalogue):
    content = workbook(
        ("指标", "期间", "数值", "目标", "同比(%)"),
        ("立案", "2023年1月", 4, None, None),
        ("立案", "2023年2月", 6, 5, "12.5"),
        ("综合查一次行动", "2023年第一季度", 30, 28, None),
    )

    values = services.values_upload(
        actor=users["enforcement_officer"], rows=parse_values("values.xlsx", content)
    )

    assert [
        (v.indicator.code, v.period.code, v.value, v.target, v.stated_change) for v in values
    ] == [
        ("cases-opened", "2023-M01", Decimal("4.0000"), None, None),
        ("cases-opened", "2023-M02", Decimal("6.0000"), Decimal("5.0000"), Decimal("12.5")),
        ("joint-inspections", "2023-Q1", Decimal("30.0000"), Decimal("28.0000"), None),
    ]
    assert [v.source for v in values] == ["upload"] * 3


def test_an_excel_upload_with_bad_rows_writes_nothing_and_lists_each(users, catalogue):
    content = workbook(
        ("指标", "期间", "数值", "目标"),
        ("立案", "2023年1月", 4, None),
        ("网格采集事件", "2023年1月", 300, None),
        ("立案", "2023年13月", "x", None),
        ("立案", "2023年1月", 5, None),
    )
    before = state()

    with pytest.raises(InvalidInput) as refused:
        services.values_upload(
            actor=users["enforcement_officer"], rows=parse_values("values.xlsx", content)
        )

    assert str(refused.value.message) == (
        "第 3 行：指标“网格采集事件”不是本部门填报的指标。（共 3 行有误，未填报任何数据。）"
    )
    assert refused.value.extra["errors"] == [
        {"row": 3, "column": "指标", "message": "指标“网格采集事件”不是本部门填报的指标。"},
        {
            "row": 4,
            "column": "期间",
            "message": "期间必须是月、季度、半年或年度，例如 2022年上半年 或 2022-H1。",
        },
        {"row": 4, "column": "数值", "message": "数值必须是数字，例如 15.3。"},
        {"row": 5, "column": "期间", "message": "立案 2023年1月：与第 2 行重复。"},
    ]
    assert state() == before


def test_an_upload_that_names_no_columns_is_refused(users):
    with pytest.raises(InvalidInput) as refused:
        parse_values("values.xlsx", workbook(("名称", "数"), ("立案", 4)))

    assert str(refused.value.message) == "文件：第一行必须是列名；缺少：指标、期间。"


def test_a_catalogue_entry_is_checked_field_by_field(wenyan_demo):
    economy = Department.objects.get(code="economy")
    before = state()

    with pytest.raises(InvalidInput) as refused:
        services.indicator_create(
            actor=SYSTEM,
            subdistrict=economy.subdistrict,
            code="exports",
            name="出口总额",
            kind="amount",
            unit="元",
            display_unit="美元",
            aggregation="ratio",
            department=economy,
        )

    assert [str(error.message) for error in refused.value.errors] == [
        "显示单位必须是在单位前加万、亿、千或百，例如亿元。",
        "汇总方式：只有比率才能按分子分母求和相除。",
        "分子分母求和相除时必须填写分子：请选择一个指标。",
        "分子分母求和相除时必须填写分母：请选择一个指标。",
    ]
    assert state() == before


def test_the_demo_catalogue_has_its_rate_as_a_ratio_of_two_counts(catalogue):
    rate = catalogue["closure-rate"]

    assert (rate.kind, rate.unit, rate.numerator.code, rate.denominator.code) == (
        Indicator.Kind.RATE,
        "%",
        "closed-events",
        "dispatched-events",
    )
    assert Value.objects.filter(indicator=rate, year=2022).values_list("target", flat=True)[
        0
    ] == Decimal("98.0000")
