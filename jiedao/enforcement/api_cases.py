"""The cases API (mounted under the enforcement router): the list with its running clocks, one
case's file, opening a case, the simple procedure and every move of the table — the services
and selectors the pages call."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from ninja import Router, Schema, Status
from pydantic import Field

from jiedao.core.http import JiedaoRequest

from . import selectors_cases as selectors
from . import selectors_reviewers, services
from .models import Case, LegalReviewer
from .schemas import MAX_ID
from .selectors_disclosure import case_disclosure_flag
from .services.documents import case_document_file
from .views_cases import document_response

router = Router(tags=["enforcement cases"])


class CaseIn(Schema):
    title: str
    target_id: int | None = Field(None, ge=1, le=MAX_ID)
    event_number: str = Field("", description="Start from this event")
    rectification_id: int | None = Field(None, ge=1, le=MAX_ID, description="…or this finding")
    facts: str = ""
    grave: bool = Field(False, description="Life, health or finance involved: 5-year limitation")
    needs_review: bool = Field(True, description="法制审核 required before the decision")


class CaseSimpleIn(Schema):
    target_id: int = Field(ge=1, le=MAX_ID)
    title: str
    facts: str
    basis: str
    penalty_kind: str = Field(description="warning or fine")
    fine: Decimal | None = Field(None, description="元; at most 200 (citizen) or 3,000")
    violation_type: str = Field("", description="违法行为类型")


class CaseStepIn(Schema):
    action: str = Field(description="A move of the case table from the case's status")
    note: str = Field("", description="The note; for approve and return the review opinion")
    occurred_on: date | None = None
    facts: str = ""
    basis: str = ""
    proposed_fine: Decimal | None = None
    days: int | None = Field(None, description="Days of extension")
    hearing_on: date | None = None
    outcome: str = Field("", description="penalty, no_penalty or transfer")
    penalty_kind: str = ""
    fine: Decimal | None = None
    paid_on: date | None = None
    violation_type: str = Field("", description="违法行为类型 (with the facts or the decision)")
    penalty_content: str = Field("", description="处罚内容 (at the decision; default: the penalty)")


class CaseOut(Schema):
    id: int
    title: str
    procedure: str
    status: str
    source: str
    target: str
    department: str
    event: str | None
    rectification_id: int | None
    fine: Decimal | None
    surcharge: Decimal | None
    decision_number: str = Field(description="The decision's 文号 once decided")
    clock: str
    clock_due_at: datetime | None
    clock_level: str
    violation_type: str
    penalty_content: str
    disclosure: str = Field(description="双公示: blank, pending, published or withdrawn")
    disclosure_due_on: date | None
    disclosure_late: bool


class ClockOut(Schema):
    name: str
    due_at: datetime
    done_at: datetime | None
    level: str = Field(description="none, yellow, red while running; met or late once done")


class StepOut(Schema):
    action: str
    from_status: str
    to_status: str
    note: str
    at: datetime


class CaseDetailOut(CaseOut):
    clocks: list[ClockOut]
    steps: list[StepOut]
    moves: list[str]


def case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "title": case.title,
        "procedure": case.procedure,
        "status": case.status,
        "source": case.source,
        "target": case.target.name,
        "department": case.department.name,
        "event": case.event.number if case.event_id and case.event else None,
        "rectification_id": case.rectification_id,
        "fine": case.fine,
        "surcharge": case.surcharge,
        "decision_number": case.decision_number,
        "clock": case.clock,
        "clock_due_at": case.clock_due_at,
        "clock_level": selectors.case_level(case),
        "violation_type": case.violation_type,
        "penalty_content": case.penalty_content,
        "disclosure": case.disclosure,
        "disclosure_due_on": case.disclosure_due_on,
        "disclosure_late": case_disclosure_flag(case) == "late",
    }


def detail_out(user: Any, case_id: int) -> dict[str, Any]:
    case = selectors.case_get(user=user, case_id=case_id)
    return case_out(case) | {
        "clocks": [
            {"name": c.name, "due_at": c.due_at, "done_at": c.done_at, "level": c.level}
            for c in selectors.case_clock_views(case)
        ],
        "steps": [
            {
                "action": s.action,
                "from_status": s.from_status,
                "to_status": s.to_status,
                "note": s.note,
                "at": s.at,
            }
            for s in selectors.case_steps(case)
        ],
        "moves": selectors.case_moves(user, case),
    }


@router.get("/cases", response=list[CaseOut], summary="Penalty cases with their running clock")
def cases(
    request: JiedaoRequest,
    status: str = "",
    level: str = "",
    disclosure: str = "",
    to_review: bool = False,
) -> list[dict[str, Any]]:
    rows = selectors.case_list(
        user=request.user, status=status, level=level, disclosure=disclosure, to_review=to_review
    )
    return [case_out(case) for case in rows.select_related("event")]


@router.post("/cases", response={201: CaseDetailOut}, summary="Open a case (线索)")
def case_open(request: JiedaoRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    case = services.case_open(actor=request.user, **payload.model_dump())
    return Status(201, detail_out(request.user, case.pk))


@router.post(
    "/cases/simple", response={201: CaseDetailOut}, summary="Penalty on the spot (当场处罚)"
)
def case_simple(request: JiedaoRequest, payload: CaseSimpleIn) -> Status[dict[str, Any]]:
    case = services.case_simple(actor=request.user, **payload.model_dump())
    return Status(201, detail_out(request.user, case.pk))


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="One case's file")
def case_detail(request: JiedaoRequest, case_id: int) -> dict[str, Any]:
    return detail_out(request.user, case_id)


@router.post("/cases/{case_id}/steps", response=CaseDetailOut, summary="A move of the case")
def case_step(request: JiedaoRequest, case_id: int, payload: CaseStepIn) -> dict[str, Any]:
    # Inputs left out are the services' defaults; the move itself is always passed on.
    values = {k: v for k, v in payload.model_dump().items() if v not in (None, "")}
    services.case_transition(
        actor=request.user, case_id=case_id, **(values | {"action": payload.action})
    )
    return detail_out(request.user, case_id)


class DocumentOut(Schema):
    kind: str = Field(description="filing, correction, notice, decision or closing")
    title: str
    number: str = Field(description="Its 文号; empty until first downloaded")
    docx: str = Field(description="Where to download it as Word")
    pdf: str = Field(description="Where to download it as PDF")


@router.get(
    "/cases/{case_id}/documents",
    response=list[DocumentOut],
    summary="The documents (文书) the case's steps allow so far",
)
def case_documents(request: JiedaoRequest, case_id: int) -> list[dict[str, Any]]:
    case = selectors.case_get(user=request.user, case_id=case_id)
    rows = selectors.case_document_list(user=request.user, case=case)
    return [
        {
            "kind": row.kind,
            "title": row.title,
            "number": row.number,
            # Beside this list: /api/enforcement/cases/{id}/documents/{kind}.{format}.
            "docx": f"{request.path.rstrip('/')}/{row.kind}.docx",
            "pdf": f"{request.path.rstrip('/')}/{row.kind}.pdf",
        }
        for row in rows
    ]


@router.get(
    "/cases/{case_id}/documents/{kind}.{file_format}",
    summary="A document of the case as Word (docx) or PDF (pdf); the first download issues "
    "its number",
)
def case_document(
    request: JiedaoRequest, case_id: int, kind: str, file_format: str
) -> HttpResponse:
    document = case_document_file(
        actor=request.user, case_id=case_id, kind=kind, file_format=file_format
    )
    return document_response(document)


class ReviewerIn(Schema):
    user_id: int = Field(ge=1, le=MAX_ID)
    certificate: str = Field(description="法律职业资格或执法证号")


class ReviewerOut(Schema):
    user_id: int
    username: str
    name: str
    role: str
    certificate: str
    designated_at: datetime
    designated_by: str | None
    active: bool
    withdrawn_at: datetime | None


def reviewer_out(reviewer: LegalReviewer) -> dict[str, Any]:
    return {
        "user_id": reviewer.user_id,
        "username": reviewer.user.username,
        "name": reviewer.user.display_name,
        "role": reviewer.user.role,
        "certificate": reviewer.certificate,
        "designated_at": reviewer.designated_at,
        "designated_by": reviewer.designated_by.username if reviewer.designated_by else None,
        "active": reviewer.is_active,
        "withdrawn_at": reviewer.withdrawn_at,
    }


def _reviewer(user: Any, user_id: int) -> dict[str, Any]:
    return reviewer_out(selectors_reviewers.reviewer_list(user=user).get(user_id=user_id))


@router.get("/reviewers", response=list[ReviewerOut], summary="Legal reviewers (法制审核人员)")
def reviewers(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [reviewer_out(r) for r in selectors_reviewers.reviewer_list(user=request.user)]


@router.post("/reviewers", response={201: ReviewerOut}, summary="Designate a legal reviewer")
def reviewer_designate(request: JiedaoRequest, payload: ReviewerIn) -> Status[dict[str, Any]]:
    reviewer = services.legal_reviewer_designate(actor=request.user, **payload.model_dump())
    return Status(201, _reviewer(request.user, reviewer.user_id))


@router.post(
    "/reviewers/{user_id}/withdraw", response=ReviewerOut, summary="Withdraw a legal reviewer"
)
def reviewer_withdraw(request: JiedaoRequest, user_id: int) -> dict[str, Any]:
    services.legal_reviewer_withdraw(actor=request.user, user_id=user_id)
    return _reviewer(request.user, user_id)
