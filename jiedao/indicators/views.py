"""Indicator pages: the table of a period with targets and changes, one indicator with its
chart and the lead department's form, the Excel upload and export, and the review queue where a
supervisor confirms the figures read out of a report. They call the same services and selectors
as the API (:mod:`jiedao.indicators.api`)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.accounts.permissions import can, require
from jiedao.core.errors import ApplicationError, InvalidInput
from jiedao.core.http import JiedaoRequest
from jiedao.web.errors import render_application_errors

from . import policy, selectors, services, spreadsheets
from .api import XLSX, export_response, suggestions, table_period, table_rows
from .documents import MAX_BYTES
from .models import Figure, Report
from .periods import PeriodKind
from .services.values import indicator_scale
from .units import from_base


@login_required
@render_application_errors
def indicator_table(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    periods = selectors.periods_with_values(user=user)
    try:
        period = table_period(user, request.GET.get("period"))
    except InvalidInput as error:
        messages.error(request, error.message)
        period = periods[0] if periods else None
    rows = table_rows(user, period)
    return render(
        request,
        "indicators/table.html",
        {
            "period": period,
            "periods": periods,
            "rows": rows,
            "can_enter": can(user, "indicators.enter"),
            "can_review": can(user, "indicators.review"),
        },
    )


@login_required
@render_application_errors
def export(request: JiedaoRequest) -> HttpResponse:
    return export_response(request.user, request.GET.get("period"))


def _indicator_page(
    request: JiedaoRequest, indicator_id: int, *, error: ApplicationError | None = None
) -> HttpResponse:
    user = request.user
    indicator = selectors.indicator_get(user=user, indicator_id=indicator_id)
    series = selectors.indicator_series(user=user, indicator=indicator)
    scale = indicator_scale(indicator)
    history = [
        (
            value,
            None if value.value is None else from_base(value.value, scale),
            None if value.target is None else from_base(value.target, scale),
        )
        for value in selectors.value_history(user=user, indicator=indicator)
    ]
    field_errors: dict[str, list[str]] = {}
    if error is not None:
        for single in error.errors:
            field_errors.setdefault(single.field or "", []).append(str(single.message))
    return render(
        request,
        "indicators/indicator.html",
        {
            "indicator": indicator,
            "series": series,
            "chart": series.chart(),
            "history": history,
            "can_enter": policy.can_enter(user, indicator),
            "error": error,
            "field_errors": field_errors,
            "form": request.POST if error is not None else {},
        },
        status=error.status if error is not None else 200,
    )


@login_required
@render_application_errors
def indicator_detail(request: JiedaoRequest, indicator_id: int) -> HttpResponse:
    return _indicator_page(request, indicator_id)


@login_required
@require_POST
@render_application_errors
def value_enter(request: JiedaoRequest, indicator_id: int) -> HttpResponse:
    """The lead department's form: a period, the value and/or the target in the display unit."""
    try:
        value = services.value_enter(
            actor=request.user,
            indicator_id=indicator_id,
            period=request.POST.get("period", ""),
            value=request.POST.get("value", ""),
            target=request.POST.get("target", ""),
            stated_change=request.POST.get("stated_change", ""),
        )
    except InvalidInput as error:
        return _indicator_page(request, indicator_id, error=error)
    messages.success(
        request,
        _("%(name)s · %(period)s saved.")
        % {"name": value.indicator.name, "period": value.period.label},
    )
    return redirect("indicators:indicator", indicator_id)


@login_required
@render_application_errors
def upload(request: JiedaoRequest) -> HttpResponse:
    """The Excel upload, all or nothing, with every wrong row listed."""
    require(request.user, "indicators.enter")
    error: ApplicationError | None = None
    if request.method == "POST":
        file = request.FILES.get("file")
        try:
            if file is None:
                raise InvalidInput(
                    _("File: choose an Excel workbook."), code="required", field="file"
                )
            rows = spreadsheets.parse_values(file.name or "", file.read(spreadsheets.MAX_BYTES + 1))
            values = services.values_upload(actor=request.user, rows=rows)
        except ApplicationError as failure:
            error = failure
        else:
            messages.success(request, _("%(count)s values entered.") % {"count": len(values)})
            return redirect("indicators:table")
    return render(
        request,
        "indicators/upload.html",
        {
            "error": error,
            "row_errors": error.extra.get("errors", []) if error else [],
            "indicators": [
                indicator
                for indicator in selectors.indicator_list(user=request.user)
                if policy.can_enter(request.user, indicator)
            ],
        },
        status=error.status if error else 200,
    )


