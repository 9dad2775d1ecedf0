"""Writes to key-task supervision: importing plans, filing progress, comments, lead units and
reminders. Every write checks the actor's role and scope and is audited in its transaction."""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, get_in_scope, require, scoped
from jiedao.audit.services import audit_record, snapshot
from jiedao.core.errors import Conflict, ErrorList, InvalidInput
from jiedao.core.localtime import local_today
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.geo.models import Department, Subdistrict

from .importers import ParsedPlan
from .models import (
    Attachment,
    Comment,
    Period,
    Plan,
    PlanImport,
    ProgressReport,
    Reminder,
    Section,
    Target,
    TargetValue,
    Task,
)
from .periods import period_bounds, period_count, period_number_on
from .status import TaskStatus
from .targets import parse_targets, values_reached

DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_REMINDER_DAYS = 7
MAX_TEXT_LENGTH = 5000
# Extension → (content type, how the file must start). Checked on the bytes, not the name alone.
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
}


@dataclass(frozen=True)
class ImportResult:
    plan: Plan
    period: Period | None
    plan_created: bool
    tasks_created: int
    reports_created: int
    already_imported: bool


def attachment_max_bytes() -> int:
    return int(getattr(settings, "SUPERVISION_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES))


def reminder_days() -> int:
    return int(getattr(settings, "SUPERVISION_REMINDER_DAYS", DEFAULT_REMINDER_DAYS))


def department_for_unit(subdistrict: Subdistrict, name: str) -> Department | None:
    """The department a lead unit's name refers to: the same name, or one name containing the
    other (闻堰派出所 / 派出所). Several candidates, or none: no department."""
    name = name.strip()
    if not name:
        return None
    departments = list(Department.objects.filter(subdistrict=subdistrict, is_active=True))
    exact = [department for department in departments if department.name == name]
    if len(exact) == 1:
        return exact[0]
    near = [
        department
        for department in departments
        if len(name) >= 2 and (name in department.name or department.name in name)
    ]
    return near[0] if len(near) == 1 else None


def _periods_create(plan: Plan) -> list[Period]:
    periods = []
    for number in range(1, period_count(plan.period_kind) + 1):
        starts_on, ends_on = period_bounds(plan.period_kind, plan.year, number)
        periods.append(
            Period.objects.create(plan=plan, number=number, starts_on=starts_on, ends_on=ends_on)
        )
    return periods


def _targets_create(task: Task) -> None:
    for position, quantity in enumerate(parse_targets(task.content), start=1):
        Target.objects.create(
            task=task,
            position=position,
            quantity=quantity.quantity,
            unit=quantity.unit,
            subject=quantity.subject[:200],
            comparator=quantity.comparator,
            phrase=quantity.phrase[:300],
        )


def _plan_tasks_match(plan: Plan, parsed: ParsedPlan) -> None:
    existing = {task.sequence: task for task in plan.tasks.all()}
    for parsed_task in parsed.tasks:
        task = existing.get(parsed_task.sequence)
        if task is None or task.content != parsed_task.content:
            raise Conflict(
                _(
                    "The plan “%(plan)s” already exists and its task %(number)s is different. "
                    "Import a table with the same tasks, or rename the plan's title."
                )
                % {"plan": plan.name, "number": parsed_task.sequence},
                code="plan_differs",
                field="file",
            )


def _resolve_period(parsed: ParsedPlan, period_number: int | None) -> tuple[str, int | None]:
    found = parsed.period
    kind = found[0] if found else Plan.PeriodKind.QUARTER
    number = period_number if period_number is not None else (found[1] if found else None)
    if number is not None and not 1 <= number <= period_count(kind):
        raise InvalidInput(
            _("Period %(number)s does not exist: use 1–%(count)s.")
            % {"number": number, "count": period_count(kind)},
            field="period",
        )
    if number is None and any(task.progress for task in parsed.tasks):
        raise InvalidInput(
            _(
                "The title does not say which quarter or month the progress belongs to "
                "(e.g. 第三季度). Choose the period and import again."
            ),
            code="period_unknown",
            field="period",
        )
    return kind, number


@transaction.atomic
def plan_import(
    *,
    actor: Any,
    parsed: ParsedPlan,
    subdistrict: Subdistrict,
    file_name: str,
    period_number: int | None = None,
) -> ImportResult:
    """Import a parsed plan table, all or nothing.

    A new title creates the plan with its periods, sections, tasks (targets parsed from the
    content, lead units matched to departments by name) and the table's progress as reports of
    its period. The same plan imported for another period adds that period's reports; the same
    table twice changes nothing.
    """
    require(actor, "supervision.manage")
    if not parsed.tasks:
        raise InvalidInput(_("The table has no tasks."), code="no_tasks", field="file")
    year = parsed.year
    if year is None:
        raise InvalidInput(
            _("The title names no year (e.g. 2023年), so the plan's periods are unknown."),
            code="year_unknown",
            field="file",
        )
    kind, number = _resolve_period(parsed, period_number)
    content_hash = hashlib.sha256(f"{parsed.content_hash()}:{kind}:{number}".encode()).hexdigest()
    previous = PlanImport.objects.filter(
        plan__subdistrict=subdistrict, content_hash=content_hash
    ).select_related("plan", "period")
    if previous.exists():
        done = previous.get()
        return ImportResult(done.plan, done.period, False, 0, 0, already_imported=True)
    name = parsed.name[:300] or _("Key tasks %(year)s") % {"year": year}
    plan = Plan.objects.select_for_update().filter(subdistrict=subdistrict, name=name).first()
    plan_created = plan is None
    tasks_created = 0
    if plan is None:
        plan = model_create(
            model=Plan,
            data={
                "subdistrict": subdistrict,
                "name": name,
                "title_pattern": parsed.title_pattern[:300],
                "year": year,
                "period_kind": kind,
                "issuing_body": parsed.issuing_body,
                "topic": parsed.topic,
            },
            actor=actor,
            action="supervision.plan.create",
        )
        _periods_create(plan)
        for position, parsed_section in enumerate(parsed.sections, start=1):
            section = (
                Section.objects.create(plan=plan, position=position, name=parsed_section.name)
                if parsed_section.name
                else None
            )
            for parsed_task in parsed_section.tasks:
                task = Task.objects.create(
                    plan=plan,
                    section=section,
                    sequence=parsed_task.sequence,
                    category=parsed_task.category[:200],
                    content=parsed_task.content,
                    lead_leader=parsed_task.lead_leader[:100],
                    lead_unit=department_for_unit(subdistrict, parsed_task.lead_unit),
                    lead_unit_name=parsed_task.lead_unit[:200],
                    cooperating_units=parsed_task.cooperating_units[:300],
                    deadline=parsed_task.deadline or date(year, 12, 31),
                )
                _targets_create(task)
                tasks_created += 1
    elif plan.period_kind != kind:
        raise Conflict(
            _("The plan “%(plan)s” reports by %(kind)s; this table does not.")
            % {"plan": plan.name, "kind": plan.get_period_kind_display()},
            code="plan_differs",
            field="file",
        )
    else:
        _plan_tasks_match(plan, parsed)
    period = plan.periods.get(number=number) if number is not None else None
    reports_created = 0
    if period is not None:
        model_update(
            instance=period,
            data={
                "index_number": parsed.index_number[:100],
                "written_on": parsed.written_on,
                "published_at": parsed.published_at,
            },
            actor=actor,
            action="supervision.period.update",
        )
        tasks = {task.sequence: task for task in plan.tasks.prefetch_related("targets")}
        for parsed_task in parsed.tasks:
            task = tasks[parsed_task.sequence]
            if not parsed_task.progress:
                continue
            if task.reports.filter(period=period, text=parsed_task.progress).exists():
                continue
            _report_write(
                actor=actor,
                task=task,
                period=period,
                text=parsed_task.progress,
                percent_complete=None,
                target_values=values_reached(
                    [(target.pk, target.unit, target.subject) for target in task.targets.all()],
                    parsed_task.progress,
                    content=task.content,
                ),
                source=ProgressReport.Source.IMPORT,
                is_synthetic=False,
                reported_at=parsed.published_at,
            )
            reports_created += 1
    record = PlanImport.objects.create(
        plan=plan,
        period=period,
        content_hash=content_hash,
        file_name=file_name[:200],
        file_format=parsed.source_format,
        task_count=len(parsed.tasks),
        report_count=reports_created,
        imported_by=actor if actor is not SYSTEM else None,
        imported_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action="supervision.plan.import",
        target=record,
        after={
            **snapshot(record),
            "tasks_created": tasks_created,
            "reports_created": reports_created,
        },
    )
    return ImportResult(plan, period, plan_created, tasks_created, reports_created, False)


def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            _("“%(value)s” is not a number.") % {"value": value}, field=field
        ) from None
    if not number.is_finite() or number < 0 or number >= Decimal("1e12"):
        raise InvalidInput(
            _("“%(value)s” is not a value between 0 and 10¹².") % {"value": value}, field=field
        )
    return number.quantize(Decimal("0.01"))


def _report_write(
    *,
    actor: Any,
    task: Task,
    period: Period,
    text: str,
    percent_complete: int | None,
    target_values: dict[int, Decimal],
    source: str,
    is_synthetic: bool,
    reported_at: datetime | None = None,
) -> ProgressReport:
    report = ProgressReport.objects.create(
        task=task,
        period=period,
        text=text,
        percent_complete=percent_complete,
        source=source,
        is_synthetic=is_synthetic,
        reported_by=actor if actor is not SYSTEM else None,
        reported_at=reported_at or timezone.now(),
    )
    for target_id, value in target_values.items():
        TargetValue.objects.create(report=report, target_id=target_id, value=value)
    Reminder.objects.filter(task=task, period=period).delete()
    audit_record(
        actor=actor,
        action="supervision.report.create",
        target=report,
        after={**snapshot(report), "target_values": {str(k): v for k, v in target_values.items()}},
    )
    return report


def _validated_upload(upload: UploadedFile, field: str) -> tuple[str, str]:
    name = (upload.name or "").rsplit("/", 1)[-1]
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ATTACHMENT_TYPES:
        raise InvalidInput(
            _(
                "“%(name)s” is not an accepted file type: attach PDF, JPEG, PNG, Word or Excel files."
            )
            % {"name": name},
            code="file_type",
            field=field,
        )
    size = upload.size or 0
    if size > attachment_max_bytes():
        raise InvalidInput(
            _("“%(name)s” is %(size)s MB; attachments may be up to %(limit)s MB.")
            % {
                "name": name,
                "size": f"{size / 1024 / 1024:.1f}",
                "limit": f"{attachment_max_bytes() / 1024 / 1024:.0f}",
            },
            code="too_large",
            field=field,
        )
    content_type, signatures = ATTACHMENT_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise InvalidInput(
            _("“%(name)s” does not contain what its name says (%(extension)s).")
            % {"name": name, "extension": extension},
            code="file_type",
            field=field,
        )
    return name, content_type


@transaction.atomic
def progress_report_create(
    *,
    actor: Any,
    task: Task,
    period: Period,
    text: str,
    percent_complete: int | None = None,
    target_values: dict[int, Any] | None = None,
    attachments: Sequence[UploadedFile] = (),
    is_synthetic: bool = False,
    reported_at: datetime | None = None,
) -> ProgressReport:
    """The lead unit files progress for a period that has begun: text, optionally the values
    its targets have reached (cumulative) or a percent complete, and attachments."""
    require(actor, "supervision.report")
    task = get_in_scope(actor, Task.objects.select_related("plan"), pk=task.pk)
    if task.lead_unit_id is None:
        raise Conflict(
            _("This task has no lead unit in Jiedao yet; a supervisor must assign one first."),
            code="no_lead_unit",
        )
    if period.plan_id != task.plan_id:
        raise InvalidInput(_("The period belongs to another plan."), field="period")
    # Every field is checked and all that is wrong reported at once, before anything is written.
    errors = ErrorList()
    if period.starts_on > local_today():
        errors.add(
            InvalidInput(
                _("%(period)s has not begun yet; progress can be filed from %(date)s.")
                % {"period": period.label, "date": period.starts_on.isoformat()},
                code="period_not_started",
                field="period",
            )
        )
    text = errors.check(
        lambda: clean_text(
            text,
            field="text",
            label=_("Measures taken and progress"),
            max_length=MAX_TEXT_LENGTH,
            required=True,
        ),
        "",
    )
    if percent_complete is not None and not 0 <= percent_complete <= 100:
        errors.add(
            InvalidInput(_("Percent complete must be between 0 and 100."), field="percent_complete")
        )
    target_ids = set(task.targets.values_list("pk", flat=True))
    values: dict[int, Decimal] = {}
    for target_id, value in (target_values or {}).items():
        if int(target_id) not in target_ids:
            errors.add(
                InvalidInput(
                    _("Target %(id)s does not belong to this task.") % {"id": target_id},
                    field="target_values",
                )
            )
            continue
        if value is None or value == "":
            continue
        number: Decimal | None = errors.check(
            partial(_decimal, value, f"target_values.{target_id}"), None
        )
        if number is not None:
            values[int(target_id)] = number
    for upload in attachments:
        errors.check(partial(_validated_upload, upload, "attachments"), None)
    errors.raise_any()
    report = _report_write(
        actor=actor,
        task=task,
        period=period,
        text=text,
        percent_complete=percent_complete,
        target_values=values,
        source=ProgressReport.Source.DEMO if is_synthetic else ProgressReport.Source.FORM,
        is_synthetic=is_synthetic,
        reported_at=reported_at,
    )
    _attachments_save(actor=actor, report=report, uploads=attachments)
    return report


def _attachments_save(
    *, actor: Any, report: ProgressReport, uploads: Sequence[UploadedFile]
) -> None:
    checked = [(upload, *_validated_upload(upload, "attachments")) for upload in uploads]
    for upload, name, content_type in checked:
        attachment = Attachment(
            report=report,
            original_name=name[:200],
            content_type=content_type,
            size=upload.size or 0,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        audit_record(
            actor=actor,
            action="supervision.attachment.create",
            target=attachment,
            after={**snapshot(attachment, exclude=("file",)), "file": attachment.file.name},
        )


@transaction.atomic
def attachment_add(*, actor: Any, report: ProgressReport, upload: UploadedFile) -> ProgressReport:
    """Attach one more file to a report of the actor's department."""
    require(actor, "supervision.report")
    report = get_in_scope(
        actor, ProgressReport.objects.select_related("task", "period"), pk=report.pk
    )
    _attachments_save(actor=actor, report=report, uploads=[upload])
    return report


@transaction.atomic
def comment_create(*, actor: Any, task: Task, text: str, period: Period | None = None) -> Comment:
    """A supervisor's remark on a task, shown in its timeline."""
    require(actor, "supervision.comment")
    task = get_in_scope(actor, Task.objects.all(), pk=task.pk)
    text = clean_text(
        text,
        field="text",
        label=_("Supervisor's comment"),
        max_length=MAX_TEXT_LENGTH,
        required=True,
    )
    if period is not None and period.plan_id != task.plan_id:
        raise InvalidInput(_("The period belongs to another plan."), field="period")
    comment = model_create(
        model=Comment,
        data={
            "task": task,
            "period": period,
            "author": actor,
            "text": text,
            "created_at": timezone.now(),
        },
        actor=actor,
        action="supervision.comment.create",
    )
    return comment


@transaction.atomic
def task_assign_lead_unit(*, actor: Any, task: Task, department: Department | None) -> Task:
    """Make a department the task's lead unit (or none), so that its staff can report."""
    require(actor, "supervision.manage")
    task = get_in_scope(actor, Task.objects.select_for_update().select_related("plan"), pk=task.pk)
    if department is not None and department.subdistrict_id != task.plan.subdistrict_id:
        raise InvalidInput(_("The department belongs to another subdistrict."), field="department")
    data: dict[str, Any] = {"lead_unit": department}
    if department is not None:
        data["lead_unit_name"] = department.name
    model_update(instance=task, data=data, actor=actor, action="supervision.task.assign_lead_unit")
    return task


@transaction.atomic
def reminders_send(
    *, actor: Any, today: date | None = None, days_before: int | None = None
) -> list[Reminder]:
    """Remind lead units whose report for the current period is missing, ``days_before`` days
    (``SUPERVISION_REMINDER_DAYS``, 7 unless set) or fewer before the period closes. A task is
    reminded once per period; tasks already done are left alone."""
    from .selectors import task_rows

    require(actor, "supervision.manage")
    today = today or local_today()
    days = reminder_days() if days_before is None else days_before
    created: list[Reminder] = []
    for plan in scoped(actor, Plan.objects.filter(year=today.year)):
        period = plan.periods.get(number=period_number_on(plan.period_kind, today))
        if (period.ends_on - today).days > days:
            continue
        for row in task_rows(user=SYSTEM, plan=plan, as_of=today):
            task = row.task
            if task.lead_unit_id is None or row.status.status == TaskStatus.DONE:
                continue
            if any(report.period_id == period.pk for report in row.reports):
                continue
            reminder, was_created = Reminder.objects.get_or_create(
                task=task,
                period=period,
                defaults={
                    "department_id": task.lead_unit_id,
                    "due_on": period.ends_on,
                    "created_at": timezone.now(),
                },
            )
            if was_created:
                audit_record(
                    actor=actor,
                    action="supervision.reminder.create",
                    target=reminder,
                    after=snapshot(reminder),
                )
                created.append(reminder)
    return created
