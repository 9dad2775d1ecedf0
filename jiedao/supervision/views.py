"""Key-task supervision pages: plans by section with derived status, task timelines, the lead
unit's progress form, the supervisor's behind-schedule list, import with preview, exports."""

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.accounts.permissions import can
from jiedao.core.errors import ErrorList, InvalidInput
from jiedao.core.http import JiedaoRequest
from jiedao.web.errors import render_application_errors

from . import policy, selectors, services
from .api import export_response
from .importers import ParsedPlan, parse_file, read_limited
from .models import Period, Plan
from .status import TaskStatus

PREVIEW_SALT = "jiedao.supervision.import-preview"
PREVIEW_MAX_AGE = 3600


# The fields of the "file progress" form that show their own errors.
FORM_FIELDS = frozenset({"period", "text", "percent_complete", "target_values", "attachments"})


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _period_for(plan: Plan, periods: list[Period], number: int | None) -> Period:
    if number is not None:
        for period in periods:
            if period.number == number:
                return period
    return selectors.default_period(plan, periods)


@login_required
@render_application_errors
def plan_list(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    plans = []
    for plan in selectors.plan_list(user=user):
        periods = selectors.period_list(plan)
        period = selectors.default_period(plan, periods)
        rows = selectors.task_rows(
            user=user, plan=plan, as_of=selectors.as_of_for(period), period=period
        )
        plans.append(
            {
                "plan": plan,
                "period": period,
                "task_count": len(rows),
                "counts": selectors.status_counts(rows),
            }
        )
    return render(
        request,
        "supervision/plans.html",
        {
            "plans": plans,
            "reminders": selectors.reminder_list(user=user),
            "can_manage": can(user, "supervision.manage"),
        },
    )


@login_required
@render_application_errors
def plan_detail(request: JiedaoRequest, plan_id: int) -> HttpResponse:
    """The plan by section with status colours; the filter form swaps the table with HTMX."""
    user = request.user
    plan = selectors.plan_get(user=user, plan_id=plan_id)
    periods = selectors.period_list(plan)
    period = _period_for(plan, periods, _int(request.GET.get("period")))
    as_of = selectors.as_of_for(period)
    status = request.GET.get("status", "")
    if status not in TaskStatus.values:
        status = ""
    section_id = _int(request.GET.get("section"))
    all_rows = selectors.task_rows(user=user, plan=plan, as_of=as_of, period=period)
    rows = [
        row
        for row in all_rows
        if (not status or row.status.status == status)
        and (not section_id or row.task.section_id == section_id)
    ]
    context: dict[str, Any] = {
        "plan": plan,
        "periods": periods,
        "period": period,
        "as_of": as_of,
        "rows": rows,
        "counts": selectors.status_counts(all_rows),
        "sections": plan.sections.all(),
        "statuses": TaskStatus.choices,
        "selected_status": status,
        "selected_section": section_id,
        "can_export": can(user, "supervision.export"),
        "export_formats": ("docx", "xlsx", "pdf"),
    }
    if request.htmx:
        return render(request, "supervision/_task_table.html", context)
    context["reminders"] = selectors.reminder_list(user=user).filter(task__plan=plan)
    return render(request, "supervision/plan_detail.html", context)


def _task_page(
    request: JiedaoRequest, task_id: int, *, status: int = 200, **extra: Any
) -> HttpResponse:
    user = request.user
    detail = selectors.task_detail(user=user, task_id=task_id)
    can_report = policy.can_report(user, detail.task)
    context: dict[str, Any] = {
        "detail": detail,
        "task": detail.task,
        "can_report": can_report,
        "can_comment": can(user, "supervision.comment"),
        "can_manage": can(user, "supervision.manage"),
        "reportable_periods": selectors.reportable_periods(detail.periods),
        "reminders": selectors.reminder_list(user=user).filter(task=detail.task),
        "form": {},
        **extra,
    }
    if context["can_manage"]:
        context["departments"] = selectors.lead_unit_choices(task=detail.task)
    return render(request, "supervision/task_detail.html", context, status=status)


@login_required
@render_application_errors
def task_detail(request: JiedaoRequest, task_id: int) -> HttpResponse:
    return _task_page(request, task_id)


@login_required
@require_POST
@render_application_errors
def task_report(request: JiedaoRequest, task_id: int) -> HttpResponse:
    """The lead unit's "file progress" form. Errors come back on the page, the input kept."""
    user = request.user
    task = selectors.task_get(user=user, task_id=task_id)
    periods = selectors.period_list(task.plan)
    values = {
        key.removeprefix("target_"): str(value)
        for key, value in request.POST.items()
        if key.startswith("target_") and str(value).strip()
    }
    # The form's own reading and the service's checks: every problem at once, each beside its
    # field (``form_errors``), what was typed kept.
    errors = ErrorList()
    number = _int(request.POST.get("period"))
    period = next((p for p in periods if p.number == number), None)
    if period is None:
        errors.add(InvalidInput(_("Choose the period you report for."), field="period"))
    percent_text = str(request.POST.get("percent_complete", "")).strip()
    percent = _int(percent_text)
    if percent_text and percent is None:
        errors.add(
            InvalidInput(
                _("Percent complete must be a whole number between 0 and 100."),
                field="percent_complete",
            )
        )
    target_values: dict[int, Any] = {}
    for key, value in values.items():
        target_id = _int(key)
        if target_id is None:
            errors.add(InvalidInput(_("Unknown target."), field="target_values"))
        else:
            target_values[target_id] = value.strip()
    if period is not None:
        try:
            services.progress_report_create(
                actor=user,
                task=task,
                period=period,
                text=request.POST.get("text", ""),
                percent_complete=percent,
                target_values=target_values,
                attachments=request.FILES.getlist("attachments"),
            )
        except InvalidInput as error:
            errors.add(error)
    if errors or period is None:
        refused = InvalidInput.combine(errors.errors)
        phrases = {str(target.pk): target.phrase for target in task.targets.all()}
        form_errors: dict[str, list[str]] = {}
        for single in refused.errors:
            field = single.field or ""
            message = str(single.message)
            if field.startswith("target_values."):
                # Beside the targets, each named as its input is labelled.
                target = field.removeprefix("target_values.")
                field, message = "targets", f"{phrases.get(target, target)}：{message}"
            elif field not in FORM_FIELDS:
                field = ""
            form_errors.setdefault(field, []).append(message)
        return _task_page(
            request,
            task_id,
            status=refused.status,
            form_error=refused,
            form_errors=form_errors,
            form=request.POST,
        )
    messages.success(request, _("Progress filed for %(period)s.") % {"period": period.label})
    return redirect("supervision:task", task_id=task.pk)


@login_required
@require_POST
@render_application_errors
def task_comment(request: JiedaoRequest, task_id: int) -> HttpResponse:
    user = request.user
    task = selectors.task_get(user=user, task_id=task_id)
    periods = selectors.period_list(task.plan)
    number = _int(request.POST.get("period"))
    period = next((p for p in periods if p.number == number), None)
    try:
        services.comment_create(
            actor=user, task=task, text=request.POST.get("text", ""), period=period
        )
    except InvalidInput as error:
        return _task_page(request, task_id, status=error.status, comment_error=error)
    messages.success(request, _("Comment added."))
    return redirect("supervision:task", task_id=task.pk)


@login_required
@require_POST
@render_application_errors
def task_lead_unit(request: JiedaoRequest, task_id: int) -> HttpResponse:
    """The lead unit by department code, read and saved exactly as the API's
    ``PUT /tasks/{id}/lead-unit`` does; a refused code comes back on the page, nothing saved."""
    user = request.user
    task = selectors.task_get(user=user, task_id=task_id)
    try:
        department = selectors.lead_unit_department(
            user=user, task=task, code=request.POST.get("department_code")
        )
        services.task_assign_lead_unit(actor=user, task=task, department=department)
    except InvalidInput as error:
        return _task_page(request, task_id, status=error.status, lead_unit_error=error)
    messages.success(request, _("Lead unit saved."))
    return redirect("supervision:task", task_id=task.pk)


@login_required
@render_application_errors
def behind_schedule(request: JiedaoRequest) -> HttpResponse:
    """The supervisor's list: tasks behind schedule or overdue, each plan at its period."""
    found = selectors.behind_schedule(user=request.user)
    return render(request, "supervision/behind.html", {"found": found})


@login_required
@render_application_errors
def import_upload(request: JiedaoRequest) -> HttpResponse:
    """Upload → preview (what was read, what could not be) → confirm."""
    user = request.user
    policy.require_manage(user)
    if request.method != "POST":
        return render(request, "supervision/import.html", {})
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidInput(_("Choose a file to import."), code="required", field="file")
        parsed = parse_file(upload.name or "", read_limited(upload))
    except InvalidInput as error:
        return render(request, "supervision/import.html", {"error": error}, status=error.status)
    payload = signing.dumps(
        {"parsed": parsed.as_data(), "file_name": upload.name}, salt=PREVIEW_SALT, compress=True
    )
    return render(
        request,
        "supervision/import_preview.html",
        {
            "parsed": parsed,
            "data": parsed.as_data(),
            "payload": payload,
            "file_name": upload.name,
            "needs_period": parsed.period is None and any(t.progress for t in parsed.tasks),
            "period_choices": range(1, 5),
        },
    )


@login_required
@require_POST
@render_application_errors
def import_confirm(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    policy.require_manage(user)
    try:
        data = signing.loads(
            request.POST.get("payload", ""), salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE
        )
    except signing.BadSignature:
        raise InvalidInput(
            _("The preview has expired or was altered; upload the file again."), field="file"
        ) from None
    parsed = ParsedPlan.from_data(data["parsed"])
    result = services.plan_import(
        actor=user,
        parsed=parsed,
        subdistrict=user.subdistrict,  # type: ignore[arg-type]
        file_name=data["file_name"],
        period_number=_int(request.POST.get("period")),
    )
    if result.already_imported:
        messages.info(request, _("This table was imported before; nothing changed."))
    else:
        messages.success(
            request,
            _("Imported: %(tasks)s tasks created, %(reports)s progress reports.")
            % {"tasks": result.tasks_created, "reports": result.reports_created},
        )
    return redirect("supervision:plan", plan_id=result.plan.pk)


@login_required
@render_application_errors
def export(request: JiedaoRequest, plan_id: int, file_format: str) -> HttpResponse:
    return export_response(
        request,
        plan_id=plan_id,
        period_number=_int(request.GET.get("period")),
        file_format=file_format,
    )


@login_required
@render_application_errors
def attachment(request: JiedaoRequest, attachment_id: int) -> HttpResponse:
    """An attachment, to those who may see its report (attachments are at most a few MB)."""
    found = selectors.attachment_get(user=request.user, attachment_id=attachment_id)
    with found.file.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type=found.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(found.original_name)}"
    return response
