"""A Chinese font for PDFs, cut to the characters a document uses, so that every PDF reader (and
text extraction) shows and copies its text correctly.

The system's Noto Sans CJK (``fonts-noto-cjk``, installed by ``scripts/system-packages.sh``)
has PostScript outlines in a font collection. The characters a document uses are cut out of its
Simplified Chinese face and converted to TrueType outlines with fontTools, which fpdf2 embeds.
Nothing is fetched at run time; the font's path is the ``PDF_CJK_FONT`` setting (the older
``SUPERVISION_PDF_FONT`` is still read where it alone is set).
"""

import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.subset import Options, Subsetter
from fontTools.ttLib import TTCollection, TTFont, newTable

from jiedao.core.errors import InvalidInput

# fontTools reports every subset at INFO; that is noise in the server's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

DEFAULT_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FAMILY = "Noto Sans CJK SC"


def font_path() -> Path:
    configured = getattr(settings, "PDF_CJK_FONT", None) or getattr(
        settings, "SUPERVISION_PDF_FONT", None
    )
    return Path(configured or DEFAULT_FONT)


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


@contextmanager
def cjk_font_file(text: str) -> Iterator[Path]:
    """A TrueType file with the glyphs of ``text`` (and the digits and the space), kept until the
    block ends: fpdf2 reads it again when it writes the PDF."""
    with tempfile.TemporaryDirectory() as directory:
        destination = Path(directory) / "cjk.ttf"
        truetype_subset(text + "0123456789 ", destination)
        yield destination
