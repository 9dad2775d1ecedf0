"""Case pages (phone-first): the officer's list with the running clocks, the case file (its
timeline, every clock and the moves the user may take, as forms), opening a case from a lead,
an event or an inspection finding, and the simple procedure. Every page calls the services and
selectors the API calls."""

from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiedao.accounts.permissions import can, require, scoped
from jiedao.core.errors import ApplicationError
from jiedao.core.http import JiedaoRequest
from jiedao.core.localtime import local_today
from jiedao.web.errors import render_application_errors

from . import selectors_cases as selectors
from . import selectors_disclosure as disclosure
from . import services
from .forms import cleaned
from .forms_cases import CaseOpenForm, CaseSimpleForm, CaseStepForm
from .models import Target
from .services.documents import case_document_file
from .workflow_cases import CASE_ACTION_LABELS, CASE_TRANSITIONS, CaseStatus, DisclosureState


def _targets(user: Any) -> list[Target]:
    return list(scoped(user, Target.objects.only("pk", "name", "kind")).order_by("name", "pk"))


@login_required
@render_application_errors
def case_list(request: JiedaoRequest) -> HttpResponse:
    level = request.GET.get("level", "")
    status = request.GET.get("status", "")
    disclosure_filter = request.GET.get("disclosure", "")
    to_review = request.GET.get("to_review", "") == "1"
    cases = list(
        selectors.case_list(
            user=request.user,
            status=status,
            level=level,
            disclosure=disclosure_filter,
            to_review=to_review,
        )[:200]
    )
    now = timezone.now()
    today = local_today()
    return render(
        request,
        "enforcement/case_list.html",
        {
            "rows": [
                (
                    case,
                    selectors.case_level(case, now),
                    disclosure.case_disclosure_flag(case, today),
                )
                for case in cases
            ],
            "level": level,
            "disclosure": disclosure_filter,
            "status": status,
            "to_review": to_review,
            "statuses": CaseStatus.choices,
            "can_open": can(request.user, "enforcement.case_manage"),
        },
    )


@login_required
@render_application_errors
def case_new(request: JiedaoRequest) -> HttpResponse:
    """Open a case; ``?event=NUMBER`` or ``?rectification=ID`` start it from that source."""
    require(request.user, "enforcement.case_manage")
    error = None
    if request.method == "POST":
        try:
            values = cleaned(CaseOpenForm(request.POST))
            case = services.case_open(
                actor=request.user,
                title=values["title"],
                target_id=values["target_id"],
                event_number=values["event_number"],
                rectification_id=values["rectification_id"],
                facts=values["facts"],
                grave=values["grave"],
                needs_review=values["needs_review"],
            )
        except ApplicationError as failure:
            error = failure
        else:
            return redirect("enforcement:case", case_id=case.pk)
    source = request.POST if request.method == "POST" else request.GET
    return render(
        request,
        "enforcement/case_new.html",
        {
            "error": error,
            "targets": _targets(request.user),
            "event": source.get("event_number") or source.get("event", ""),
            "rectification": source.get("rectification_id") or source.get("rectification", ""),
            "values": source,
        },
        status=error.status if error else 200,
    )


@login_required
@render_application_errors
def case_simple(request: JiedaoRequest) -> HttpResponse:
    """当场处罚: a warning or a small fine, decided and served on the spot."""
    require(request.user, "enforcement.case_manage")
    error = None
    if request.method == "POST":
        try:
            case = services.case_simple(actor=request.user, **cleaned(CaseSimpleForm(request.POST)))
        except ApplicationError as failure:
            error = failure
        else:
            return redirect("enforcement:case", case_id=case.pk)
    return render(
        request,
        "enforcement/case_simple.html",
        {"error": error, "targets": _targets(request.user), "values": request.POST},
        status=error.status if error else 200,
    )


def render_case_file(request: JiedaoRequest, case_id: int, error: Any = None) -> HttpResponse:
    """The case file, with a refused move's ``error`` beside the forms."""
    case = selectors.case_get(user=request.user, case_id=case_id)
    moves = selectors.case_moves(request.user, case)
    return render(
        request,
        "enforcement/case_detail.html",
        {
            "case": case,
            "steps": selectors.case_steps(case),
            "clocks": selectors.case_clock_views(case),
            "moves": [
                (move, CASE_ACTION_LABELS[move], CASE_TRANSITIONS[(case.status, move)].inputs)
                for move in moves
            ],
            "error": error,
            "labels": CASE_ACTION_LABELS,
            "disclosure_flag": disclosure.case_disclosure_flag(case),
            "disclosures": disclosure.case_disclosures(user=request.user, case=case),
            "can_publish": can(request.user, "enforcement.disclosure_publish")
            and case.disclosure in (DisclosureState.PENDING, DisclosureState.WITHDRAWN),
            "can_withdraw": can(request.user, "enforcement.disclosure_withdraw"),
            "documents": selectors.case_document_list(user=request.user, case=case),
        },
        status=error.status if error else 200,
    )


@login_required
@render_application_errors
def case_detail(request: JiedaoRequest, case_id: int) -> HttpResponse:
    return render_case_file(request, case_id)


@login_required
@require_POST
@render_application_errors
def case_step(request: JiedaoRequest, case_id: int) -> HttpResponse:
    try:
        values = cleaned(CaseStepForm(request.POST))
        given = {key: value for key, value in values.items() if value not in (None, "")}
        services.case_transition(
            actor=request.user, case_id=case_id, **(given | {"action": values["action"]})
        )
    except ApplicationError as failure:
        if failure.status in (401, 403, 404):
            raise
        return render_case_file(request, case_id, failure)
    return redirect("enforcement:case", case_id=case_id)


@login_required
@render_application_errors
def case_document(
    request: JiedaoRequest, case_id: int, kind: str, file_format: str
) -> HttpResponse:
    """A document of the case as Word or PDF; the first download issues its number."""
    document = case_document_file(
        actor=request.user, case_id=case_id, kind=kind, file_format=file_format
    )
    return document_response(document)


def document_response(document: Any) -> HttpResponse:
    """The file as an attachment under its Chinese name (RFC 6266's ``filename*``)."""
    return HttpResponse(
        document.content,
        content_type=document.content_type,
        headers={
            "Content-Disposition": content_disposition_header(True, document.filename),
            "X-Document-Number": quote(document.number),
        },
    )
