"""A case document as Word: A4 portrait with the margins of official documents (GB/T 9704),
the title in 宋体 二号 bold and centred, the number right under it, the text in 仿宋 三号 and
forms as a ruled table; the Chinese font names are set for East Asian text (``w:eastAsia``),
which Word uses for Chinese characters."""

import io

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from .content import DocumentContent

PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
TITLE_FONT, BODY_FONT, HEADING_FONT = "宋体", "仿宋", "黑体"
TITLE_SIZE, BODY_SIZE, TABLE_SIZE = Pt(22), Pt(16), Pt(14)


def _run(paragraph: Paragraph, text: str, *, font: str, size: Pt, bold: bool = False) -> None:
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = size
    run.font.name = font
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def _paragraph(
    document: object,
    text: str,
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT,
    font: str = BODY_FONT,
    size: Pt = BODY_SIZE,
    bold: bool = False,
    indent: bool = False,
) -> Paragraph:
    paragraph: Paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = align
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(28)
    if indent:
        # Two characters of the body's size, as Chinese paragraphs begin.
        paragraph.paragraph_format.first_line_indent = Pt(size.pt * 2)
    _run(paragraph, text, font=font, size=size, bold=bold)
    return paragraph


def render_docx(content: DocumentContent) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    document.core_properties.title = f"{content.title} {content.number}"

    centre, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    _paragraph(document, content.authority, align=centre, font=TITLE_FONT, size=BODY_SIZE)
    _paragraph(document, content.title, align=centre, font=TITLE_FONT, size=TITLE_SIZE, bold=True)
    _paragraph(document, content.number, align=right)
    if content.addressee:
        _paragraph(document, f"{content.addressee}：")
    for line in content.parties:
        _paragraph(document, f"{line.label}：{line.value}")
    for part in content.sections:
        if part.heading:
            _paragraph(document, part.heading, font=HEADING_FONT)
        if part.lines:
            table = document.add_table(rows=len(part.lines), cols=2)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for row, line in zip(table.rows, part.lines, strict=True):
                row.cells[0].width, row.cells[1].width = Mm(40), Mm(116)
                for cell, text, bold in (
                    (row.cells[0], line.label, True),
                    (row.cells[1], line.value, False),
                ):
                    _run(cell.paragraphs[0], text, font=BODY_FONT, size=TABLE_SIZE, bold=bold)
        for text in part.paragraphs:
            _paragraph(document, text, indent=True)
    document.add_paragraph()
    _paragraph(document, content.signature, align=right)
    _paragraph(document, content.date_text, align=right)
    _paragraph(document, content.seal, align=right)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
