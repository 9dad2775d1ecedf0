"""The figures exports write typed names (communities, departments, grids) as text, never as a
formula a spreadsheet would run."""

import csv
import io
from datetime import date
from typing import Any

from openpyxl import load_workbook

from jiedao.events.exports import figures_csv, figures_xlsx
from jiedao.events.figures import FigureRow, Figures
from jiedao.geo.models import Community

from .figures_scenario import march_events  # noqa: F401 - the "march" fixture

HYPERLINK = '=HYPERLINK("http://evil.example/","详情")'
MARCH_QUERY = {"since": "2022-03-01", "until": "2022-03-31"}


def figures_with(label: str, key: str) -> Figures:
    row = FigureRow(key=key, label=label, collected=3, closed=-1)
    total = FigureRow(key="", label="合计", collected=3, closed=-1)
    return Figures(
        since=date(2022, 3, 1), until=date(2022, 3, 31), by="grid", rows=[row], total=total
    )


def test_xlsx_writes_a_formula_like_label_as_quoted_text_and_numbers_as_numbers() -> None:
    data = figures_xlsx(figures_with(HYPERLINK, "@SUM(A1)"))

    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    label, key, collected = sheet.cell(3, 1), sheet.cell(3, 2), sheet.cell(3, 3)
    assert (label.data_type, label.value) == ("s", "'" + HYPERLINK)
    assert (key.data_type, key.value) == ("s", "'@SUM(A1)")
    assert (collected.data_type, collected.value) == ("n", 3)
    closed_column = [cell.value for cell in sheet[2]].index("结案数") + 1
    assert (sheet.cell(3, closed_column).data_type, sheet.cell(3, closed_column).value) == (
        "n",
        -1,
    )


def test_csv_quotes_a_formula_like_label_and_leaves_the_figures_alone() -> None:
    data = figures_csv(figures_with("+cmd|' /C calc'!A0", "-2"))

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    closed = rows[0].index("结案数")
    assert rows[1][:3] == ["'+cmd|' /C calc'!A0", "'-2", "3"]
    assert rows[1][closed] == "-1"


def test_downloaded_figures_quote_a_community_named_like_a_formula(
    march: Any, client_for: Any
) -> None:
    Community.objects.filter(name="三江社区").update(name=HYPERLINK)
    client = client_for("dispatcher")

    workbook = client.get("/events/dashboard/export.xlsx", {**MARCH_QUERY, "by": "community"})
    text = client.get("/events/dashboard/export.csv", {**MARCH_QUERY, "by": "community"})

    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    assert (sheet.cell(3, 1).data_type, sheet.cell(3, 1).value) == ("s", "'" + HYPERLINK)
    assert (sheet.cell(3, 3).data_type, sheet.cell(3, 3).value) == ("n", 4)
    rows = list(csv.reader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert rows[1][:3] == ["'" + HYPERLINK, "330109012001", "4"]
