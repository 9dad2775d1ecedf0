"""The modern-community API: needs and their workflow, similar needs, the published list,
social organisations, calls and report-ins, the fund's ledger and statements."""

from datetime import date
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from jiedao.core.errors import InvalidInput
from jiedao.core.http import JiedaoRequest
from jiedao.events import selectors as event_selectors

from . import event_calls, grants, ledger, selectors, services
from .exports import XLSX, statement_xlsx
from .figures import community_figures
from .models import (
    Call,
    CallResponse,
    Fund,
    FundEntry,
    GrantApplication,
    GrantRound,
    Need,
    Organisation,
)
from .schemas import (
    ApplicationIn,
    ApplicationOut,
    CallIn,
    CallOut,
    EntryIn,
    EntryOut,
    EventCallIn,
    FundOut,
    NeedActionIn,
    NeedIn,
    NeedOut,
    OrganisationIn,
    OrganisationOut,
    PublicNeedOut,
    ReportInIn,
    ResponseActionIn,
    ResponseOut,
    ReviewIn,
    RoundIn,
    RoundOut,
    ScoreIn,
    SignIn,
    SimilarOut,
    StatementOut,
)
from .workflow import NeedStatus, need_actions

router = Router(tags=["community"])


def need_out(user: Any, need: Need) -> dict[str, Any]:
    name, phone = selectors.need_contact(user, need)
    return {
        "id": need.pk,
        "community": need.community.name,
        "group": need.group.code,
        "source": need.source,
        "title": need.title,
        "description": need.description,
        "status": need.status,
        "status_label": str(NeedStatus(need.status).label),
        "matched_to": need.matched_label,
        "decline_reason": need.decline_reason,
        "merged_into_id": need.merged_into_id,
        "contact_name": name,
        "contact_phone": phone,
        "raised_at": need.raised_at,
        "actions": [str(action) for action in need_actions(need.status, getattr(user, "role", ""))],
    }


def organisation_out(organisation: Organisation) -> dict[str, Any]:
    return {
        "id": organisation.pk,
        "name": organisation.name,
        "credit_code": organisation.credit_code,
        "kind": organisation.kind,
        "services": organisation.services,
        "communities": [community.name for community in organisation.communities.all()],
    }


def response_out(response: CallResponse) -> dict[str, Any]:
    return {
        "id": response.pk,
        "organisation": response.organisation.name if response.organisation else "",
        "department": response.department.name if response.department else "",
        "status": response.status,
        "commitment": response.commitment,
        "completion": response.completion,
        "reported_at": response.reported_at,
    }


def call_out(call: Call) -> dict[str, Any]:
    return {
        "id": call.pk,
        "need_id": call.need_id,
        "event_number": call.event.number if call.event is not None else None,
        "need_title": call.title,
        "community": call.community.name,
        "message": call.message,
        "called_at": call.called_at,
        "is_open": call.is_open,
        "responses": [response_out(response) for response in call.responses.all()],
    }


def totals_out(totals: Any) -> dict[str, Any]:
    return {
        "injected": totals.injected,
        "committed": totals.committed,
        "paid": totals.paid,
        "available": totals.available,
        "unpaid": totals.unpaid,
    }


def entry_out(entry: FundEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "amount": entry.amount,
        "booked_on": entry.booked_on,
        "description": entry.description,
        "commitment_id": entry.commitment_id,
        "organisation": entry.organisation.name if entry.organisation else "",
    }


@router.get("/needs", response=list[NeedOut], summary="Needs in your scope")
def list_needs(
    request: JiedaoRequest,
    status: str | None = None,
    # Bounded: a larger number would overflow the database's integer, not just match nothing.
    community_id: int | None = Query(None, ge=1, le=2_147_483_647),
) -> list[dict[str, Any]]:
    user = request.user
    return [
        need_out(user, need)
        for need in selectors.need_list(user=user, status=status, community_id=community_id)
    ]


@router.post(
    "/needs", response={201: NeedOut}, summary="Raise a need (grid worker, community lead)"
)
def create_need(request: JiedaoRequest, payload: NeedIn) -> Status[dict[str, Any]]:
    user = request.user
    need = services.need_raise(
        actor=user,
        community=selectors.community_for(user=user, community_id=payload.community_id),
        group=selectors.group_by_code(payload.group),
        source=payload.source,
        title=payload.title,
        description=payload.description,
    )
    return Status(201, need_out(user, selectors.need_get(user=user, need_id=need.pk)))


