"""Pages of the modern community: the lead's and the organisation's workspace, the needs list
and a need's page (its actions from the workflow table, similar needs, its calls), a call's page
where organisations report in, the registry of social organisations, and the fund's ledger."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.accounts.permissions import can, require
from jiedao.core.errors import ApplicationError
from jiedao.core.http import JiedaoRequest
from jiedao.core.localtime import local_today
from jiedao.web.errors import render_application_errors

from . import ledger, selectors, services
from .api import statement_response
from .forms import EntryForm, NeedForm, OrganisationForm, PeriodForm
from .models import Need
from .workflow import (
    MatchKind,
    NeedAction,
    NeedStatus,
    ResponseAction,
    need_actions,
    response_actions,
)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@render_application_errors
def workspace(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    require(user, "community.view")
    organisations = selectors.organisations_of(user)
    return render(
        request,
        "community/workspace.html",
        {
            "counts": selectors.workspace_counts(user=user),
            "need_counts": selectors.need_counts(user=user),
            "statuses": NeedStatus.choices,
            "to_assess": selectors.need_list(user=user, status=NeedStatus.COLLECTED, limit=20),
            "calls": selectors.call_list(user=user, open_only=True, limit=50),
            "organisations": organisations,
            "organisation_ids": {o.pk for o in organisations},
            "can_raise": can(user, "community.need_raise"),
        },
    )


@login_required
@render_application_errors
def need_list(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    status = request.GET.get("status") or None
    if status not in NeedStatus.values:
        status = None
    return render(
        request,
        "community/needs.html",
        {
            "needs": selectors.need_list(user=user, status=status),
            "status": status,
            "statuses": NeedStatus.choices,
            "can_raise": can(user, "community.need_raise"),
        },
    )


@login_required
@render_application_errors
def need_new(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    require(user, "community.need_raise")
    communities = selectors.community_list(user=user)
    groups = selectors.group_list()
    form = NeedForm(request.POST or None, communities=communities, groups=groups)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                need = services.need_raise(
                    actor=user,
                    community=selectors.community_for(user=user, community_id=data["community"]),
                    group=selectors.group_by_code(data["group"]),
                    source=data["source"],
                    title=data["title"],
                    description=data["description"],
                )
            except ApplicationError as error:
                form.add_error(
                    error.field if error.field in form.fields else None, str(error.message)
                )
            else:
                messages.success(request, _("The need is on the list."))
                return redirect("community:need", need_id=need.pk)
        status = 422
    return render(request, "community/need_new.html", {"form": form}, status=status)


def _need_page(
    request: JiedaoRequest, need: Need, *, error: Any = None, status: int = 200
) -> HttpResponse:
    user = request.user
    name, phone = selectors.need_contact(user, need)
    actions = need_actions(need.status, user.role)
    return render(
        request,
        "community/need_detail.html",
        {
            "need": need,
            "contact_name": name,
            "contact_phone": phone,
            "actions": [(action, NeedAction(action).label) for action in actions],
            "similar": selectors.need_similar(user=user, need=need)
            if NeedAction.MERGE in actions
            else [],
            "calls": selectors.need_calls(user=user, need=need),
            "can_call": can(user, "community.call")
            and need.status in (NeedStatus.ASSESSED, NeedStatus.MATCHED),
            "match_kinds": MatchKind.choices,
            "organisations": selectors.organisation_list(user=user)
            if NeedAction.MATCH in actions
            else [],
            "departments": selectors.department_list(user=user)
            if NeedAction.MATCH in actions
            else [],
            "error": error,
        },
        status=status,
    )


@login_required
@render_application_errors
def need_detail(request: JiedaoRequest, need_id: int) -> HttpResponse:
    return _need_page(request, selectors.need_get(user=request.user, need_id=need_id))


@login_required
@require_POST
@render_application_errors
def need_action(request: JiedaoRequest, need_id: int) -> HttpResponse:
    user = request.user
    need = selectors.need_get(user=user, need_id=need_id)
    post = request.POST
    try:
        services.need_transition(
            actor=user,
            need=need,
            action=post.get("action", ""),
            reason=post.get("reason", ""),
            match_kind=post.get("match_kind", ""),
            organisation=selectors.organisation_for(
                user=user, organisation_id=_int(post.get("organisation"))
            ),
            department=selectors.department_for(
                user=user, department_id=_int(post.get("department"))
            ),
            matched_name=post.get("matched_name", ""),
            into=selectors.need_in_scope(user=user, need_id=_int(post.get("into"))),
        )
    except ApplicationError as error:
        if error.status != 422:
            raise
        return _need_page(
            request, selectors.need_get(user=user, need_id=need_id), error=error, status=422
        )
    return redirect("community:need", need_id=need_id)


@login_required
@require_POST
@render_application_errors
def call_blow(request: JiedaoRequest, need_id: int) -> HttpResponse:
    user = request.user
    need = selectors.need_get(user=user, need_id=need_id)
    try:
        call = services.call_blow(actor=user, need=need, message=request.POST.get("message", ""))
    except ApplicationError as error:
        if error.status != 422:
            raise
        return _need_page(request, need, error=error, status=422)
    messages.success(
        request, _("The whistle is blown: organisations serving the community can report in.")
    )
    return redirect("community:call", call_id=call.pk)


def _call_page(
    request: JiedaoRequest, call_id: int, *, error: Any = None, status: int = 200
) -> HttpResponse:
    user = request.user
    call = selectors.call_get(user=user, call_id=call_id)
    mine = selectors.organisations_of(user)
    answered = {response.organisation_id for response in call.responses.all()}
    department_id = getattr(user, "department_id", None)
    departments = {response.department_id for response in call.responses.all()}
    mine_ids = {o.pk for o in mine}
    return render(
        request,
        "community/call_detail.html",
        {
            "call": call,
            "can_report_in": can(user, "community.respond") and call.is_open,
            "report_in_as": [
                o
                for o in mine
                if o.pk not in answered
                and any(c.pk == call.community_id for c in o.communities.all())
            ],
            "can_report_in_department": can(user, "community.respond_department")
            and call.is_open
            and department_id is not None
            and department_id not in departments,
            # The answers the user acts for: the own organisations' or the own department's.
            "my_responses": {
                response.pk
                for response in call.responses.all()
                if response.organisation_id in mine_ids
                or (response.department_id is not None and response.department_id == department_id)
            },
            "response_actions": {
                response.pk: [
                    (a, ResponseAction(a).label)
                    for a in response_actions(response.status, user.role)
                ]
                for response in call.responses.all()
            },
            # An event's call is closed by its lead (jiedao.community.event_calls).
            "can_close": call.is_open and call.event_id is not None and can(user, "community.call"),
            "error": error,
        },
        status=status,
    )


@login_required
@render_application_errors
def call_detail(request: JiedaoRequest, call_id: int) -> HttpResponse:
    return _call_page(request, call_id)


@login_required
@require_POST
@render_application_errors
def call_report_in(request: JiedaoRequest, call_id: int) -> HttpResponse:
    user = request.user
    call = selectors.call_get(user=user, call_id=call_id)
    try:
        organisation = selectors.organisation_required(
            user=user, organisation_id=_int(request.POST.get("organisation"))
        )
        services.call_report_in(actor=user, call=call, organisation=organisation)
    except ApplicationError as error:
        if error.status != 422:
            raise
        return _call_page(request, call_id, error=error, status=422)
    return redirect("community:call", call_id=call_id)


@login_required
@require_POST
@render_application_errors
def call_report_in_department(request: JiedaoRequest, call_id: int) -> HttpResponse:
    user = request.user
    call = selectors.call_get(user=user, call_id=call_id)
    try:
        services.call_report_in_department(actor=user, call=call)
    except ApplicationError as error:
        if error.status not in (409, 422):
            raise
        return _call_page(request, call_id, error=error, status=error.status)
    return redirect("community:call", call_id=call_id)


@login_required
@require_POST
@render_application_errors
def response_action(request: JiedaoRequest, response_id: int) -> HttpResponse:
    user = request.user
    response = selectors.response_get(user=user, response_id=response_id)
    try:
        services.response_transition(
            actor=user,
            response=response,
            action=request.POST.get("action", ""),
            text=request.POST.get("text", ""),
        )
    except ApplicationError as error:
        if error.status != 422:
            raise
        return _call_page(request, response.call_id, error=error, status=422)
    return redirect("community:call", call_id=response.call_id)


@login_required
@render_application_errors
def organisation_list(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    can_manage = can(user, "community.organisation_manage")
    form = None
    status = 200
    if can_manage:
        form = OrganisationForm(
            request.POST or None, communities=selectors.community_list(user=user)
        )
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    organisation = services.organisation_register(
                        actor=user,
                        subdistrict_id=user.subdistrict_id or 0,
                        name=data["name"],
                        credit_code=data["credit_code"],
                        kind=data["kind"],
                        services=data["services"],
                        communities=[
                            selectors.community_for(user=user, community_id=pk)
                            for pk in data["communities"]
                        ],
                    )
                except ApplicationError as error:
                    form.add_error(
                        error.field if error.field in form.fields else None, str(error.message)
                    )
                else:
                    messages.success(
                        request, _("%(name)s is registered.") % {"name": organisation.name}
                    )
                    return redirect("community:organisations")
            status = 422
    elif request.method == "POST":
        require(user, "community.organisation_manage")
    return render(
        request,
        "community/organisations.html",
        {"organisations": selectors.organisation_list(user=user), "form": form},
        status=status,
    )


@login_required
@render_application_errors
def fund(request: JiedaoRequest) -> HttpResponse:
    funds = selectors.fund_list(user=request.user)
    if len(funds) == 1:
        return redirect("community:fund_detail", fund_id=funds[0].pk)
    return render(request, "community/funds.html", {"funds": funds})


def _period(request: JiedaoRequest) -> tuple[PeriodForm, date, date]:
    today = local_today()
    form = PeriodForm(request.GET or {"since": date(today.year, 1, 1), "until": today})
    if form.is_valid():
        return form, form.cleaned_data["since"], form.cleaned_data["until"]
    return form, date(today.year, 1, 1), today


@login_required
@render_application_errors
def fund_detail(request: JiedaoRequest, fund_id: int) -> HttpResponse:
    user = request.user
    found = selectors.fund_get(user=user, fund_id=fund_id)
    period_form, since, until = _period(request)
    can_manage = can(user, "community.fund_manage")
    commitments = selectors.fund_commitments(user=user, fund=found)
    entry_form = None
    status = 200
    if can_manage:
        entry_form = EntryForm(
            request.POST or None,
            commitments=commitments,
            organisations=selectors.organisation_list(user=user),
        )
        if request.method == "POST":
            if entry_form.is_valid():
                data = entry_form.cleaned_data
                try:
                    ledger.fund_entry_book(
                        actor=user,
                        fund=found,
                        kind=data["kind"],
                        amount=data["amount"],
                        description=data["description"],
                        booked_on=data["booked_on"],
                        commitment=selectors.commitment_for(
                            user=user, fund=found, entry_id=data["commitment"]
                        ),
                        organisation=selectors.organisation_for(
                            user=user, organisation_id=data["organisation"]
                        ),
                    )
                except ApplicationError as error:
                    entry_form.add_error(
                        error.field if error.field in entry_form.fields else None,
                        str(error.message),
                    )
                else:
                    messages.success(request, _("The entry is booked."))
                    return redirect("community:fund_detail", fund_id=fund_id)
            status = 422
    elif request.method == "POST":
        require(user, "community.fund_manage")
    found = selectors.fund_get(user=user, fund_id=fund_id)
    return render(
        request,
        "community/fund_detail.html",
        {
            "fund": found,
            "balance": found.balance,
            "statement": selectors.fund_statement(user=user, fund=found, since=since, until=until),
            "period_form": period_form,
            "commitments": commitments,
            "entry_form": entry_form,
        },
        status=status,
    )


@login_required
@render_application_errors
def fund_export(request: JiedaoRequest, fund_id: int) -> HttpResponse:
    user = request.user
    found = selectors.fund_get(user=user, fund_id=fund_id)
    _form, since, until = _period(request)
    return statement_response(
        selectors.fund_statement(user=user, fund=found, since=since, until=until)
    )
