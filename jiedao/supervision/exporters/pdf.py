"""The disclosure table as PDF, with the Chinese text embedded so that it prints and copies
correctly anywhere (the font cut to the table's characters: :mod:`jiedao.core.pdffonts`)."""

from fpdf import FPDF
from fpdf.fonts import FontFace

from jiedao.core.pdffonts import cjk_font_file

from .table import HEADERS, DisclosureTable


def _all_text(table: DisclosureTable) -> str:
    parts = [table.title, table.publication_line, *HEADERS]
    for values in table.header_block:
        parts.extend(values)
    for row in table.rows:
        parts.extend([str(row.sequence), row.section, row.category, row.content, row.progress])
    return "".join(parts)


def export_pdf(table: DisclosureTable) -> bytes:
    with cjk_font_file(_all_text(table)) as font_file:
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_margins(12, 12, 12)
        pdf.set_auto_page_break(auto=True, margin=12)
        pdf.add_font("cjk", style="", fname=str(font_file))
        pdf.add_font("cjk", style="B", fname=str(font_file))
        pdf.set_title(table.title)
        pdf.add_page()
        pdf.set_font("cjk", size=9)
        with pdf.table(
            first_row_as_headings=False, col_widths=(18, 42, 18, 42), borders_layout="NONE"
        ) as header:
            for values in table.header_block:
                cells = header.row()
                for value in values:
                    cells.cell(value)
        pdf.ln(3)
        pdf.set_font("cjk", "B", size=14)
        pdf.multi_cell(0, 7, table.title, align="C")
        pdf.ln(2)
        pdf.set_font("cjk", size=9)
        pdf.multi_cell(0, 5, table.publication_line, align="C")
        pdf.ln(3)
        widths = (10, 16, 22, 67, 71) if table.has_sections else (10, 30, 75, 71)
        heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
        with pdf.table(
            col_widths=widths,
            text_align="LEFT",
            line_height=4.6,
            headings_style=heading,
            repeat_headings=1,
        ) as grid:
            cells = grid.row()
            cells.cell(HEADERS[0])
            cells.cell(HEADERS[1], colspan=2 if table.has_sections else 1)
            cells.cell(HEADERS[2])
            cells.cell(HEADERS[3])
            for row in table.rows:
                cells = grid.row()
                cells.cell(str(row.sequence), align="C")
                if table.has_sections and row.section_span:
                    cells.cell(row.section, rowspan=row.section_span, align="C")
                cells.cell(row.category, align="C")
                cells.cell(row.content)
                cells.cell(row.progress)
        return bytes(pdf.output())
