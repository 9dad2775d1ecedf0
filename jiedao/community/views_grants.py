"""公益创投 pages: the rounds, and a round's page where organisations apply, the panel scores,
and the administrator selects, signs agreements, records reviews and pays tranches."""

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiedao.accounts.permissions import can
from jiedao.core.dates import parse_date
from jiedao.core.errors import ApplicationError, InvalidInput
from jiedao.core.http import JiedaoRequest
from jiedao.core.localtime import local_today
from jiedao.web.errors import render_application_errors

from . import grants, selectors
from .models import GrantRound


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
@render_application_errors
def round_list(request: JiedaoRequest) -> HttpResponse:
    user = request.user
    error = None
    if request.method == "POST":
        post = request.POST
        try:
            funds = selectors.fund_list(user=user)
            if not funds:
                raise InvalidInput(_("There is no fund to draw on."), field="fund")
            grant_round = grants.round_open(
                actor=user,
                fund=funds[0],
                name=post.get("name", ""),
                budget=post.get("budget", ""),
                max_per_project=post.get("max_per_project", ""),
                opens_on=parse_date(post.get("opens_on"), field="opens_on", label=_("Opens on")),
                closes_on=parse_date(
                    post.get("closes_on"), field="closes_on", label=_("Closes on")
                ),
            )
        except ApplicationError as exc:
            if exc.status != 422:
                raise
            error = exc
        else:
            return redirect("community:round", round_id=grant_round.pk)
    today = local_today()
    return render(
        request,
        "community/rounds.html",
        {
            "rounds": selectors.round_list(user=user),
            "can_manage": can(user, "community.grant_manage"),
            "error": error,
            "form": request.POST if error else {},
            "today": today,
            "in_a_month": today + timedelta(days=30),
        },
        status=422 if error else 200,
    )


def _round_page(request: JiedaoRequest, round_id: int, *, error: Any = None) -> HttpResponse:
    user = request.user
    grant_round = selectors.round_get(user=user, round_id=round_id)
    applications = selectors.application_list(user=user, grant_round=grant_round)
    is_open = grant_round.status == GrantRound.Status.OPEN
    applied = {application.organisation_id for application in applications}
    today = local_today()
    return render(
        request,
        "community/round_detail.html",
        {
            "round": grant_round,
            "applications": [
                {
                    "application": application,
                    "due": grants.first_tranche_due(application.signed_on)
                    if application.signed_on
                    else None,
                    "tranches": grants.tranche_amounts(application),
                    "flag": grants.first_tranche_flag(
                        signed_on=application.signed_on,
                        tranches_paid=application.tranches_paid,  # type: ignore[attr-defined]
                        today=today,
                    ),
                }
                for application in applications
            ],
            "is_open": is_open,
            "apply_as": [o for o in selectors.organisations_of(user) if o.pk not in applied]
            if is_open and can(user, "community.grant_apply")
            else [],
            "can_review": is_open and can(user, "community.grant_review"),
            "can_manage": can(user, "community.grant_manage"),
            "today": today,
            "error": error,
        },
        status=422 if error else 200,
    )


@login_required
@render_application_errors
def round_detail(request: JiedaoRequest, round_id: int) -> HttpResponse:
    return _round_page(request, round_id)


@login_required
@require_POST
@render_application_errors
def round_action(request: JiedaoRequest, round_id: int) -> HttpResponse:
    """One form for every step of the round; ``step`` says which, the service decides."""
    user = request.user
    post = request.POST
    grant_round = selectors.round_get(user=user, round_id=round_id)
    step = post.get("step", "")
    try:
        application = (
            selectors.application_get(user=user, application_id=_int(post.get("application")) or 0)
            if step in ("score", "sign", "pay", "review")
            else None
        )
        if step == "apply":
            grants.application_submit(
                actor=user,
                grant_round=grant_round,
                organisation=selectors.organisation_required(
                    user=user, organisation_id=_int(post.get("organisation"))
                ),
                title=post.get("title", ""),
                summary=post.get("summary", ""),
                amount=post.get("amount", ""),
            )
            messages.success(request, _("Your application is submitted."))
        elif step == "score" and application is not None:
            score = _int(post.get("score"))
            grants.application_score(
                actor=user, application=application, score=score if score is not None else -1
            )
        elif step == "select":
            grants.round_select(actor=user, grant_round=grant_round)
        elif step == "sign" and application is not None:
            signed_on: date = parse_date(
                post.get("signed_on"), field="signed_on", label=_("Agreement signed on")
            )
            grants.agreement_sign(actor=user, application=application, signed_on=signed_on)
        elif step == "pay" and application is not None:
            grants.tranche_pay(actor=user, application=application)
        elif step == "review" and application is not None:
            grants.review_record(
                actor=user,
                application=application,
                stage=post.get("stage", ""),
                passed=post.get("passed") == "yes",
            )
    except ApplicationError as error:
        if error.status not in (409, 422):
            raise
        return _round_page(request, round_id, error=error)
    return redirect("community:round", round_id=round_id)
