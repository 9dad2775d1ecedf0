"""A case document as PDF, in the Word document's layout: A4 portrait, the same margins, the
title centred and bold with the number under it, forms as a ruled table; the Chinese text in the
shared CJK font cut to the document's characters (:mod:`jiedao.core.pdffonts`)."""

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from jiedao.core.pdffonts import cjk_font_file

from .content import DocumentContent

TITLE_SIZE, BODY_SIZE, TABLE_SIZE = 22, 16, 14
LINE = 9.9  # 28 pt, the Word document's exact line spacing, in mm
INDENT = "\u3000\u3000"  # two ideographic spaces: a Chinese paragraph's first-line indent


def render_pdf(content: DocumentContent) -> bytes:
    with cjk_font_file(content.all_text() + INDENT) as font_file:
        pdf = FPDF(orientation="portrait", unit="mm", format="A4")
        pdf.set_margins(left=28, top=37, right=26)
        pdf.set_auto_page_break(auto=True, margin=35)
        pdf.add_font("cjk", style="", fname=str(font_file))
        pdf.add_font("cjk", style="B", fname=str(font_file))
        pdf.set_title(f"{content.title} {content.number}")
        pdf.add_page()

        def write(
            text: str, *, size: int = BODY_SIZE, align: str = "L", bold: bool = False
        ) -> None:
            pdf.set_font("cjk", "B" if bold else "", size=size)
            pdf.multi_cell(0, LINE, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)

        write(content.authority, align="C")
        write(content.title, size=TITLE_SIZE, align="C", bold=True)
        write(content.number, align="R")
        if content.addressee:
            write(f"{content.addressee}：")
        for line in content.parties:
            write(f"{line.label}：{line.value}")
        for part in content.sections:
            if part.heading:
                write(part.heading, bold=True)
            if part.lines:
                pdf.set_font("cjk", size=TABLE_SIZE)
                with pdf.table(
                    col_widths=(40, 116),
                    text_align="LEFT",
                    line_height=7.5,
                    first_row_as_headings=False,
                ) as table:
                    for line in part.lines:
                        row = table.row()
                        row.cell(line.label)
                        row.cell(line.value)
                pdf.ln(2)
            for text in part.paragraphs:
                write(INDENT + text, align="J")
        pdf.ln(LINE)
        write(content.signature, align="R")
        write(content.date_text, align="R")
        write(content.seal, align="R")
        return bytes(pdf.output())
