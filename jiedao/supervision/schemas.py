from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import Field


class PeriodOut(Schema):
    id: int
    number: int
    label: str
    chinese_label: str
    starts_on: date
    ends_on: date
    index_number: str
    written_on: date | None
    published_at: datetime | None


class PlanOut(Schema):
    id: int
    name: str
    year: int
    period_kind: str
    issuing_body: str
    topic: str
    task_count: int


class StatusOut(Schema):
    status: str
    label: str
    progress_percent: int | None = Field(description="Measured progress; null when unknown")
    expected_percent: int = Field(description="Elapsed share of the task's time (序时进度)")


class TargetOut(Schema):
    id: int
    phrase: str
    quantity: Decimal
    unit: str
    subject: str
    comparator: str
    reached: Decimal | None


class TaskOut(Schema):
    id: int
    sequence: int
    section: str
    category: str
    content: str
    lead_leader: str
    lead_unit: str
    lead_unit_code: str | None
    cooperating_units: str
    deadline: date
    status: StatusOut
    period_progress: str = Field(description="The latest report of the period asked for")


class PlanDetailOut(PlanOut):
    periods: list[PeriodOut]
    as_of: date
    period: int
    status_counts: dict[str, int]
    tasks: list[TaskOut]


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class ReportOut(Schema):
    id: int
    task_id: int
    period: int
    text: str
    percent_complete: int | None
    target_values: dict[str, Decimal]
    source: str
    is_synthetic: bool
    reported_by: str | None
    reported_at: datetime
    attachments: list[AttachmentOut]


class CommentOut(Schema):
    id: int
    task_id: int
    period: int | None
    author: str
    text: str
    created_at: datetime


class TaskDetailOut(TaskOut):
    plan_id: int
    targets: list[TargetOut]
    reports: list[ReportOut]
    comments: list[CommentOut]


class ReportIn(Schema):
    period: int = Field(description="Number of the period: 1–4 for quarters, 1–12 for months")
    text: str = Field(max_length=5000)
    percent_complete: int | None = Field(None, ge=0, le=100)
    target_values: dict[int, Decimal] = Field(
        default_factory=dict, description="Target id → value reached so far (cumulative)"
    )


class CommentIn(Schema):
    text: str = Field(max_length=5000)
    period: int | None = None


class LeadUnitIn(Schema):
    department_code: str | None = Field(None, description="Department code; null clears it")


class ImportOut(Schema):
    dry_run: bool
    parsed: dict[str, Any]
    plan_id: int | None = None
    plan_created: bool = False
    tasks_created: int = 0
    reports_created: int = 0
    already_imported: bool = False


class ReminderOut(Schema):
    id: int
    task_id: int
    task: str
    plan_id: int
    period: int
    department: str
    due_on: date


class BehindOut(Schema):
    plan_id: int
    plan: str
    period: int
    task: TaskOut
