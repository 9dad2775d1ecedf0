"""The legal reviewers' page: who is designated for the legal review (法制审核) of cases, the
form that designates one and the button that withdraws one. The services and selectors the
API, the admin and the command call."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jiedao.accounts.permissions import require
from jiedao.core.errors import ApplicationError
from jiedao.core.http import JiedaoRequest
from jiedao.web.errors import render_application_errors

from . import selectors_reviewers as selectors
from . import services
from .forms import cleaned
from .forms_cases import ReviewerForm


@login_required
@render_application_errors
def reviewer_list(request: JiedaoRequest) -> HttpResponse:
    require(request.user, "enforcement.reviewer_manage")
    form = ReviewerForm(request.POST or None)
    error = None
    if request.method == "POST":
        try:
            values = cleaned(form)
            services.legal_reviewer_designate(
                actor=request.user,
                user_id=values["user_id"],
                certificate=values["certificate"],
            )
        except ApplicationError as failure:
            if failure.status in (401, 403, 404):
                raise
            error = failure
        else:
            return redirect("enforcement:reviewers")
    return render(
        request,
        "enforcement/reviewers.html",
        {
            "reviewers": list(selectors.reviewer_list(user=request.user)),
            "candidates": list(selectors.reviewer_candidates(user=request.user)),
            "form": form,
            "error": error,
        },
        status=error.status if error else 200,
    )


@login_required
@require_POST
@render_application_errors
def reviewer_withdraw(request: JiedaoRequest, user_id: int) -> HttpResponse:
    services.legal_reviewer_withdraw(actor=request.user, user_id=user_id)
    return redirect("enforcement:reviewers")
