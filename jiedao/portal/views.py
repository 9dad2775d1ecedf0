"""The residents' pages (no sign-in, phone first) and the dispatchers' moderation queue.

Views parse input, call one selector or service and render. Decisions:

* **Tracking number** = the event number + a follow code (:mod:`jiedao.portal.tokens`). The
  follow page's address carries both; the look-up form asks for both, and a wrong pair answers
  exactly like a missing one. Look-ups are throttled per address (``PORTAL_LOOKUPS_PER_MINUTE``).
* **Honeypot**: the report form has a field people never see (``website``). When it is filled
  the answer is a plain 400 that says the report was not accepted, and nothing is stored — an
  honest refusal rather than a fake success, so that a person whose browser filled it by
  mistake is not left with a tracking number that does not exist.
* **Retries**: the form carries a ``client_uuid`` made when it was shown; submitting it again
  (a double tap, a reload after a lost answer) leads to the same report and follow code.
* Submissions are throttled per address (``PORTAL_REPORTS_PER_MINUTE``): 429 with Retry-After.
"""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jiedao.core.errors import ApplicationError, InvalidInput
from jiedao.core.http import JiedaoRequest
from jiedao.events.selectors import EventFilters
from jiedao.web.errors import render_application_errors

from . import selectors, services
from .actors import PORTAL
from .forms import FollowForm, RateForm, ReportForm
from .models import PublicReport
from .throttle import client_address, throttle
from .tokens import display_code, normalise_code

PAGE_SIZE = 20
MAP_LIMIT = 500


def public_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Show an ApplicationError on the public error page (with Retry-After for a 429)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as error:
            response = render(request, "portal/error.html", {"error": error}, status=error.status)
            if error.status == 429:
                response["Retry-After"] = str(error.extra.get("retry_after", 60))
            return response

    return wrapper


