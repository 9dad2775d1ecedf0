"""HTML tables, with ``rowspan`` and ``colspan``, read with the standard library's parser."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from .parsed import ParsedPlan
from .table import build_from_grid, is_header

BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "title"}
SKIPPED_TAGS = {"script", "style", "head"}


@dataclass
class Cell:
    text: list[str] = field(default_factory=list)
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Table:
    rows: list[list[Cell]] = field(default_factory=list)
    lines_before: list[str] = field(default_factory=list)


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or "1"), 1000))
    except ValueError:
        return 1


class TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[Table] = []
        self.depth = 0
        self.skipping = 0
        self.cell: Cell | None = None
        self.lines: list[str] = [""]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag == "table":
            self.depth += 1
            if self.depth == 1:
                self.tables.append(Table(lines_before=[line for line in self.lines if line]))
                self.lines = [""]
        elif self.depth == 1 and tag == "tr":
            self.tables[-1].rows.append([])
        elif self.depth == 1 and tag in ("td", "th"):
            attributes = dict(attrs)
            self.cell = Cell(
                rowspan=_span(attributes.get("rowspan")), colspan=_span(attributes.get("colspan"))
            )
            if not self.tables[-1].rows:
                self.tables[-1].rows.append([])
            self.tables[-1].rows[-1].append(self.cell)
        elif tag in BLOCK_TAGS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "table":
            self.depth = max(0, self.depth - 1)
        elif self.depth == 1 and tag in ("td", "th"):
            self.cell = None
        elif tag in BLOCK_TAGS:
            self._newline()

    def _newline(self) -> None:
        if self.cell is not None:
            self.cell.text.append("\n")
        elif self.depth == 0:
            self.lines.append("")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.cell is not None:
            self.cell.text.append(data)
        elif self.depth == 0:
            self.lines[-1] += " ".join(data.split())


def expand(table: Table) -> list[list[str]]:
    """The table as a grid: a cell spanning rows or columns fills every position it covers."""
    grid: dict[tuple[int, int], str] = {}
    width = 0
    for row_index, row in enumerate(table.rows):
        column = 0
        for cell in row:
            while (row_index, column) in grid:
                column += 1
            text = "".join(cell.text)
            for dy in range(cell.rowspan):
                for dx in range(cell.colspan):
                    grid[(row_index + dy, column + dx)] = text
            column += cell.colspan
            width = max(width, column)
    height = max((r for r, _c in grid), default=-1) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(height)]


def read_html(text: str) -> ParsedPlan:
    parser = TableParser()
    parser.feed(text)
    parser.close()
    grids = [(table, expand(table)) for table in parser.tables]
    chosen = next(
        ((table, grid) for table, grid in grids if any(is_header(row) for row in grid)), None
    )
    plan = ParsedPlan(source_format="html")
    if chosen is None:
        return build_from_grid([], plan=plan, source="HTML")
    table, grid = chosen
    preamble = list(table.lines_before)
    for other, other_grid in grids:
        if other is table:
            break
        preamble.extend(" ".join(cell for cell in row if cell) for row in other_grid)
    return build_from_grid(grid, plan=plan, preamble=preamble, source="HTML")
