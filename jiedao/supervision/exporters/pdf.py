"""The disclosure table as PDF, with the Chinese text embedded so that it prints and copies
correctly anywhere.

The system's Noto Sans CJK (``fonts-noto-cjk``, installed by ``scripts/system-packages.sh``)
has PostScript outlines in a font collection. The characters the table uses are cut out of its
Simplified Chinese face and converted to TrueType outlines with fontTools, so that every PDF
reader (and text extraction) maps them back to Unicode. Nothing is fetched at run time; the
font's path is the ``SUPERVISION_PDF_FONT`` setting.
"""

import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont, newTable
from fpdf import FPDF
from fpdf.fonts import FontFace

from jiedao.core.errors import InvalidInput

from .table import HEADERS, DisclosureTable

# fontTools reports every subset at INFO; that is noise in the server's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

DEFAULT_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FAMILY = "Noto Sans CJK SC"


def font_path() -> Path:
    return Path(getattr(settings, "SUPERVISION_PDF_FONT", DEFAULT_FONT))


def _face_index(path: Path) -> int:
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    collection = TTCollection(str(path), lazy=True)
    for index, face in enumerate(collection.fonts):
        if face["name"].getDebugName(1) == FAMILY:
            return index
    return 0


def truetype_subset(text: str, destination: Path) -> None:
    """Write a TrueType font with the glyphs of ``text`` from the configured CJK font."""
    path = font_path()
    if not path.exists():
        raise InvalidInput(
            _("The Chinese font %(path)s is not installed; run scripts/system-packages.sh.")
            % {"path": path},
            code="font_missing",
        )
    font = TTFont(str(path), fontNumber=_face_index(path))
    options = Options()
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    if "CFF " in font:
        glyph_order = font.getGlyphOrder()
        glyph_set = font.getGlyphSet()
        glyf = newTable("glyf")
        glyf.glyphOrder = glyph_order
        glyf.glyphs = {}
        for name in glyph_order:
            pen = TTGlyphPen(glyph_set)
            glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
            glyf.glyphs[name] = pen.glyph()
        font["loca"] = newTable("loca")
        font["glyf"] = glyf
        del font["CFF "]
        if "VORG" in font:
            del font["VORG"]
        maxp = font["maxp"]
        maxp.tableVersion = 0x00010000
        for attribute in (
            "maxZones",
            "maxTwilightPoints",
            "maxStorage",
            "maxFunctionDefs",
            "maxInstructionDefs",
            "maxStackElements",
            "maxSizeOfInstructions",
            "maxComponentElements",
        ):
            setattr(maxp, attribute, 1 if attribute == "maxZones" else 0)
        font["head"].indexToLocFormat = 0
        font["head"].glyphDataFormat = 0
        post = font["post"]
        post.formatType = 2.0
        post.extraNames = []
        post.mapping = {}
        post.glyphOrder = glyph_order
        font.sfntVersion = "\x00\x01\x00\x00"
    font.save(str(destination))


def _all_text(table: DisclosureTable) -> str:
    parts = [table.title, table.publication_line, *HEADERS]
    for values in table.header_block:
        parts.extend(values)
    for row in table.rows:
        parts.extend([str(row.sequence), row.section, row.category, row.content, row.progress])
    return "".join(parts) + "0123456789 "


def export_pdf(table: DisclosureTable) -> bytes:
    with tempfile.TemporaryDirectory() as directory:
        font_file = Path(directory) / "cjk.ttf"
        truetype_subset(_all_text(table), font_file)
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
