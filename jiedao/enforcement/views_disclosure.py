"""双公示 pages: the public list of published penalty decisions (no sign-in, rate-limited per
address, filters by the decisions' dates and a text, paginated) with its CSV and Excel files,
and the staff's doors on the case file — publish a decision (公示) and withdraw a publication
(撤销公示). Every page calls the services and selectors the API calls."""

from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from jiedao.core.errors import ApplicationError, NotFound
from jiedao.core.http import JiedaoRequest
from jiedao.core.localtime import local_today
from jiedao.portal.throttle import client_address, throttle
from jiedao.portal.views import public_errors
from jiedao.web.errors import render_application_errors

from . import exports_disclosure as exports
from . import selectors_disclosure as selectors
from . import services
from .views_cases import render_case_file


def _page_number(value: str) -> int:
    return int(value) if value.isdigit() and 0 < int(value) < 100000 else 1


@require_GET
@public_errors
def public_list(request: HttpRequest) -> HttpResponse:
    """The published penalty decisions, newest decision first, 20 to a page."""
    throttle(
        "enforcement-disclosure",
        client_address(request),
        limit=settings.ENFORCEMENT_DISCLOSURE_PAGES_PER_MINUTE,
    )
    filters = selectors.public_filters(request.GET)
    page = _page_number(request.GET.get("page", "1"))
    rows, has_next = selectors.public_page(filters, page=page)
    query = urlencode(filters.query())
    return render(
        request,
        "enforcement/disclosure_public.html",
        {
            "rows": rows,
            "filters": filters,
            "page": page,
            "has_next": has_next,
            "query": query,
        },
    )


@require_GET
@public_errors
def public_file(request: HttpRequest, file_format: str) -> HttpResponse:
    """The public list with the page's filters as a .csv or .xlsx file."""
    if file_format not in exports.WRITERS:
        # The public error page, in the residents' layout (an Http404 would get the staff's).
        raise NotFound()
    throttle(
        "enforcement-disclosure-file",
        client_address(request),
        limit=settings.ENFORCEMENT_DISCLOSURE_FILES_PER_MINUTE,
    )
    filters = selectors.public_filters(request.GET)
    content = exports.WRITERS[file_format](selectors.public_export(filters))
    return file_response(content, file_format)


def file_response(content: bytes, file_format: str) -> HttpResponse:
    """The file as a download; shared by the page and the API."""
    name = exports.export_filename(file_format, local_today())
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[file_format])
    response["Content-Disposition"] = (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    )
    return response


@login_required
@require_POST
@render_application_errors
def case_publish(request: JiedaoRequest, case_id: int) -> HttpResponse:
    """公示 on the case file: the type of violation and the content of the penalty as shown
    (prefilled from the case) complete it, then the decision is published."""
    try:
        services.disclosure_publish(
            actor=request.user,
            case_id=case_id,
            violation_type=request.POST.get("violation_type", ""),
            penalty_content=request.POST.get("penalty_content", ""),
        )
    except ApplicationError as failure:
        if failure.status in (401, 403, 404):
            raise
        return render_case_file(request, case_id, failure)
    return redirect("enforcement:case", case_id=case_id)


@login_required
@require_POST
@render_application_errors
def disclosure_withdraw(request: JiedaoRequest, case_id: int, disclosure_id: int) -> HttpResponse:
    """撤销公示 on the case file, with the reason."""
    try:
        services.disclosure_withdraw(
            actor=request.user, disclosure_id=disclosure_id, reason=request.POST.get("reason", "")
        )
    except ApplicationError as failure:
        if failure.status in (401, 403, 404):
            raise
        return render_case_file(request, case_id, failure)
    return redirect("enforcement:case", case_id=case_id)
