"""The key-task supervision API: plans, tasks with derived status, progress reports, comments,
imports and the disclosure table's downloads."""

from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from jiedao.core.errors import InvalidInput
from jiedao.core.http import JiedaoRequest

from . import policy, selectors, services
from .exporters import CONTENT_TYPES, EXPORTERS, disclosure_table
from .importers import parse_file, read_limited
from .models import Comment, Period, Plan, ProgressReport
from .schemas import (
    BehindOut,
    CommentIn,
    CommentOut,
    ImportOut,
    LeadUnitIn,
    PlanDetailOut,
    PlanOut,
    ReminderOut,
    ReportIn,
    ReportOut,
    TaskDetailOut,
    TaskOut,
)
from .selectors import TaskRow
from .status import StatusResult, TaskStatus

router = Router(tags=["supervision"])


def status_out(status: StatusResult) -> dict[str, Any]:
    return {
        "status": status.status.value,
        "label": str(TaskStatus(status.status).label),
        "progress_percent": status.progress_percent,
        "expected_percent": status.expected_percent,
    }


def task_out(row: TaskRow) -> dict[str, Any]:
    task = row.task
    return {
        "id": task.pk,
        "sequence": task.sequence,
        "section": task.section.name if task.section else "",
        "category": task.category,
        "content": task.content,
        "lead_leader": task.lead_leader,
        "lead_unit": task.lead_unit_label,
        "lead_unit_code": task.lead_unit.code if task.lead_unit else None,
        "cooperating_units": task.cooperating_units,
        "deadline": task.deadline,
        "status": status_out(row.status),
        "period_progress": row.period_report.text if row.period_report else "",
    }


def report_out(report: ProgressReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "task_id": report.task_id,
        "period": report.period.number,
        "text": report.text,
        "percent_complete": report.percent_complete,
        "target_values": {str(value.target_id): value.value for value in report.values.all()},
        "source": report.source,
        "is_synthetic": report.is_synthetic,
        "reported_by": report.reported_by.display_name if report.reported_by else None,
        "reported_at": report.reported_at,
        "attachments": [
            {
                "id": attachment.pk,
                "name": attachment.original_name,
                "content_type": attachment.content_type,
                "size": attachment.size,
                "url": reverse("supervision:attachment", args=[attachment.pk]),
            }
            for attachment in report.attachments.all()
        ],
    }


def comment_out(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "task_id": comment.task_id,
        "period": comment.period.number if comment.period else None,
        "author": comment.author.display_name,
        "text": comment.text,
        "created_at": comment.created_at,
    }


def plan_out(plan: Plan, task_count: int) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "name": plan.name,
        "year": plan.year,
        "period_kind": plan.period_kind,
        "issuing_body": plan.issuing_body,
        "topic": plan.topic,
        "task_count": task_count,
    }


def period_out(period: Period) -> dict[str, Any]:
    return {
        "id": period.pk,
        "number": period.number,
        "label": str(period.label),
        "chinese_label": period.chinese_label,
        "starts_on": period.starts_on,
        "ends_on": period.ends_on,
        "index_number": period.index_number,
        "written_on": period.written_on,
        "published_at": period.published_at,
    }


def _period(plan: Plan, periods: list[Period], number: int | None) -> Period:
    if number is None:
        return selectors.default_period(plan, periods)
    for period in periods:
        if period.number == number:
            return period
    raise InvalidInput(
        _("Period %(number)s does not exist: use 1–%(count)s.")
        % {"number": number, "count": len(periods)},
        field="period",
    )


@router.get("/plans", response=list[PlanOut], summary="Plans you can see")
def list_plans(request: JiedaoRequest) -> list[dict[str, Any]]:
    user = request.user
    return [
        plan_out(plan, len(selectors.task_rows(user=user, plan=plan, as_of=plan_date(plan))))
        for plan in selectors.plan_list(user=user)
    ]


def plan_date(plan: Plan) -> Any:
    periods = selectors.period_list(plan)
    return selectors.as_of_for(selectors.default_period(plan, periods))


