"""Excel (.xlsx) sheets, including merged cells, read with openpyxl."""

import io
import zipfile
from datetime import date, datetime
from typing import Any

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.utils.exceptions import InvalidFileException

from jiedao.core.errors import InvalidInput

from .parsed import ParsedPlan
from .table import build_from_grid, is_header


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sheet_grid(sheet: Any) -> list[list[str]]:
    """The sheet's rows with each merged range's value copied into every cell it covers."""
    grid = [[_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    for merged in sheet.merged_cells.ranges:
        value = _text(sheet.cell(merged.min_row, merged.min_col).value)
        for row in range(merged.min_row, merged.max_row + 1):
            for column in range(merged.min_col, merged.max_col + 1):
                if row - 1 < len(grid) and column - 1 < len(grid[row - 1]):
                    grid[row - 1][column - 1] = value
    return grid


def read_xlsx(data: bytes) -> ParsedPlan:
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InvalidInput(
            _("The file is not a readable Excel workbook (.xlsx): %(error)s") % {"error": error},
            code="corrupt_file",
            field="file",
        ) from None
    plan = ParsedPlan(source_format="xlsx")
    for sheet in workbook.worksheets:
        grid = sheet_grid(sheet)
        if any(is_header(row) for row in grid):
            return build_from_grid(grid, plan=plan, source="Excel")
    return build_from_grid([], plan=plan, source=_("Excel workbook"))
