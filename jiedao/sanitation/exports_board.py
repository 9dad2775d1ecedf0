"""A month's 红黄黑榜 as an Excel sheet (openpyxl; every text cell formula-safe)."""

from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from jiedao.core.spreadsheet import safe_row

from .models.board import ColourChoice, MetricChoice
from .selectors_board import MonthRanking

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ranking_xlsx(ranking: MonthRanking) -> bytes:
    """The list as published: one row per compound with its rank, colour, score and parts."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{ranking.month:%Y-%m}"
    sheet.append(
        safe_row(
            [
                _("%(subdistrict)s compound list, %(month)s")
                % {"subdistrict": ranking.subdistrict.name, "month": f"{ranking.month:%Y-%m}"}
            ]
        )
    )
    published = ranking.published
    sheet.append(
        safe_row(
            [
                _("Published at"),
                f"{published.published_at:%Y-%m-%d %H:%M}" if published else _("Not published"),
            ]
        )
    )
    sheet.append([])
    metrics = list(MetricChoice)
    sheet.append(
        safe_row(
            [
                _("Rank"),
                _("List"),
                _("Compound"),
                _("Community"),
                _("Grid"),
                _("Score"),
                *[str(metric.label) for metric in metrics],
            ]
        )
    )
    for row in ranking.rows:
        sheet.append(
            safe_row(
                [
                    row.rank,
                    str(ColourChoice(row.colour).label) if row.colour else "",
                    row.name,
                    row.community,
                    row.grid,
                    row.score,
                    *[
                        Decimal(row.parts[metric.value]) if metric.value in row.parts else None
                        for metric in metrics
                    ],
                ]
            )
        )
    for column, width in zip(
        "ABCDEFGHIJK", (6, 14, 20, 16, 16, 8, 12, 12, 14, 12, 14), strict=True
    ):
        sheet.column_dimensions[column].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