@login_required
@render_application_errors
def upload_template(request: JiedaoRequest) -> HttpResponse:
    require(request.user, "indicators.enter")
    response = HttpResponse(spreadsheets.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="indicators-upload.xlsx"'
    return response


@login_required
@render_application_errors
def report_list(request: JiedaoRequest) -> HttpResponse:
    """The reports uploaded for review, and the upload form."""
    user = request.user
    error: ApplicationError | None = None
    if request.method == "POST":
        file = request.FILES.get("file")
        try:
            if file is None:
                raise InvalidInput(_("File: choose a report."), code="required", field="file")
            report = services.report_upload(
                actor=user, file_name=file.name or "report.txt", data=file.read(MAX_BYTES + 1)
            )
        except ApplicationError as failure:
            error = failure
        else:
            return redirect("indicators:report", report.pk)
    return render(
        request,
        "indicators/reports.html",
        {"reports": selectors.report_list(user=user), "error": error},
        status=error.status if error else 200,
    )


def segments(report: Report, figures: list[Figure]) -> list[dict[str, Any]]:
    """The repaired text cut into plain runs, figures (to highlight) and unreadable places (to
    mark), in order; a span overlapping one already taken is left plain."""
    spans = [(figure.start, figure.end, "figure", figure) for figure in figures]
    spans += [
        (int(place["start"]), int(place["end"]), "unreadable", place) for place in report.unreadable
    ]
    spans.sort(key=lambda span: (span[0], span[1]))
    text = report.text
    cut: list[dict[str, Any]] = []
    position = 0
    for start, end, kind, item in spans:
        if start < position or end <= start or end > len(text):
            continue
        if start > position:
            cut.append({"kind": "text", "text": text[position:start]})
        cut.append({"kind": kind, "text": text[start:end], "item": item})
        position = end
    if position < len(text):
        cut.append({"kind": "text", "text": text[position:]})
    return cut


def _report_page(
    request: JiedaoRequest,
    report_id: int,
    *,
    error: ApplicationError | None = None,
    figure_id: int | None = None,
) -> HttpResponse:
    user = request.user
    report = selectors.report_get(user=user, report_id=report_id)
    figures = list(selectors.figure_list(user=user, report=report))
    suggested = suggestions(user, figures)
    return render(
        request,
        "indicators/report.html",
        {
            "report": report,
            "segments": segments(report, figures),
            "figures": [(figure, suggested[figure.pk]) for figure in figures],
            "indicators": list(selectors.indicator_list(user=user)),
            "period_kinds": PeriodKind.choices,
            "error": error,
            "error_figure": figure_id,
            "form": request.POST if error is not None else {},
        },
        status=error.status if error is not None else 200,
    )


@login_required
@render_application_errors
def report_detail(request: JiedaoRequest, report_id: int) -> HttpResponse:
    return _report_page(request, report_id)


def _decide(request: JiedaoRequest, figure_id: int, confirm: bool) -> HttpResponse:
    figure = selectors.figure_list(user=request.user).filter(pk=figure_id).first()
    report_id = figure.report_id if figure is not None else 0
    try:
        if confirm:
            value = services.figure_confirm(
                actor=request.user,
                figure_id=figure_id,
                indicator_id=request.POST.get("indicator"),
                period=request.POST.get("period", ""),
            )
            messages.success(
                request,
                _("Confirmed as %(name)s · %(period)s.")
                % {"name": value.indicator.name, "period": value.period.label},
            )
        else:
            services.figure_reject(
                actor=request.user, figure_id=figure_id, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Figure rejected."))
    except InvalidInput as error:
        return _report_page(request, report_id, error=error, figure_id=figure_id)
    return redirect("indicators:report", report_id)


@login_required
@require_POST
@render_application_errors
def figure_confirm(request: JiedaoRequest, figure_id: int) -> HttpResponse:
    return _decide(request, figure_id, confirm=True)


@login_required
@require_POST
@render_application_errors
def figure_reject(request: JiedaoRequest, figure_id: int) -> HttpResponse:
    return _decide(request, figure_id, confirm=False)