def _map_context() -> dict[str, Any]:
    return {
        "grids": selectors.public_grid_features(),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def _report_page(
    request: HttpRequest, form: ReportForm, *, status: int = 200, problem: str = ""
) -> HttpResponse:
    return render(
        request,
        "portal/report.html",
        {
            "form": form,
            "categories": selectors.public_categories(),
            "problem": problem,
            "max_photos": services.MAX_PHOTOS,
            **_map_context(),
        },
        status=status,
    )


@public_errors
def report(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _report_page(request, ReportForm(initial={"client_uuid": uuid.uuid4()}))
    throttle("portal-report", client_address(request), limit=settings.PORTAL_REPORTS_PER_MINUTE)
    form = ReportForm(request.POST)
    if request.POST.get("website"):
        return render(request, "portal/refused.html", status=400)
    if not form.is_valid():
        return _report_page(request, form, status=422)
    data = form.cleaned_data
    try:
        submission = services.public_report_submit(
            door=PORTAL,
            channel=PublicReport.Channel.PORTAL,
            category=data["category"],
            description=data["description"],
            lat=data["lat"],
            lng=data["lng"],
            address=data["address"],
            reporter_name=data["reporter_name"],
            reporter_phone=data["reporter_phone"],
            photos=request.FILES.getlist("photos"),
            client_key=f"portal:{data['client_uuid']}",
        )
    except InvalidInput as error:
        field = error.field if error.field in form.fields else None
        if error.field in ("lat", "lng"):
            field = None
        if field:
            form.add_error(field, str(error.message))
            return _report_page(request, form, status=422)
        return _report_page(request, form, status=422, problem=str(error.message))
    url = reverse(
        "portal:follow", kwargs={"number": submission.event.number, "code": submission.code}
    )
    return redirect(f"{url}?new=1")


@public_errors
def follow_lookup(request: HttpRequest) -> HttpResponse:
    form = FollowForm(request.GET or None)
    if request.GET and form.is_valid():
        throttle("portal-lookup", client_address(request), limit=settings.PORTAL_LOOKUPS_PER_MINUTE)
        number = form.cleaned_data["number"].strip().upper()
        code = normalise_code(form.cleaned_data["code"])
        try:
            selectors.public_report_find(number=number, code=code)
        except ApplicationError as error:
            form.add_error(None, str(error.message))
            return render(request, "portal/follow_lookup.html", {"form": form}, status=404)
        return redirect("portal:follow", number=number, code=code)
    return render(request, "portal/follow_lookup.html", {"form": form})


@public_errors
def follow(request: HttpRequest, number: str, code: str) -> HttpResponse:
    throttle("portal-lookup", client_address(request), limit=settings.PORTAL_LOOKUPS_PER_MINUTE)
    followed = selectors.public_report_follow(number=number, code=code)
    return render(
        request,
        "portal/follow.html",
        {
            "followed": followed,
            "code": normalise_code(code),
            "display_code": display_code(normalise_code(code)),
            "is_new": request.GET.get("new") == "1",
            "rate_form": RateForm(),
        },
    )


@require_POST
@public_errors
def rate(request: HttpRequest, number: str, code: str) -> HttpResponse:
    throttle("portal-lookup", client_address(request), limit=settings.PORTAL_LOOKUPS_PER_MINUTE)
    form = RateForm(request.POST)
    if not form.is_valid():
        followed = selectors.public_report_follow(number=number, code=code)
        return render(
            request,
            "portal/follow.html",
            {
                "followed": followed,
                "code": normalise_code(code),
                "display_code": display_code(normalise_code(code)),
                "rate_form": form,
            },
            status=422,
        )
    services.public_report_rate(
        number=number,
        code=code,
        satisfaction=form.cleaned_data["satisfaction"],
        comment=form.cleaned_data["comment"],
    )
    messages.success(request, gettext("Thank you for your rating."))
    return redirect("portal:follow", number=number, code=normalise_code(code))


@require_POST
@public_errors
def reopen(request: HttpRequest, number: str, code: str) -> HttpResponse:
    throttle("portal-lookup", client_address(request), limit=settings.PORTAL_LOOKUPS_PER_MINUTE)
    services.public_report_reopen(number=number, code=code, reason=request.POST.get("reason", ""))
    messages.success(request, gettext("Your report is being handled again."))
    return redirect("portal:follow", number=number, code=normalise_code(code))


@public_errors
def events(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    statuses = [status] if status in ("open", "closed") else []
    category = request.GET.get("category", "")
    codes = [category] if category and selectors.public_category(category) else []
    page_text = request.GET.get("page", "1")
    page = int(page_text) if page_text.isdigit() and int(page_text) > 0 else 1
    filters = EventFilters(status=selectors.public_statuses(statuses), service_codes=codes)
    items, has_next = selectors.public_event_page(filters, page=page, size=PAGE_SIZE)
    map_items = selectors.public_event_list(filters, limit=MAP_LIMIT)
    return render(
        request,
        "portal/events.html",
        {
            "items": items,
            "page": page,
            "has_next": has_next,
            "status": status if statuses else "",
            "category": codes[0] if codes else "",
            "categories": selectors.public_categories(),
            "points": selectors.public_event_features(map_items),
            **_map_context(),
        },
    )


# --- Moderation (dispatchers, administrators) ---------------------------------------------


@login_required
@render_application_errors
def moderation(request: JiedaoRequest) -> HttpResponse:
    hidden_only = request.GET.get("hidden") == "1"
    rows = selectors.moderation_queue(user=request.user, hidden_only=hidden_only)
    return render(request, "portal/moderation.html", {"rows": rows, "hidden_only": hidden_only})


@login_required
@require_POST
@render_application_errors
def moderation_set(request: JiedaoRequest, number: str) -> HttpResponse:
    hidden = request.POST.get("hidden") == "1"
    try:
        services.event_visibility_set(
            actor=request.user, number=number, hidden=hidden, reason=request.POST.get("reason", "")
        )
    except InvalidInput as error:
        messages.error(request, str(error.message))
        return redirect("portal:moderation")
    if hidden:
        messages.success(
            request, gettext("%(number)s is hidden from the public.") % {"number": number}
        )
    else:
        messages.success(request, gettext("%(number)s is public again.") % {"number": number})
    return redirect("portal:moderation")