@router.get("/needs/{need_id}", response=NeedOut, summary="One need")
def get_need(request: JiedaoRequest, need_id: int) -> dict[str, Any]:
    return need_out(request.user, selectors.need_get(user=request.user, need_id=need_id))


@router.post(
    "/needs/{need_id}/actions", response=NeedOut, summary="Take an action of the needs table"
)
def act_on_need(request: JiedaoRequest, need_id: int, payload: NeedActionIn) -> dict[str, Any]:
    user = request.user
    need = selectors.need_get(user=user, need_id=need_id)
    services.need_transition(
        actor=user,
        need=need,
        action=payload.action,
        reason=payload.reason,
        match_kind=payload.match_kind,
        organisation=selectors.organisation_for(user=user, organisation_id=payload.organisation_id),
        department=selectors.department_for(user=user, department_id=payload.department_id),
        matched_name=payload.matched_name,
        into=selectors.need_in_scope(user=user, need_id=payload.into_id),
    )
    return need_out(user, selectors.need_get(user=user, need_id=need_id))


@router.get("/needs/{need_id}/similar", response=list[SimilarOut], summary="Similar needs to merge")
def similar(request: JiedaoRequest, need_id: int) -> list[dict[str, Any]]:
    user = request.user
    need = selectors.need_get(user=user, need_id=need_id)
    return [
        {
            "id": item.need.pk,
            "title": item.need.title,
            "score": item.score,
            "shared": list(item.shared),
        }
        for item in selectors.need_similar(user=user, need=need)
    ]


@router.get(
    "/public/communities/{community_id}/needs",
    response=list[PublicNeedOut],
    auth=None,
    summary="A community's published needs list (no personal data)",
)
def public_needs(request: JiedaoRequest, community_id: int) -> list[Any]:
    return list(selectors.public_need_list(community=selectors.public_community(community_id)))


