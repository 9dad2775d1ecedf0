"""Fixtures for key-task supervision: seed 003 and small tables built in code. The Wenyan demo
is loaded once per module (see tests/wenyan_once.py)."""

import io
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from jiedao.geo.models import Subdistrict
from jiedao.supervision.models import Comment, Plan, ProgressReport, Task

SEED = (
    Path(__file__).resolve().parents[2] / "jiedao" / "supervision" / "data" / "wenyan_2023_q3.txt"
)


# Who may do what in supervision, written out here rather than read from accounts.permissions,
# so that the tests hold the permission table to an independent statement of it (the roles
# themselves are in tests/roles.py).
READERS = {
    "grid_lead",
    "dispatcher",
    "department_handler",
    "enforcement_officer",
    "supervisor",
    "administrator",
}
MANAGERS = {"supervisor", "administrator"}


def state() -> tuple[int, int, int, int]:
    """What a refused or failed call must leave as it was."""
    return (
        Plan.objects.count(),
        Task.objects.count(),
        ProgressReport.objects.count(),
        Comment.objects.count(),
    )


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


@pytest.fixture
def demo_plan(wenyan_demo: Any) -> Plan:
    """Wenyan's 2023 plan as the demo loads it (seed 003 + synthesised Q1 and Q2)."""
    return Plan.objects.get()


@pytest.fixture
def other_subdistrict(db: Any) -> Subdistrict:
    """An empty subdistrict, to import into from scratch."""
    return Subdistrict.objects.create(
        name="测试街道", code="330109099", district_name="萧山区", center_lat=30.1, center_lng=120.2
    )


def docx_bytes(
    rows: list[list[str]], *, merge_down: list[tuple[int, int, int]] = (), before: list[str] = ()
) -> bytes:  # type: ignore[assignment]
    """A Word document with one table; ``merge_down`` = (column, first row, last row) merges
    cells vertically, keeping only the first cell's text (as Word does)."""
    document = docx.Document()
    for line in before:
        document.add_paragraph(line)
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    for column, first, last in merge_down:
        for r in range(first + 1, last + 1):
            table.cell(r, column).text = ""
        merged = table.cell(first, column).merge(table.cell(last, column))
        merged.text = rows[first][column]
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def xlsx_bytes(rows: list[list[Any]], *, merges: list[str] = ()) -> bytes:  # type: ignore[assignment]
    """An Excel workbook with ``rows`` from A1; ``merges`` like "B2:B4" (only the top-left
    cell keeps its value, as Excel does)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append(row)
    for merged in merges:
        sheet.merge_cells(merged)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
