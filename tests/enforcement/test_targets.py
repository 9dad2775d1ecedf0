"""Registering targets one at a time and from a file: the credit code and ID number checked,
the location placed in its grid, the ID number masked, a wrong file imported not at all."""

import io

import openpyxl
import pytest

from jiedao.core.errors import InvalidInput
from jiedao.enforcement import selectors, services
from jiedao.enforcement.importers import parse_targets
from jiedao.enforcement.models import Target

from .conftest import HOME_GRID, business, state


def test_a_business_is_registered_in_the_grid_of_its_location(users, home_point):
    lat, lng = home_point
    target = services.target_create(
        actor=users["enforcement_officer"], lat=lat, lng=lng, **business()
    )

    target.refresh_from_db()
    assert (
        target.kind,
        target.name,
        target.credit_code,
        target.id_number,
        target.grid.code,
        target.risk_level,
        target.subdistrict.code,
    ) == (
        "business",
        "杭州萧山闻堰测试餐饮店",
        "91330109MA2B3C4D5Q",
        "",
        HOME_GRID,
        "low",
        "330109012",
    )


def test_a_person_is_shown_with_the_id_number_masked(users):
    target = services.target_create(
        actor=users["enforcement_officer"],
        kind="person",
        name="赵测试",
        id_number="11010519491231002x",
        trade="流动摊贩",
    )

    assert (target.id_number, selectors.target_identifier(target)) == (
        "11010519491231002X",
        "110105********002X",
    )


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        (
            business(credit_code="91330109MA2B3C4D5R"),
            "统一社会信用代码：校验码（最后一位）不正确，请核对。",
            "credit_code",
        ),
        (business(credit_code="9133010"), "统一社会信用代码应为 18 位。", "credit_code"),
        (business(credit_code=""), "统一社会信用代码 为必填项。", "credit_code"),
        (business(name="  "), "名称 为必填项。", "name"),
        (business(risk_level="extreme"), "风险等级须为低、中或高。", "risk_level"),
        (business(lat=30.1), "纬度：经度和纬度须同时填写或同时不填。", "lat"),
        (business(lat=31.0, lng=121.0), None, "lat"),
        (
            {"kind": "person", "name": "赵测试", "id_number": "110105194912310021"},
            "身份证号：校验码（最后一位）不正确，请核对。",
            "id_number",
        ),
    ],
)
def test_bad_input_names_the_field_by_its_label_and_writes_nothing(users, fields, message, field):
    before = state()

    with pytest.raises(InvalidInput) as error:
        services.target_create(actor=users["enforcement_officer"], **fields)

    assert error.value.field == field
    if message is not None:
        assert str(error.value.message) == message
    else:
        assert str(error.value.message).startswith("纬度：")
    assert state() == before


def test_a_code_registered_already_is_refused(users):
    services.target_create(actor=users["enforcement_officer"], **business())
    before = state()

    with pytest.raises(InvalidInput) as error:
        services.target_create(actor=users["enforcement_officer"], **business(name="另一家"))

    assert str(error.value.message) == "统一社会信用代码：该代码的执法对象已登记。"
    assert state() == before


CSV_HEADER = "类型,名称,统一社会信用代码,身份证号,地址,行业,风险等级\n"


def test_a_csv_file_is_imported_whole(users):
    content = (
        CSV_HEADER
        + "企业,闻堰测试超市,91330109MA2B3C4D5Q,,闻兴路2号,食品销售,中\n"
        + "个人,钱测试,,11010519491231002X,,流动摊贩,低\n"
    ).encode()

    created = services.targets_import(
        actor=users["enforcement_officer"], rows=parse_targets("targets.csv", content)
    )

    assert [(t.kind, t.name, t.risk_level, t.trade) for t in created] == [
        ("business", "闻堰测试超市", "medium", "食品销售"),
        ("person", "钱测试", "low", "流动摊贩"),
    ]


def test_a_file_with_wrong_rows_imports_nothing_and_names_each_row_and_column(users):
    content = (
        CSV_HEADER
        + "企业,闻堰测试超市,91330109MA2B3C4D5Q,,闻兴路2号,食品销售,中\n"
        + "企业,闻堰测试药店,91330109MA2B3C4D5R,,闻兴路3号,药品零售,低\n"
        + "企业,闻堰测试书店,91330109MA2B3C4D5Q,,闻兴路4号,文化,低\n"
        + "个人,,,11010519491231002X,,流动摊贩,低\n"
    ).encode("gb18030")
    before = state()

    with pytest.raises(InvalidInput) as error:
        services.targets_import(
            actor=users["enforcement_officer"], rows=parse_targets("targets.csv", content)
        )

    assert str(error.value.message) == (
        "第 3 行：统一社会信用代码：校验码（最后一位）不正确，请核对。（共 3 行有误，未导入任何数据。）"
    )
    assert error.value.extra["errors"] == [
        {
            "row": 3,
            "column": "统一社会信用代码",
            "message": "统一社会信用代码：校验码（最后一位）不正确，请核对。",
        },
        {"row": 4, "column": "统一社会信用代码", "message": "统一社会信用代码：与第 2 行重复。"},
        {"row": 5, "column": "名称", "message": "名称 为必填项。"},
    ]
    assert state() == before


def test_an_excel_workbook_is_read_like_a_csv_file(users, home_point):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["名称", "类型", "统一社会信用代码", "纬度", "经度", "风险等级"])
    sheet.append(["闻堰测试宾馆", "企业", "91330109MA2B3C4D5Q", home_point[0], home_point[1], "高"])
    sheet.append(["闻堰测试旅店", "企业", "923301090000000008", "三十度", None, "低"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = state()

    with pytest.raises(InvalidInput) as error:
        services.targets_import(
            actor=users["enforcement_officer"], rows=parse_targets("t.xlsx", buffer.getvalue())
        )

    assert error.value.extra["errors"] == [
        {"row": 3, "column": "纬度", "message": "纬度 必须是数字。"}
    ]
    assert state() == before
    assert Target.objects.filter(name="闻堰测试宾馆").count() == 0
