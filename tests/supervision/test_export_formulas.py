"""The disclosure workbook writes a lead unit's progress text as text, never as a formula."""

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from jiedao.accounts.permissions import SYSTEM
from jiedao.supervision.exporters import disclosure_table, export_xlsx
from jiedao.supervision.exporters.table import DisclosureRow, DisclosureTable
from jiedao.supervision.services import progress_report_create

pytestmark = pytest.mark.django_db
HYPERLINK = '=HYPERLINK("http://evil.example/","详情")'


def cells_of_row(sheet: Any, row: int) -> list[tuple[str, Any]]:
    return [(cell.data_type, cell.value) for cell in sheet[row]]


def test_progress_text_starting_with_a_formula_is_exported_as_text(
    users: Any, demo_plan: Any
) -> None:
    # given the lead unit of task 5 reporting its Q4 progress as a formula
    q4 = demo_plan.periods.get(number=4)
    progress_report_create(
        actor=users["department_handler"],
        task=demo_plan.tasks.get(sequence=5),
        period=q4,
        text=HYPERLINK,
    )

    # when the Q4 disclosure workbook is exported
    data = export_xlsx(disclosure_table(user=SYSTEM, plan=demo_plan, period=q4))

    # then the progress cell is the quoted text and the sequence is still a number
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    task_5 = next(row for row in sheet.iter_rows(min_row=6) if row[0].value == 5)
    assert (task_5[0].data_type, task_5[0].value) == ("n", 5)
    assert (task_5[-1].data_type, task_5[-1].value) == ("s", "'" + HYPERLINK)


def test_every_typed_cell_of_the_disclosure_table_is_neutralised() -> None:
    table = DisclosureTable(
        title="=1+1",
        index_number="@A1",
        written_on="2023-11-03",
        issuing_body="+街道",
        topic="-政务公开",
        published="2023-11-03 17:11",
        has_sections=True,
        rows=[
            DisclosureRow(
                sequence=7,
                section="\t=1",
                section_span=1,
                category="\r=2",
                content="=CMD()",
                progress="按期完成",
            )
        ],
    )

    sheet = load_workbook(io.BytesIO(export_xlsx(table))).active

    assert sheet is not None
    assert cells_of_row(sheet, 1) == [
        ("s", "索 引 号"), ("s", "'@A1"), ("s", "成文日期"), ("s", "2023-11-03"), ("n", None),
    ]  # fmt: skip
    assert cells_of_row(sheet, 2)[:4] == [
        ("s", "发布机构"), ("s", "'+街道"), ("s", "主题分类"), ("s", "'-政务公开"),
    ]  # fmt: skip
    assert sheet.cell(3, 1).value == "'=1+1"
    assert cells_of_row(sheet, 6) == [
        ("n", 7), ("s", "'\t=1"), ("s", "'\r=2"), ("s", "'=CMD()"), ("s", "按期完成"),
    ]  # fmt: skip
