"""Reading a 12345 file: CSV (UTF-8, with or without a byte-order mark, or GB 18030 as Excel
saves it on Chinese Windows) or .xlsx (the first sheet), streamed row by row."""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from jiedao.core.errors import InvalidInput

from .columns import FIELDS, Mapping

Row = tuple[int, list[Any]]  # (row number in the file, its cells)


@dataclass(frozen=True)
class Table:
    positions: dict[str, int]  # field → column index
    rows: Iterator[Row]
    total: int  # data rows (for the progress bar)
    width: int  # columns of the header row


def _text_lines(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(
        _("The CSV file is neither UTF-8 nor GB 18030 text."), code="bad_file", field="file"
    )


def _csv_rows(content: bytes) -> tuple[Iterator[list[Any]], int]:
    """The rows, streamed (a million-row file is not held as lists), and how many there are
    (one cheap pass first, for the progress bar)."""
    text = _text_lines(content)
    total = sum(1 for row in csv.reader(io.StringIO(text)) if any(row))
    return csv.reader(io.StringIO(text)), total


def _xlsx_rows(content: bytes) -> tuple[Iterator[list[Any]], int]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise InvalidInput(
            _("The file is not a readable .xlsx workbook."), code="bad_file", field="file"
        ) from error
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    total = sum(1 for row in rows if any(cell not in (None, "") for cell in row))
    return iter(rows), total


def read_table(stream: IO[bytes], *, name: str, mapping: Mapping) -> Table:
    """The file's rows with the position of each field's column; a 422 on ``file`` when the
    format is unknown or a required column is missing."""
    content = stream.read()
    lowered = name.lower()
    if lowered.endswith(".xlsx"):
        rows, total = _xlsx_rows(content)
    elif lowered.endswith(".csv"):
        rows, total = _csv_rows(content)
    else:
        raise InvalidInput(
            _("Upload a .csv or .xlsx file, not “%(name)s”.") % {"name": name},
            code="bad_file",
            field="file",
        )
    first = next(rows, None)
    if first is None:
        raise InvalidInput(_("The file is empty."), code="bad_file", field="file")
    header = [str(cell).strip() if cell is not None else "" for cell in first]
    positions: dict[str, int] = {}
    for item in FIELDS:
        for candidate in mapping.columns[item.name]:
            if candidate in header:
                positions[item.name] = header.index(candidate)
                break
    missing = [
        mapping.label(item.name) for item in FIELDS if item.required and item.name not in positions
    ]
    if missing:
        raise InvalidInput(
            _("The file has no column %(columns)s (the header row is row 1).")
            % {"columns": "、".join(missing)},
            code="missing_columns",
            field="file",
        )
    if ("lng" in positions) != ("lat" in positions):
        raise InvalidInput(
            _("The file has only one of the columns 经度 and 纬度."),
            code="missing_columns",
            field="file",
        )
    if lowered.endswith(".csv"):
        # Every cell of a CSV row is text: a blank row is one whose cells are all empty.
        data: Iterator[Row] = (
            (number, row) for number, row in enumerate(rows, start=2) if any(row)
        )
    else:
        data = (
            (number, row)
            for number, row in enumerate(rows, start=2)
            if any(cell not in (None, "") for cell in row)
        )
    return Table(positions=positions, rows=data, total=total - 1, width=len(header))
