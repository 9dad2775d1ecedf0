"""The 双公示 API (mounted under the enforcement router): publishing a case's decision and
withdrawing a publication (staff), and the public list with its CSV and Excel files (no
sign-in, rate-limited per address like the public page) — the services and selectors the pages
call."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from ninja import Query, Router, Schema, Status
from pydantic import Field

from jiedao.core.http import JiedaoRequest
from jiedao.portal.throttle import client_address, throttle

from . import exports_disclosure as exports
from . import selectors_disclosure as selectors
from . import services
from .models import Disclosure
from .views_disclosure import file_response

router = Router(tags=["enforcement disclosure"])


class PublishIn(Schema):
    violation_type: str = Field("", description="违法行为类型, when the case has none yet")
    penalty_content: str = Field("", description="处罚内容, when the case has none yet")


class WithdrawIn(Schema):
    reason: str = Field(description="Why the publication is withdrawn (撤销公示)")


class PublicDisclosureOut(Schema):
    party_name: str = Field(description="行政相对人名称; a natural person's masked")
    credit_code: str = Field(description="统一社会信用代码 (businesses only)")
    decision_number: str
    violation_type: str
    facts: str
    basis: str
    penalty_kind: str = Field(description="warning or fine")
    penalty_content: str
    fine: Decimal | None
    decided_on: date
    authority: str
    published_on: date


class DisclosureOut(PublicDisclosureOut):
    id: int
    case_id: int
    due_on: date
    late: bool
    published_at: datetime
    withdrawn_at: datetime | None
    withdrawal_reason: str


class PublicPageOut(Schema):
    page: int
    has_next: bool
    items: list[PublicDisclosureOut]


class PublicQuery(Schema):
    date_from: date | None = Field(None, alias="from", description="Decided on or after")
    date_to: date | None = Field(None, alias="to", description="Decided on or before")
    q: str = Field("", max_length=selectors.MAX_TEXT, description="Text to find")
    page: int = Field(1, ge=1, le=99999)


def public_out(row: Disclosure) -> dict[str, Any]:
    return {
        "party_name": row.party_name,
        "credit_code": row.credit_code,
        "decision_number": row.decision_number,
        "violation_type": row.violation_type,
        "facts": row.facts,
        "basis": row.basis,
        "penalty_kind": row.penalty_kind,
        "penalty_content": row.penalty_content,
        "fine": row.fine,
        "decided_on": row.decided_on,
        "authority": row.authority,
        "published_on": row.published_on,
    }


def disclosure_out(row: Disclosure) -> dict[str, Any]:
    return public_out(row) | {
        "id": row.pk,
        "case_id": row.case_id,
        "due_on": row.due_on,
        "late": row.is_late,
        "published_at": row.published_at,
        "withdrawn_at": row.withdrawn_at,
        "withdrawal_reason": row.withdrawal_reason,
    }


def _filters(query: PublicQuery) -> selectors.PublicFilters:
    return selectors.public_filters({"from": query.date_from, "to": query.date_to, "q": query.q})


@router.post(
    "/cases/{case_id}/disclosure",
    response={201: DisclosureOut},
    summary="Publish the case's penalty decision (双公示)",
)
def publish(request: JiedaoRequest, case_id: int, payload: PublishIn) -> Status[dict[str, Any]]:
    row = services.disclosure_publish(actor=request.user, case_id=case_id, **payload.model_dump())
    return Status(201, disclosure_out(row))


@router.post(
    "/disclosures/{disclosure_id}/withdraw",
    response=DisclosureOut,
    summary="Withdraw a publication (撤销公示)",
)
def withdraw(request: JiedaoRequest, disclosure_id: int, payload: WithdrawIn) -> dict[str, Any]:
    row = services.disclosure_withdraw(
        actor=request.user, disclosure_id=disclosure_id, reason=payload.reason
    )
    return disclosure_out(row)


@router.get(
    "/public/disclosures",
    response=PublicPageOut,
    auth=None,
    summary="The published penalty decisions (no sign-in)",
)
def public_list(request: JiedaoRequest, query: Query[PublicQuery]) -> dict[str, Any]:
    throttle(
        "enforcement-disclosure",
        client_address(request),
        limit=settings.ENFORCEMENT_DISCLOSURE_PAGES_PER_MINUTE,
    )
    rows, has_next = selectors.public_page(_filters(query), page=query.page)
    return {"page": query.page, "has_next": has_next, "items": [public_out(row) for row in rows]}


@router.get(
    "/public/disclosures/file/{file_format}",
    auth=None,
    summary="The published penalty decisions as csv or xlsx (no sign-in)",
)
def public_file(
    request: JiedaoRequest, file_format: str, query: Query[PublicQuery]
) -> HttpResponse:
    if file_format not in exports.WRITERS:
        return HttpResponse(status=404)
    throttle(
        "enforcement-disclosure-file",
        client_address(request),
        limit=settings.ENFORCEMENT_DISCLOSURE_FILES_PER_MINUTE,
    )
    rows = selectors.public_export(_filters(query))
    return file_response(exports.WRITERS[file_format](rows), file_format)
