"""The disclosure table's files as offices expect them: A4 Word, numeric 序号 in Excel."""

import io
from typing import Any

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.shared import Mm
from openpyxl import load_workbook

from jiedao.accounts.permissions import SYSTEM
from jiedao.supervision.exporters import disclosure_table, export_docx, export_xlsx
from jiedao.supervision.exporters.table import DisclosureRow, DisclosureTable

pytestmark = pytest.mark.django_db

# A4, 210 mm × 297 mm, as Word stores it: in twentieths of a point.
A4_TWIPS = (11906, 16838)


def q3_table(plan: Any) -> DisclosureTable:
    return disclosure_table(user=SYSTEM, plan=plan, period=plan.periods.get(number=3))


def flat_table() -> DisclosureTable:
    return DisclosureTable(
        title="测试街道2024年重点任务第一季度执行情况",
        index_number="H1/2024-1",
        written_on="2024-04-10",
        issuing_body="测试街道",
        topic="政务公开",
        published="2024-04-10 09:00",
        has_sections=False,
        rows=[DisclosureRow(1, "", 1, "招商引资", "新增企业5家。", "已新增2家。")],
    )


def test_word_export_is_a4_portrait_and_the_table_fits_between_the_margins(demo_plan: Any) -> None:
    for table in (q3_table(demo_plan), flat_table()):
        document = docx.Document(io.BytesIO(export_docx(table)))
        section = document.sections[0]
        assert (section.page_width.twips, section.page_height.twips) == A4_TWIPS
        assert (Mm(210).twips, Mm(297).twips) == A4_TWIPS
        assert section.orientation == WD_ORIENT.PORTRAIT
        assert (section.left_margin.twips, section.right_margin.twips) == (1020, 1020)
        # 17.4 cm of columns between the margins of 21 cm
        widths = [cell.width.twips for cell in document.tables[-1].rows[1].cells]
        assert sum(widths) == 9864
        assert sum(widths) <= A4_TWIPS[0] - 2 * 1020


def test_excel_sequence_cells_are_numbers(demo_plan: Any) -> None:
    sheet = load_workbook(io.BytesIO(export_xlsx(q3_table(demo_plan)))).active
    assert sheet is not None
    assert (sheet.cell(5, 1).data_type, sheet.cell(5, 1).value) == ("s", "序号")
    numbers = [(cell.data_type, cell.value) for (cell,) in sheet.iter_rows(min_row=6, max_col=1)]
    assert numbers == [("n", number) for number in range(1, 20)]
    assert all(type(value) is int for _type, value in numbers)