@router.get("/organisations", response=list[OrganisationOut], summary="Social organisations")
def list_organisations(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [organisation_out(o) for o in selectors.organisation_list(user=request.user)]


@router.post(
    "/organisations", response={201: OrganisationOut}, summary="Register a social organisation"
)
def create_organisation(request: JiedaoRequest, payload: OrganisationIn) -> Status[dict[str, Any]]:
    user = request.user
    communities = [
        selectors.community_for(user=user, community_id=community_id)
        for community_id in payload.community_ids
    ]
    organisation = services.organisation_register(
        actor=user,
        subdistrict_id=user.subdistrict_id or 0,
        name=payload.name,
        credit_code=payload.credit_code,
        kind=payload.kind,
        services=payload.services,
        communities=communities,
    )
    return Status(201, organisation_out(organisation))


@router.get("/calls", response=list[CallOut], summary="Calls (吹哨) in your scope")
def list_calls(request: JiedaoRequest, open_only: bool = False) -> list[dict[str, Any]]:
    return [call_out(call) for call in selectors.call_list(user=request.user, open_only=open_only)]


@router.post(
    "/calls", response={201: CallOut}, summary="Blow the whistle for a need (community lead)"
)
def create_call(request: JiedaoRequest, payload: CallIn) -> Status[dict[str, Any]]:
    user = request.user
    need = selectors.need_get(user=user, need_id=payload.need_id)
    call = services.call_blow(actor=user, need=need, message=payload.message)
    return Status(201, call_out(selectors.call_get(user=user, call_id=call.pk)))


@router.post(
    "/event-calls",
    response={201: CallOut},
    summary="Blow the whistle for an event of your community (community lead)",
)
def create_event_call(request: JiedaoRequest, payload: EventCallIn) -> Status[dict[str, Any]]:
    user = request.user
    event = event_selectors.event_get(user=user, number=payload.event_number)
    call = event_calls.call_blow_for_event(actor=user, event=event, message=payload.message)
    return Status(201, call_out(selectors.call_get(user=user, call_id=call.pk)))


@router.post(
    "/calls/{call_id}/close",
    response=CallOut,
    summary="Close an event's call once every answer is complete (community lead)",
)
def close_call(request: JiedaoRequest, call_id: int) -> dict[str, Any]:
    user = request.user
    event_calls.call_close(actor=user, call=selectors.call_get(user=user, call_id=call_id))
    return call_out(selectors.call_get(user=user, call_id=call_id))


@router.post(
    "/calls/{call_id}/responses", response={201: ResponseOut}, summary="Report in (报到) to a call"
)
def report_in(request: JiedaoRequest, call_id: int, payload: ReportInIn) -> Status[dict[str, Any]]:
    user = request.user
    call = selectors.call_get(user=user, call_id=call_id)
    organisation = selectors.organisation_required(
        user=user, organisation_id=payload.organisation_id
    )
    response = services.call_report_in(actor=user, call=call, organisation=organisation)
    return Status(201, response_out(response))


@router.post(
    "/calls/{call_id}/department-responses",
    response={201: ResponseOut},
    summary="Report in (报到) to a call for your department",
)
def department_report_in(request: JiedaoRequest, call_id: int) -> Status[dict[str, Any]]:
    user = request.user
    call = selectors.call_get(user=user, call_id=call_id)
    response = services.call_report_in_department(actor=user, call=call)
    return Status(201, response_out(response))


@router.post(
    "/responses/{response_id}/actions", response=ResponseOut, summary="Commit, or report completion"
)
def act_on_response(
    request: JiedaoRequest, response_id: int, payload: ResponseActionIn
) -> dict[str, Any]:
    user = request.user
    response = services.response_transition(
        actor=user,
        response=selectors.response_get(user=user, response_id=response_id),
        action=payload.action,
        text=payload.text,
    )
    return response_out(response)


def _fund_out(fund: Fund) -> dict[str, Any]:
    balance = fund.balance
    return {
        "id": fund.pk,
        "name": fund.name,
        "size": fund.size,
        "balance": totals_out(balance),
    }


@router.get("/funds", response=list[FundOut], summary="Community funds and their balances")
def list_funds(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [_fund_out(fund) for fund in selectors.fund_list(user=request.user)]


@router.post("/funds/{fund_id}/entries", response={201: EntryOut}, summary="Book a ledger entry")
def book_entry(request: JiedaoRequest, fund_id: int, payload: EntryIn) -> Status[dict[str, Any]]:
    user = request.user
    fund = selectors.fund_get(user=user, fund_id=fund_id)
    entry = ledger.fund_entry_book(
        actor=user,
        fund=fund,
        kind=payload.kind,
        amount=payload.amount,
        description=payload.description,
        booked_on=payload.booked_on,
        commitment=selectors.commitment_for(user=user, fund=fund, entry_id=payload.commitment_id),
        organisation=selectors.organisation_for(user=user, organisation_id=payload.organisation_id),
    )
    return Status(201, entry_out(entry))


def _period(since: date, until: date) -> None:
    if until < since:
        raise InvalidInput(_("To must not be before From."), field="until")


@router.get("/funds/{fund_id}/statement", response=StatementOut, summary="The fund's statement")
def statement(request: JiedaoRequest, fund_id: int, since: date, until: date) -> dict[str, Any]:
    """Opening totals, the entries booked from ``since`` to ``until`` inclusive, the movements and
    the closing totals."""
    _period(since, until)
    user = request.user
    found = selectors.fund_statement(
        user=user, fund=selectors.fund_get(user=user, fund_id=fund_id), since=since, until=until
    )
    return {
        "since": found.since,
        "until": found.until,
        "opening": totals_out(found.opening),
        "movements": totals_out(found.movements),
        "closing": totals_out(found.closing),
        "entries": [entry_out(entry) for entry in found.entries],
    }


def statement_response(found: Any) -> HttpResponse:
    response = HttpResponse(statement_xlsx(found), content_type=XLSX)
    name = f"fund-{found.fund.pk}-{found.since:%Y%m%d}-{found.until:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get("/funds/{fund_id}/statement.xlsx", summary="The fund's statement as Excel")
def statement_excel(request: JiedaoRequest, fund_id: int, since: date, until: date) -> HttpResponse:
    _period(since, until)
    user = request.user
    found = selectors.fund_statement(
        user=user, fund=selectors.fund_get(user=user, fund_id=fund_id), since=since, until=until
    )
    return statement_response(found)


@router.get("/figures", summary="Figures for a period (needs, report-ins, calls, fund)")
def figures(request: JiedaoRequest, since: date, until: date) -> dict[str, Any]:
    """The same figures as `jiedao community figures`, within your scope."""
    return community_figures(user=request.user, since=since, until=until).as_dict()


def round_out(grant_round: GrantRound) -> dict[str, Any]:
    return {
        "id": grant_round.pk,
        "name": grant_round.name,
        "budget": grant_round.budget,
        "max_per_project": grant_round.max_per_project,
        "opens_on": grant_round.opens_on,
        "closes_on": grant_round.closes_on,
        "status": grant_round.status,
        "grade_a_min": grant_round.grade_a_min,
        "grade_b_min": grant_round.grade_b_min,
    }


def application_out(application: GrantApplication) -> dict[str, Any]:
    return {
        "id": application.pk,
        "organisation": application.organisation.name,
        "title": application.title,
        "amount": application.amount,
        "status": application.status,
        "score": application.score,
        "grade": application.grade,
        "signed_on": application.signed_on,
        "first_tranche_due": (
            grants.first_tranche_due(application.signed_on) if application.signed_on else None
        ),
    }


@router.get("/grants", response=list[RoundOut], summary="公益创投 rounds")
def list_rounds(request: JiedaoRequest) -> list[dict[str, Any]]:
    return [round_out(r) for r in selectors.round_list(user=request.user)]


@router.post("/grants", response={201: RoundOut}, summary="Open a 公益创投 round")
def open_round(request: JiedaoRequest, payload: RoundIn) -> Status[dict[str, Any]]:
    user = request.user
    grant_round = grants.round_open(
        actor=user,
        fund=selectors.fund_get(user=user, fund_id=payload.fund_id),
        name=payload.name,
        budget=payload.budget,
        max_per_project=payload.max_per_project,
        opens_on=payload.opens_on,
        closes_on=payload.closes_on,
    )
    return Status(201, round_out(grant_round))


@router.get(
    "/grants/{round_id}/applications", response=list[ApplicationOut], summary="A round's projects"
)
def list_applications(request: JiedaoRequest, round_id: int) -> list[dict[str, Any]]:
    user = request.user
    grant_round = selectors.round_get(user=user, round_id=round_id)
    return [
        application_out(a) for a in selectors.application_list(user=user, grant_round=grant_round)
    ]


@router.post(
    "/grants/{round_id}/applications",
    response={201: ApplicationOut},
    summary="Apply (social organisation)",
)
def submit_application(
    request: JiedaoRequest, round_id: int, payload: ApplicationIn
) -> Status[dict[str, Any]]:
    user = request.user
    application = grants.application_submit(
        actor=user,
        grant_round=selectors.round_get(user=user, round_id=round_id),
        organisation=selectors.organisation_required(
            user=user, organisation_id=payload.organisation_id
        ),
        title=payload.title,
        summary=payload.summary,
        amount=payload.amount,
    )
    return Status(201, application_out(application))


@router.post(
    "/applications/{application_id}/scores", response=ApplicationOut, summary="Score (panel)"
)
def score_application(
    request: JiedaoRequest, application_id: int, payload: ScoreIn
) -> dict[str, Any]:
    user = request.user
    application = selectors.application_get(user=user, application_id=application_id)
    grants.application_score(actor=user, application=application, score=payload.score)
    return application_out(application)


@router.post(
    "/grants/{round_id}/selection", response=list[ApplicationOut], summary="Select within budget"
)
def select_round(request: JiedaoRequest, round_id: int) -> list[dict[str, Any]]:
    user = request.user
    grant_round = selectors.round_get(user=user, round_id=round_id)
    grants.round_select(actor=user, grant_round=grant_round)
    return [
        application_out(a) for a in selectors.application_list(user=user, grant_round=grant_round)
    ]


@router.post(
    "/applications/{application_id}/agreement",
    response=ApplicationOut,
    summary="Sign the agreement",
)
def sign_agreement(request: JiedaoRequest, application_id: int, payload: SignIn) -> dict[str, Any]:
    user = request.user
    application = grants.agreement_sign(
        actor=user,
        application=selectors.application_get(user=user, application_id=application_id),
        signed_on=payload.signed_on,
    )
    return application_out(application)


@router.post(
    "/applications/{application_id}/tranches",
    response={201: EntryOut},
    summary="Pay the next tranche",
)
def pay_tranche(request: JiedaoRequest, application_id: int) -> Status[dict[str, Any]]:
    user = request.user
    entry = grants.tranche_pay(
        actor=user, application=selectors.application_get(user=user, application_id=application_id)
    )
    return Status(201, entry_out(entry))


@router.post(
    "/applications/{application_id}/reviews", response=ApplicationOut, summary="Record a review"
)
def record_review(request: JiedaoRequest, application_id: int, payload: ReviewIn) -> dict[str, Any]:
    user = request.user
    application = grants.review_record(
        actor=user,
        application=selectors.application_get(user=user, application_id=application_id),
        stage=payload.stage,
        passed=payload.passed,
    )
    return application_out(application)


# Activities, trainings and service facilities, and the funded projects' milestones and
# progress, live in their own modules, under the same prefix.
from .api_activities import router as activities_router
from .api_projects import router as projects_router

router.add_router("", activities_router)
router.add_router("", projects_router)
