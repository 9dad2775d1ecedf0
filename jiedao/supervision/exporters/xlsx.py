"""The disclosure table as an Excel workbook, category cells merged as in the original."""

import io

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side

from jiedao.core.spreadsheet import safe_cell

from .table import HEADERS, DisclosureTable

THIN = Side(style="thin")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")
CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")


def export_xlsx(table: DisclosureTable) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "重点任务"
    columns = 5 if table.has_sections else 4
    last = openpyxl.utils.get_column_letter(columns)
    for row_index, block in enumerate(table.header_block, start=1):
        for column, value in enumerate(block, start=1):
            cell = sheet.cell(row_index, column, safe_cell(value))
            cell.font = Font(bold=column % 2 == 1)
    sheet.cell(3, 1, safe_cell(table.title)).font = Font(bold=True, size=14)
    sheet.cell(3, 1).alignment = CENTRE
    sheet.merge_cells(f"A3:{last}3")
    sheet.cell(4, 1, safe_cell(table.publication_line))
    sheet.merge_cells(f"A4:{last}4")
    header_row = 5
    if table.has_sections:
        headers = [HEADERS[0], HEADERS[1], HEADERS[1], HEADERS[2], HEADERS[3]]
    else:
        headers = list(HEADERS)
    for column, text in enumerate(headers, start=1):
        cell = sheet.cell(header_row, column, text)
        cell.font = Font(bold=True)
        cell.alignment = CENTRE
        cell.border = BORDER
    if table.has_sections:
        sheet.cell(header_row, 3).value = None
        sheet.merge_cells(start_row=header_row, start_column=2, end_row=header_row, end_column=3)
    for offset, row in enumerate(table.rows, start=1):
        excel_row = header_row + offset
        values: list[str | int] = [row.sequence]
        if table.has_sections:
            values.append(row.section if row.section_span else "")
        values += [row.category, row.content, row.progress]
        for column, cell_value in enumerate(values, start=1):
            cell = sheet.cell(
                excel_row, column, safe_cell(cell_value) if cell_value != "" else None
            )
            cell.alignment = CENTRE if column <= (3 if table.has_sections else 2) else WRAP
            cell.border = BORDER
        if table.has_sections and row.section_span > 1:
            sheet.merge_cells(
                start_row=excel_row,
                start_column=2,
                end_row=excel_row + row.section_span - 1,
                end_column=2,
            )
    widths = [6, 12, 18, 50, 50] if table.has_sections else [6, 18, 50, 50]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width = width
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
