"""Cell values for spreadsheets and CSV files that no spreadsheet program runs as a formula.

Excel, LibreOffice and WPS treat a cell whose text starts with ``=``, ``+``, ``-`` or ``@`` as a
formula (and a leading tab or carriage return can hide such a start), so a progress report or a
department name typed as ``=HYPERLINK("http://evil", "详情")`` would become a live link or a
command in the reader's spreadsheet. OWASP's advice: put a single quote in front of such text, so
it shows as the text it is. openpyxl writes any string starting with ``=`` as a formula; with the
quote in front it writes a string. Every export that writes user text goes through here.
"""

from collections.abc import Iterable
from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a cell: text starting like a formula gets a leading ``'``; numbers, dates,
    ``None`` and other text stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Each value of a row through :func:`safe_cell`."""
    return [safe_cell(value) for value in values]