class TaskFilter(Schema):
    period: int | None = Field(None, description="Status at the end of this period (or today)")
    status: str = Field("", description="done, on_schedule, behind, not_started or overdue")
    section: int | None = Field(None, description="Section id")


@router.get("/plans/{plan_id}", response=PlanDetailOut, summary="A plan with its tasks' status")
def plan_detail(request: JiedaoRequest, plan_id: int, filters: Query[TaskFilter]) -> dict[str, Any]:
    user = request.user
    plan = selectors.plan_get(user=user, plan_id=plan_id)
    periods = selectors.period_list(plan)
    period = _period(plan, periods, filters.period)
    if filters.status and filters.status not in TaskStatus.values:
        raise InvalidInput(
            _("Unknown status “%(status)s”; use one of %(known)s.")
            % {"status": filters.status, "known": ", ".join(TaskStatus.values)},
            field="status",
        )
    as_of = selectors.as_of_for(period)
    all_rows = selectors.task_rows(user=user, plan=plan, as_of=as_of, period=period)
    rows = [
        row
        for row in all_rows
        if (not filters.status or row.status.status == filters.status)
        and (not filters.section or row.task.section_id == filters.section)
    ]
    return {
        **plan_out(plan, len(all_rows)),
        "periods": [period_out(p) for p in periods],
        "as_of": as_of,
        "period": period.number,
        "status_counts": {
            status: count for status, _label, count in selectors.status_counts(all_rows)
        },
        "tasks": [task_out(row) for row in rows],
    }


@router.get("/tasks/{task_id}", response=TaskDetailOut, summary="A task with reports and comments")
def task_detail(request: JiedaoRequest, task_id: int) -> dict[str, Any]:
    detail = selectors.task_detail(user=request.user, task_id=task_id)
    row = TaskRow(task=detail.task, status=detail.status, reports=[])
    return {
        **task_out(row),
        "plan_id": detail.task.plan_id,
        "targets": [
            {
                "id": item.target.pk,
                "phrase": item.target.phrase,
                "quantity": item.target.quantity,
                "unit": item.target.unit,
                "subject": item.target.subject,
                "comparator": item.target.comparator,
                "reached": item.value,
            }
            for item in detail.targets
        ],
        "reports": [report_out(e.report) for e in detail.timeline if e.report is not None],
        "comments": [comment_out(e.comment) for e in detail.timeline if e.comment is not None],
    }


@router.get("/tasks/{task_id}/reports", response=list[ReportOut], summary="Progress reports")
def list_reports(request: JiedaoRequest, task_id: int) -> list[dict[str, Any]]:
    detail = selectors.task_detail(user=request.user, task_id=task_id)
    return [report_out(e.report) for e in detail.timeline if e.report is not None]


@router.post(
    "/tasks/{task_id}/reports", response={201: ReportOut}, summary="File progress (lead unit)"
)
def create_report(
    request: JiedaoRequest, task_id: int, payload: ReportIn
) -> Status[dict[str, Any]]:
    """The lead unit's staff file progress for a period that has begun. Target values are
    cumulative: what has been reached so far."""
    user = request.user
    task = selectors.task_get(user=user, task_id=task_id)
    period = _period(task.plan, selectors.period_list(task.plan), payload.period)
    report = services.progress_report_create(
        actor=user,
        task=task,
        period=period,
        text=payload.text,
        percent_complete=payload.percent_complete,
        target_values=dict(payload.target_values),
    )
    return Status(201, report_out(report))


