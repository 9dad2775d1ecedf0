"""Word (.docx) tables, including vertically merged cells, read with python-docx."""

import io
import zipfile

import docx
from django.utils.translation import gettext as _
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table

from jiedao.core.errors import InvalidInput

from .parsed import ParsedPlan
from .table import build_from_grid, is_header


def table_grid(table: Table) -> list[list[str]]:
    """Rows of cell texts. python-docx repeats a merged cell on every row and column it covers
    (``vMerge`` and ``gridSpan``), which is the expansion the table builder expects."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def read_docx(data: bytes) -> ParsedPlan:
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InvalidInput(
            _("The file is not a readable Word document (.docx): %(error)s") % {"error": error},
            code="corrupt_file",
            field="file",
        ) from None
    preamble: list[str] = []
    plan = ParsedPlan(source_format="docx")
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            grid = table_grid(block)
            if any(is_header(row) for row in grid):
                return build_from_grid(grid, plan=plan, preamble=preamble, source="Word")
            preamble.extend(" ".join(dict.fromkeys(c for c in row if c)) for row in grid)
        elif block.text.strip():
            preamble.append(block.text)
    return build_from_grid([], plan=plan, source=_("Word document"))
