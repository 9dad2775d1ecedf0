"""The public list of penalty decisions (双公示) as CSV and as a workbook (.xlsx), with the
page's filters: the published fields only, columns labelled in the reader's language, every
text cell formula-safe (:mod:`jiedao.core.spreadsheet`). The CSV starts with a UTF-8 byte-order
mark so that Excel on Windows reads it as UTF-8."""

import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from jiedao.core.spreadsheet import safe_cell

from .models import Disclosure

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}

COLUMNS: tuple[tuple[Promise, Callable[[Disclosure], Any]], ...] = (
    (gettext_lazy("Name of the party"), lambda row: row.party_name),
    (gettext_lazy("Unified social credit code"), lambda row: row.credit_code),
    (gettext_lazy("Decision number"), lambda row: row.decision_number),
    (gettext_lazy("Type of violation"), lambda row: row.violation_type),
    (gettext_lazy("Facts of the violation"), lambda row: row.facts),
    (gettext_lazy("Legal basis of the penalty"), lambda row: row.basis),
    (gettext_lazy("Category of penalty"), lambda row: str(row.get_penalty_kind_display())),
    (gettext_lazy("Content of the penalty"), lambda row: row.penalty_content),
    (gettext_lazy("Fine (yuan)"), lambda row: row.fine),
    (gettext_lazy("Date of the decision"), lambda row: row.decided_on),
    (gettext_lazy("Penalty authority"), lambda row: row.authority),
    (gettext_lazy("Date of disclosure"), lambda row: row.published_on),
)


def header() -> list[str]:
    return [str(label) for label, _value in COLUMNS]


def rows(disclosures: list[Disclosure]) -> list[list[Any]]:
    return [[value(row) for _label, value in COLUMNS] for row in disclosures]


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(safe_cell(value))


def disclosures_csv(disclosures: list[Disclosure]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([safe_cell(label) for label in header()])
    for row in rows(disclosures):
        writer.writerow([_csv_value(value) for value in row])
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def disclosures_xlsx(disclosures: list[Disclosure]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has its sheet
    sheet.title = _("Penalty decisions")[:31]
    sheet.append([safe_cell(label) for label in header()])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(disclosures):
        sheet.append([safe_cell(value) for value in row])
    fine_column = len(COLUMNS) - 3
    for (cell,) in sheet.iter_rows(min_row=2, min_col=fine_column, max_col=fine_column):
        cell.number_format = "0.00"
    for column in (len(COLUMNS) - 2, len(COLUMNS)):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


WRITERS: dict[str, Callable[[list[Disclosure]], bytes]] = {
    "csv": disclosures_csv,
    "xlsx": disclosures_xlsx,
}


def export_filename(file_format: str, today: date) -> str:
    return f"penalty-disclosures-{today:%Y%m%d}.{file_format}"