@router.post(
    "/reports/{report_id}/attachments",
    response={201: ReportOut},
    summary="Attach a file to your report",
)
def add_attachment(
    request: JiedaoRequest, report_id: int, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    """PDF, JPEG, PNG, Word or Excel, up to SUPERVISION_ATTACHMENT_MAX_BYTES (10 MB)."""
    report = services.attachment_add(
        actor=request.user,
        report=selectors.report_get(user=request.user, report_id=report_id),
        upload=file,
    )
    return Status(201, report_out(report))


@router.post(
    "/tasks/{task_id}/comments", response={201: CommentOut}, summary="Comment (supervisor)"
)
def create_comment(
    request: JiedaoRequest, task_id: int, payload: CommentIn
) -> Status[dict[str, Any]]:
    user = request.user
    task = selectors.task_get(user=user, task_id=task_id)
    period = (
        _period(task.plan, selectors.period_list(task.plan), payload.period)
        if payload.period is not None
        else None
    )
    comment = services.comment_create(actor=user, task=task, text=payload.text, period=period)
    return Status(201, comment_out(comment))


@router.put("/tasks/{task_id}/lead-unit", response=TaskOut, summary="Assign the lead unit")
def assign_lead_unit(request: JiedaoRequest, task_id: int, payload: LeadUnitIn) -> dict[str, Any]:
    user = request.user
    task = selectors.task_get(user=user, task_id=task_id)
    department = selectors.lead_unit_department(user=user, task=task, code=payload.department_code)
    task = services.task_assign_lead_unit(actor=user, task=task, department=department)
    detail = selectors.task_detail(user=user, task_id=task.pk)
    return task_out(TaskRow(task=detail.task, status=detail.status, reports=[]))


@router.get("/behind-schedule", response=list[BehindOut], summary="Tasks behind schedule")
def behind_schedule(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [
        {"plan_id": plan.pk, "plan": plan.name, "period": period.number, "task": task_out(row)}
        for plan, period, row in selectors.behind_schedule(user=request.user)
    ]


@router.get("/reminders", response=list[ReminderOut], summary="Open reminders")
def list_reminders(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": reminder.pk,
            "task_id": reminder.task_id,
            "task": str(reminder.task),
            "plan_id": reminder.task.plan_id,
            "period": reminder.period.number,
            "department": reminder.department.name,
            "due_on": reminder.due_on,
        }
        for reminder in selectors.reminder_list(user=request.user)
    ]


@router.post("/imports", response=ImportOut, summary="Import a plan table")
def import_plan(
    request: JiedaoRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    period: Form[int | None] = None,
) -> dict[str, Any]:
    """Plain text, HTML, .docx or .xlsx. With ``dry_run`` the parsed plan is returned and
    nothing is written; otherwise the import is all or nothing, and the same table twice
    changes nothing."""
    user = request.user
    policy.require_manage(user)
    parsed = parse_file(file.name or "", read_limited(file))
    result: dict[str, Any] = {"dry_run": dry_run, "parsed": parsed.as_data()}
    if dry_run:
        return result
    done = services.plan_import(
        actor=user,
        parsed=parsed,
        subdistrict=user.subdistrict,  # type: ignore[arg-type]
        file_name=file.name or "upload",
        period_number=period,
    )
    return {
        **result,
        "plan_id": done.plan.pk,
        "plan_created": done.plan_created,
        "tasks_created": done.tasks_created,
        "reports_created": done.reports_created,
        "already_imported": done.already_imported,
    }


@router.get("/plans/{plan_id}/export", summary="Download the disclosure table")
def export(
    request: JiedaoRequest, plan_id: int, period: int | None = None, format: str = "docx"
) -> HttpResponse:
    """The public disclosure table of a period as ``docx``, ``xlsx``, ``pdf`` or ``html``."""
    return export_response(request, plan_id=plan_id, period_number=period, file_format=format)


def export_response(
    request: JiedaoRequest, *, plan_id: int, period_number: int | None, file_format: str
) -> HttpResponse:
    """Shared by the API and the page's download buttons."""
    user = request.user
    selectors.require_export(user)
    if file_format not in (*EXPORTERS, "html"):
        raise InvalidInput(
            _("Unknown format “%(format)s”: use docx, xlsx, pdf or html.")
            % {"format": file_format},
            code="unknown_format",
            field="format",
        )
    plan = selectors.plan_get(user=user, plan_id=plan_id)
    period = _period(plan, selectors.period_list(plan), period_number)
    table = disclosure_table(user=user, plan=plan, period=period)
    if file_format == "html":
        return render(request, "supervision/disclosure.html", {"table": table, "plan": plan})
    response = HttpResponse(EXPORTERS[file_format](table), content_type=CONTENT_TYPES[file_format])
    filename = f"{table.file_stem}.{file_format}"
    response["Content-Disposition"] = (
        f"attachment; filename=\"disclosure.{file_format}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
