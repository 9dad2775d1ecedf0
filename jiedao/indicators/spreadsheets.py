"""The indicators' Excel files: reading a lead department's upload into rows for
:func:`jiedao.indicators.services.values_upload`, and writing the table of a period.

The upload's first row names the columns (指标, 期间, 数值, 目标, 同比, in any order, Chinese or
English); cells are only read here, whether a value is right is the service's question.
"""

import io
import zipfile
from typing import Any

import openpyxl
from django.utils.translation import gettext_lazy as _
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from jiedao.core.errors import InvalidInput
from jiedao.core.spreadsheet import safe_cell

from .selectors import Row, change_note

MAX_BYTES = 5 * 1024 * 1024
COLUMNS = {
    "指标": "indicator",
    "指标名称": "indicator",
    "indicator": "indicator",
    "期间": "period",
    "统计期": "period",
    "period": "period",
    "数值": "value",
    "本期值": "value",
    "value": "value",
    "目标": "target",
    "目标值": "target",
    "target": "target",
    "同比": "stated_change",
    "同比(%)": "stated_change",
    "同比增长(%)": "stated_change",
    "stated_change": "stated_change",
}
REQUIRED = (("指标", "indicator"), ("期间", "period"))
EXPORT_HEADERS = (
    "指标",
    "单位",
    "责任部门",
    "期间",
    "数值",
    "目标",
    "完成率(%)",
    "同比",
    "同比说明",
)


def _text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return str(value).strip()


def parse_values(name: str, content: bytes) -> list[tuple[int, dict[str, Any]]]:
    """(row number as the spreadsheet shows it, fields) for every non-empty row."""
    if len(content) > MAX_BYTES:
        raise InvalidInput(_("File: larger than 5 MB."), code="too_large", field="file")
    if not name.lower().endswith(".xlsx"):
        raise InvalidInput(
            _("File: upload an Excel workbook (.xlsx)."), code="bad_file", field="file"
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise InvalidInput(
            _("File: not a readable Excel workbook."), code="bad_file", field="file"
        ) from None
    table = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    if not table:
        raise InvalidInput(_("The file has no rows of values."), code="empty", field="file")
    columns: dict[int, str] = {}
    for index, title in enumerate(table[0]):
        title = _text(title).replace("（", "(").replace("）", ")")
        field = COLUMNS.get(title) or COLUMNS.get(title.lower())
        if field:
            columns[index] = field
    missing = [title for title, field in REQUIRED if field not in columns.values()]
    if missing:
        raise InvalidInput(
            _("File: the first row must name the columns; missing: %(columns)s.")
            % {"columns": "、".join(missing)},
            code="missing_columns",
            field="file",
        )
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, cells in enumerate(table[1:], start=2):
        if all(_text(cell) == "" for cell in cells):
            continue
        rows.append(
            (
                number,
                {
                    field: _text(cells[index] if index < len(cells) else None)
                    for index, field in columns.items()
                },
            )
        )
    return rows


def export_table(rows: list[Row]) -> bytes:
    """The table of a period as a workbook, values in each indicator's display unit."""
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "指标"
    for column, title in enumerate(EXPORT_HEADERS, start=1):
        sheet.cell(1, column, title).font = Font(bold=True)
    for offset, row in enumerate(rows, start=2):
        change = row.change
        note = ""
        if change is not None:
            note = str(change_note(row))
        values = [
            row.indicator.name,
            row.indicator.display_unit,
            row.indicator.department.name,
            row.period.label,
            None if row.shown_value is None else float(row.shown_value),
            None if row.shown_target is None else float(row.shown_target),
            None if row.completion is None else float(row.completion),
            None if change is None else f"{change.amount:+}{change.unit}",
            note,
        ]
        for column, value in enumerate(values, start=1):
            sheet.cell(offset, column, safe_cell(value))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """An empty upload with the column titles, for a department to fill in."""
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    for column, title in enumerate(("指标", "期间", "数值", "目标", "同比(%)"), start=1):
        sheet.cell(1, column, title).font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
