"""A team's month as an Excel sheet: one row per member with the counts, the parts and the
score, exactly what :func:`jiedao.assessment.selectors.team_month` gives the page."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from jiedao.core.spreadsheet import safe_row

from .measures import MEASURES
from .selectors import TeamMonth

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def header() -> list[str]:
    return [
        _("Rank"),
        _("Member"),
        *[str(measure.label) for measure in MEASURES],
        *[_("%(measure)s (points)") % {"measure": measure.label} for measure in MEASURES],
        pgettext("assessment", "Score"),
    ]


def export_filename(scores: TeamMonth) -> str:
    return f"assessment-{scores.team.pk}-{scores.month:%Y-%m}.xlsx"


def month_xlsx(scores: TeamMonth) -> bytes:
    """The sheet: a title line, the weights line, the header and one row per member."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Team assessment")[:31]
    state = _("closed") if scores.is_closed else _("live, not closed")
    sheet.append(safe_row([f"{scores.team.name} {scores.month:%Y-%m} ({state})"]))
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([_("Weights"), "", *[float(scores.weights[measure.key]) for measure in MEASURES]])
    sheet.append(header())
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in scores.rows:
        # A synthetic member's name says so itself (the demo names them “…（示例数据）”).
        sheet.append(
            [
                row.rank,
                *safe_row([row.name]),
                *[row.counts[measure.key] for measure in MEASURES],
                *[float(row.parts[measure.key]) for measure in MEASURES],
                float(row.score),
            ]
        )
    sheet.column_dimensions["B"].width = 18
    sheet.freeze_panes = "C4"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
