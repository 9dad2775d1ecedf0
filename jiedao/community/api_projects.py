"""The API of a funded project's milestones and progress reports: the same services and
selectors as the project's page."""

from datetime import date
from typing import Any

from ninja import Field, Router, Schema, Status

from jiedao.core.http import JiedaoRequest
from jiedao.core.localtime import local_today

from . import grants, projects
from . import selectors_projects as reads
from .models import GrantApplication, Milestone, ProgressReport

router = Router(tags=["community"])


class MilestoneIn(Schema):
    title: str
    due_on: str = Field(description="YYYY-MM-DD, not before the agreement was signed")
    note: str = ""


class MilestoneDoneIn(Schema):
    done_on: str = Field(description="YYYY-MM-DD, not a day to come")
    note: str = ""


class ProgressIn(Schema):
    text: str
    reported_on: str = Field("", description="YYYY-MM-DD, today when empty")


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done_on: date | None
    note: str


class ProgressOut(Schema):
    id: int
    reported_on: date
    text: str


class ProjectOut(Schema):
    id: int
    organisation: str
    title: str
    status: str
    signed_on: date | None
    first_tranche_due: date | None
    first_tranche_flag: str = Field(description="late, due_soon or empty")
    tranches_paid: int
    milestones: list[MilestoneOut]
    progress_reports: list[ProgressOut]


def milestone_out(milestone: Milestone) -> dict[str, Any]:
    return {
        "id": milestone.pk,
        "title": milestone.title,
        "due_on": milestone.due_on,
        "done_on": milestone.done_on,
        "note": milestone.note,
    }


def progress_out(report: ProgressReport) -> dict[str, Any]:
    return {"id": report.pk, "reported_on": report.reported_on, "text": report.text}


def project_out(application: GrantApplication) -> dict[str, Any]:
    paid: int = application.tranches_paid  # type: ignore[attr-defined]
    signed_on = application.signed_on
    return {
        "id": application.pk,
        "organisation": application.organisation.name,
        "title": application.title,
        "status": application.status,
        "signed_on": signed_on,
        "first_tranche_due": grants.first_tranche_due(signed_on) if signed_on else None,
        "first_tranche_flag": grants.first_tranche_flag(
            signed_on=signed_on, tranches_paid=paid, today=local_today()
        ),
        "tranches_paid": paid,
        "milestones": [milestone_out(m) for m in application.milestones.all()],
        "progress_reports": [progress_out(r) for r in application.progress_reports.all()],
    }


@router.get("/projects/{application_id}", response=ProjectOut, summary="A funded project")
def get_project(request: JiedaoRequest, application_id: int) -> dict[str, Any]:
    return project_out(reads.project_get(user=request.user, application_id=application_id))


@router.post(
    "/projects/{application_id}/milestones",
    response={201: MilestoneOut},
    summary="Plan a milestone of one's own project",
)
def plan_milestone(
    request: JiedaoRequest, application_id: int, payload: MilestoneIn
) -> Status[dict[str, Any]]:
    user = request.user
    milestone = projects.milestone_plan(
        actor=user,
        application=reads.project_get(user=user, application_id=application_id),
        title=payload.title,
        due_on=payload.due_on,
        note=payload.note,
    )
    return Status(201, milestone_out(milestone))


@router.post(
    "/milestones/{milestone_id}/done", response=MilestoneOut, summary="Mark a milestone as done"
)
def mark_milestone_done(
    request: JiedaoRequest, milestone_id: int, payload: MilestoneDoneIn
) -> dict[str, Any]:
    user = request.user
    milestone = projects.milestone_done(
        actor=user,
        milestone=reads.milestone_get(user=user, milestone_id=milestone_id),
        done_on=payload.done_on,
        note=payload.note,
    )
    return milestone_out(milestone)


@router.post(
    "/projects/{application_id}/progress",
    response={201: ProgressOut},
    summary="Report a project's progress",
)
def report_progress(
    request: JiedaoRequest, application_id: int, payload: ProgressIn
) -> Status[dict[str, Any]]:
    user = request.user
    report = projects.progress_report(
        actor=user,
        application=reads.project_get(user=user, application_id=application_id),
        text=payload.text,
        reported_on=payload.reported_on,
    )
    return Status(201, progress_out(report))
