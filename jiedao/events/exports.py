"""The figures as a spreadsheet (.xlsx) and as CSV, with Chinese (or English) column labels.

Both come from :func:`jiedao.events.figures.event_figures`: one row per group and a total row.
Rates are fractions; the workbook formats them as percentages, the CSV writes "97.5%". The CSV
starts with a UTF-8 byte-order mark so that Excel on Windows opens it as UTF-8.
"""

import csv
import io
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from jiedao.core.spreadsheet import safe_cell, safe_row

from .figures import (
    COUNT_COLUMNS,
    GROUPING_LABELS,
    OTHER_COLUMNS,
    RATE_COLUMNS,
    FigureRow,
    Figures,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
RATE_NAMES = frozenset(name for name, _label in RATE_COLUMNS)


def columns() -> list[tuple[str, Any]]:
    return [*COUNT_COLUMNS, *RATE_COLUMNS, *OTHER_COLUMNS]


def header(figures: Figures) -> list[str]:
    return [
        str(GROUPING_LABELS[figures.by]),
        pgettext("figures", "Code"),
        *[str(label) for _name, label in columns()],
    ]


def _values(row: FigureRow) -> list[Any]:
    return [getattr(row, name) for name, _label in columns()]


def export_filename(figures: Figures, extension: str) -> str:
    return f"event-figures-{figures.by}-{figures.since:%Y%m%d}-{figures.until:%Y%m%d}.{extension}"


def figures_xlsx(figures: Figures) -> bytes:
    """The figures as an .xlsx workbook: a title line, the header row, the groups, the total."""
    workbook = Workbook()
    sheet = workbook.create_sheet(index=0)
    workbook.remove(workbook.worksheets[1])  # the empty default sheet
    sheet.title = _("Event figures")[:31]
    sheet.append(
        [
            _("Event figures %(since)s to %(until)s")
            % {"since": figures.since.isoformat(), "until": figures.until.isoformat()}
        ]
    )
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(safe_row(header(figures)))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in [*figures.rows, figures.total]:
        # Group labels are names people typed (departments, grids, categories).
        sheet.append(safe_row([row.label, row.key, *_values(row)]))
    sheet[sheet.max_row][0].font = Font(bold=True)
    for index, (name, _label) in enumerate(columns(), start=3):
        if name in RATE_NAMES:
            for (cell,) in sheet.iter_rows(
                min_row=3, max_row=sheet.max_row, min_col=index, max_col=index
            ):
                cell.number_format = "0.0%"
        elif name in {"mean_handling_hours", "satisfaction_mean"}:
            for (cell,) in sheet.iter_rows(
                min_row=3, max_row=sheet.max_row, min_col=index, max_col=index
            ):
                cell.number_format = "0.00"
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 18
    sheet.freeze_panes = "C3"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _csv_value(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name in RATE_NAMES:
        return f"{value * 100:.1f}%"
    return str(value)


def figures_csv(figures: Figures) -> bytes:
    """The figures as CSV: UTF-8 with a byte-order mark, the header row, groups, the total."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(safe_row(header(figures)))
    for row in [*figures.rows, figures.total]:
        # The figures are ours (a negative number stays a number); the labels are typed text.
        writer.writerow(
            [safe_cell(row.label), safe_cell(row.key)]
            + [_csv_value(name, getattr(row, name)) for name, _label in columns()]
        )
    return ("\ufeff" + text.getvalue()).encode("utf-8")
