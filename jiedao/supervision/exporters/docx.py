"""The disclosure table as a Word document, category cells merged as in the original."""

import io

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from .table import HEADERS, DisclosureTable

FONT = "宋体"
# Offices print on A4; python-docx's default template is US Letter.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN = Cm(1.8)


def _cell_text(cell: object, text: str, *, bold: bool = False) -> None:
    lines = text.split("\n") if text else [""]
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()  # type: ignore[attr-defined]
        run = paragraph.add_run(line)
        run.bold = bold


def export_docx(table: DisclosureTable) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.left_margin = section.right_margin = MARGIN
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)

    header = document.add_table(rows=2, cols=4)
    for row_index, block in enumerate(table.header_block):
        for column, value in enumerate(block):
            _cell_text(header.cell(row_index, column), value, bold=column % 2 == 0)

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_run = title.add_run(table.title)
    title_run.bold = True
    title_run.font.size = Pt(15)
    document.add_paragraph(table.publication_line)

    columns = 5 if table.has_sections else 4
    grid = document.add_table(rows=1 + len(table.rows), cols=columns)
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    if table.has_sections:
        category = grid.cell(0, 1).merge(grid.cell(0, 2))
        _cell_text(grid.cell(0, 0), HEADERS[0], bold=True)
        _cell_text(category, HEADERS[1], bold=True)
        _cell_text(grid.cell(0, 3), HEADERS[2], bold=True)
        _cell_text(grid.cell(0, 4), HEADERS[3], bold=True)
    else:
        for column, text in enumerate(HEADERS):
            _cell_text(grid.cell(0, column), text, bold=True)
    for index, row in enumerate(table.rows, start=1):
        values = [str(row.sequence), row.category, row.content, row.progress]
        if table.has_sections:
            if row.section_span:
                merged = grid.cell(index, 1)
                if row.section_span > 1:
                    merged = merged.merge(grid.cell(index + row.section_span - 1, 1))
                _cell_text(merged, row.section)
            targets = [0, 2, 3, 4]
        else:
            targets = [0, 1, 2, 3]
        for column, value in zip(targets, values, strict=True):
            _cell_text(grid.cell(index, column), value)
    # The columns fill A4's 17.4 cm between the margins.
    widths = (
        [Cm(1.2), Cm(2.2), Cm(3.0), Cm(5.5), Cm(5.5)]
        if table.has_sections
        else [Cm(1.2), Cm(3.2), Cm(6.5), Cm(6.5)]
    )
    for row in grid.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
