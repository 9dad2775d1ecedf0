"""The indicators API: the catalogue, the table of a period with targets and changes, one
indicator's series, values entered by lead departments (one at a time or an Excel file), the
Excel export, and the review queue of figures read out of narrative reports."""

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Router, Status, UploadedFile

from jiedao.accounts.permissions import require, scoped
from jiedao.core.errors import InvalidInput
from jiedao.core.http import JiedaoRequest
from jiedao.geo.models import Department

from . import selectors, services, spreadsheets
from .documents import MAX_BYTES
from .models import Figure, Indicator, Report, Value
from .periods import PeriodKey, parse_period
from .schemas import (
    ConfirmIn,
    FigureOut,
    IndicatorDetailOut,
    IndicatorIn,
    IndicatorOut,
    RejectIn,
    ReportDetailOut,
    ReportOut,
    TableOut,
    UploadOut,
    ValueIn,
    ValueOut,
)

router = Router(tags=["indicators"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def indicator_out(indicator: Indicator) -> dict[str, Any]:
    return {
        "id": indicator.pk,
        "code": indicator.code,
        "name": indicator.name,
        "definition": indicator.definition,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "display_unit": indicator.display_unit,
        "aggregation": indicator.aggregation,
        "numerator_id": indicator.numerator_id,
        "denominator_id": indicator.denominator_id,
        "department": indicator.department.name,
        "is_key": indicator.is_key,
    }


def row_out(row: selectors.Row) -> dict[str, Any]:
    change = row.change
    return {
        "indicator_id": row.indicator.pk,
        "name": row.indicator.name,
        "display_unit": row.indicator.display_unit,
        "period": row.period.code,
        "period_label": row.period.label,
        "value": row.shown_value,
        "target": row.shown_target,
        "value_base": row.value,
        "completion_percent": row.completion,
        "change": None
        if change is None
        else {
            "amount": change.amount,
            "unit": change.unit,
            "is_stated": change.is_stated,
            "is_synthetic": row.change_is_synthetic,
        },
        "is_synthetic": row.is_synthetic,
    }


def value_out(value: Value) -> dict[str, Any]:
    return {
        "id": value.pk,
        "indicator_id": value.indicator_id,
        "period": value.period.code,
        "value_base": value.value,
        "target_base": value.target,
        "stated_change": value.stated_change,
        "source": value.source,
        "is_synthetic": value.is_synthetic,
        "entered_at": value.entered_at,
    }


def figure_out(figure: Figure, suggested: Indicator | None = None) -> dict[str, Any]:
    period = figure.period
    return {
        "id": figure.pk,
        "report_id": figure.report_id,
        "position": figure.position,
        "name": figure.name,
        "value": figure.value,
        "unit": figure.unit,
        "change": figure.change,
        "change_is_stated": figure.change_is_stated,
        "sentence": figure.sentence,
        "start": figure.start,
        "end": figure.end,
        "status": figure.status,
        "indicator_id": figure.indicator_id,
        "period": period.code if period else None,
        "reason": figure.reason,
        "suggested_indicator_id": suggested.pk if suggested else None,
    }


def report_out(report: Report) -> dict[str, Any]:
    return {
        "id": report.pk,
        "file_name": report.file_name,
        "uploaded_at": report.uploaded_at,
        "figure_count": getattr(report, "figure_count", 0),
        "pending_count": getattr(report, "pending_count", 0),
    }


def table_period(user: Any, text: str | None) -> PeriodKey | None:
    """The period asked for, or the latest with a value; 422 naming the field when unreadable."""
    if text:
        period = parse_period(text)
        if period is None:
            raise InvalidInput(
                _("Period: “%(period)s” is not a month, quarter, half or year, e.g. 2022-H1.")
                % {"period": text},
                code="bad_period",
                field="period",
            )
        return period
    return selectors.latest_period(user=user)


def table_rows(user: Any, period: PeriodKey | None) -> list[selectors.Row]:
    if period is None:
        selectors.indicator_list(user=user)  # the permission check, with nothing to show
        return []
    return selectors.indicator_table(user=user, period=period)


def export_response(user: Any, period_text: str | None) -> HttpResponse:
    """The table of a period as an Excel workbook; shared by the API and the page."""
    period = table_period(user, period_text)
    rows = table_rows(user, period)
    response = HttpResponse(spreadsheets.export_table(rows), content_type=XLSX)
    name = f"indicators-{period.code if period else 'empty'}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def suggestions(user: Any, figures: list[Figure]) -> dict[int, Indicator | None]:
    catalogue = list(selectors.indicator_list(user=user))
    return {figure.pk: selectors.indicator_for_name(catalogue, figure.name) for figure in figures}


@router.get("/", response=list[IndicatorOut], summary="The catalogue of indicators you can see")
def list_indicators(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [indicator_out(indicator) for indicator in selectors.indicator_list(user=request.user)]


@router.post("/", response={201: IndicatorOut}, summary="Add an indicator to the catalogue")
def create_indicator(request: JiedaoRequest, payload: IndicatorIn) -> Status[dict[str, Any]]:
    """Supervisors and administrators keep the catalogue; a rate's numerator and denominator
    are indicators of the same catalogue."""
    user = request.user
    require(user, "indicators.manage")
    indicators = selectors.indicator_list(user=user)
    department = scoped(user, Department.objects.all()).filter(pk=payload.department_id).first()
    if department is None:
        raise InvalidInput(
            _("Responsible department: choose a department of your subdistrict."),
            code="required",
            field="department_id",
        )
    numerator = indicators.filter(pk=payload.numerator_id).first() if payload.numerator_id else None
    denominator = (
        indicators.filter(pk=payload.denominator_id).first() if payload.denominator_id else None
    )
    indicator = services.indicator_create(
        actor=user,
        subdistrict=department.subdistrict,
        code=payload.code,
        name=payload.name,
        definition=payload.definition,
        kind=payload.kind,
        unit=payload.unit,
        display_unit=payload.display_unit,
        aggregation=payload.aggregation,
        department=department,
        is_key=payload.is_key,
        numerator=numerator,
        denominator=denominator,
    )
    return Status(201, indicator_out(indicator))


@router.get("/table", response=TableOut, summary="Every indicator for one period")
def table(request: JiedaoRequest, period: str | None = None) -> dict[str, Any]:
    """Values and targets in each indicator's display unit, the completion of the target, and
    the year-on-year change: computed from last year's value when known, otherwise the change
    the source states (``is_stated``). Without ``period``, the latest one with a value."""
    key = table_period(request.user, period)
    return {
        "period": key.code if key else None,
        "period_label": key.label if key else "",
        "rows": [row_out(row) for row in table_rows(request.user, key)],
    }


@router.get("/export", summary="The table of a period as Excel")
def export(request: JiedaoRequest, period: str | None = None) -> HttpResponse:
    return export_response(request.user, period)


@router.post("/uploads", response=UploadOut, summary="Enter values from an Excel file")
def upload(request: JiedaoRequest, file: File[UploadedFile]) -> dict[str, Any]:
    """Columns 指标, 期间, 数值, 目标, 同比(%). All or nothing: a file with a wrong row enters
    nothing, and the 422 lists every wrong row in ``extra.errors``."""
    rows = spreadsheets.parse_values(file.name or "", file.read(spreadsheets.MAX_BYTES + 1))
    values = services.values_upload(actor=request.user, rows=rows)
    return {"entered": len(values)}


@router.get("/reports", response=list[ReportOut], summary="Reports uploaded for review")
def list_reports(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [report_out(report) for report in selectors.report_list(user=request.user)]


@router.post("/reports", response={201: ReportDetailOut}, summary="Upload a report for review")
def create_report(request: JiedaoRequest, file: File[UploadedFile]) -> Status[dict[str, Any]]:
    """A narrative report as text, HTML or .docx: its text is repaired, its figures queued for
    review; the places the damage made unreadable are listed, never guessed."""
    report = services.report_upload(
        actor=request.user, file_name=file.name or "report.txt", data=file.read(MAX_BYTES + 1)
    )
    return Status(201, report_detail(request.user, report.pk))


def report_detail(user: Any, report_id: int) -> dict[str, Any]:
    report = selectors.report_list(user=user).get(pk=report_id)
    figures = list(selectors.figure_list(user=user, report=report))
    suggested = suggestions(user, figures)
    return {
        **report_out(report),
        "text": report.text,
        "unreadable": report.unreadable,
        "figures": [figure_out(figure, suggested[figure.pk]) for figure in figures],
    }


@router.get("/reports/{report_id}", response=ReportDetailOut, summary="A report and its figures")
def get_report(request: JiedaoRequest, report_id: int) -> dict[str, Any]:
    report = selectors.report_get(user=request.user, report_id=report_id)
    return report_detail(request.user, report.pk)


@router.get("/figures", response=list[FigureOut], summary="The review queue")
def list_figures(
    request: JiedaoRequest, status: str = Figure.Status.PENDING
) -> list[dict[str, Any]]:
    if status not in Figure.Status.values:
        raise InvalidInput(
            _("Status: use one of %(known)s.") % {"known": ", ".join(Figure.Status.values)},
            code="bad_status",
            field="status",
        )
    figures = list(selectors.figure_list(user=request.user, status=status))
    suggested = suggestions(request.user, figures)
    return [figure_out(figure, suggested[figure.pk]) for figure in figures]


@router.post("/figures/{figure_id}/confirm", response=ValueOut, summary="Confirm a figure")
def confirm_figure(request: JiedaoRequest, figure_id: int, payload: ConfirmIn) -> dict[str, Any]:
    value = services.figure_confirm(
        actor=request.user,
        figure_id=figure_id,
        indicator_id=payload.indicator_id,
        period=payload.period,
    )
    return value_out(value)


@router.post("/figures/{figure_id}/reject", response=FigureOut, summary="Reject a figure")
def reject_figure(request: JiedaoRequest, figure_id: int, payload: RejectIn) -> dict[str, Any]:
    figure = services.figure_reject(actor=request.user, figure_id=figure_id, reason=payload.reason)
    return figure_out(figure)


@router.get("/{indicator_id}", response=IndicatorDetailOut, summary="An indicator and its series")
def get_indicator(request: JiedaoRequest, indicator_id: int) -> dict[str, Any]:
    indicator = selectors.indicator_get(user=request.user, indicator_id=indicator_id)
    series = selectors.indicator_series(user=request.user, indicator=indicator)
    return {
        **indicator_out(indicator),
        "series": {"kind": series.kind, "rows": [row_out(row) for row in series.rows]},
    }


@router.post(
    "/{indicator_id}/values", response={201: ValueOut}, summary="Enter a value (lead department)"
)
def enter_value(
    request: JiedaoRequest, indicator_id: int, payload: ValueIn
) -> Status[dict[str, Any]]:
    """Value and target in the indicator's display unit (亿元 for an amount kept in 元); the
    same period entered again replaces what it gives, audited."""
    value = services.value_enter(
        actor=request.user,
        indicator_id=indicator_id,
        period=payload.period,
        value=payload.value,
        target=payload.target,
        stated_change=payload.stated_change,
        source=Value.Source.API,
    )
    return Status(201, value_out(value))
