"""The fund's statement for a period as an Excel workbook (openpyxl, formula-safe cells)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from jiedao.core.spreadsheet import safe_row

from .models import FundEntry
from .selectors import Statement

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def statement_xlsx(statement: Statement) -> bytes:
    workbook = Workbook()
    sheet = workbook.create_sheet(_("Statement"), 0)
    workbook.remove(workbook.worksheets[1])
    sheet.append(safe_row([statement.fund.name]))
    sheet.append(
        safe_row(
            [
                _("Period"),
                f"{statement.since:%Y-%m-%d} – {statement.until:%Y-%m-%d}",
                _("Pledged size (yuan)"),
                statement.fund.size,
            ]
        )
    )
    sheet.append([])
    sheet.append(
        safe_row(["", _("Injected"), _("Committed"), _("Paid"), _("Available"), _("Still to pay")])
    )
    for label, totals in (
        (_("Opening"), statement.opening),
        (_("Movements"), statement.movements),
        (_("Closing"), statement.closing),
    ):
        sheet.append(
            safe_row(
                [
                    label,
                    totals.injected,
                    totals.committed,
                    totals.paid,
                    totals.available,
                    totals.unpaid,
                ]
            )
        )
    sheet.append([])
    sheet.append(
        safe_row(
            [
                _("Booked on"),
                _("Kind"),
                _("Amount (yuan)"),
                _("Description"),
                _("Social organisation"),
                _("Commitment"),
            ]
        )
    )
    for entry in statement.entries:
        sheet.append(
            safe_row(
                [
                    entry.booked_on,
                    str(FundEntry.Kind(entry.kind).label),
                    entry.amount,
                    entry.description,
                    entry.organisation.name if entry.organisation else "",
                    entry.commitment.description if entry.commitment else "",
                ]
            )
        )
    for column, width in zip("ABCDEF", (14, 14, 16, 40, 24, 30), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
