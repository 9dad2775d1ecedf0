"""The residents' pages (no sign-in, phone first) and the dispatchers' moderation queue.

Views parse input, call one selector or service and render. Decisions:

* **Tracking number** = the event number + a follow code (:mod:`jiedao.portal.tokens`). The
  code never travels in an address, so that it stays out of access logs, browser history and
  Referer headers: the look-up form POSTs it, and a checked code is kept in the resident's
  session (which ends with the browser, or after ``SESSION_IDLE_MINUTES``) for the follow page,
  ``follow/<number>/``, and its rate and reopen forms. Older links that carried the code
  (``follow/<number>/<code>/``) still work: they put the code in the session and redirect to
  the address without it. A wrong pair answers exactly like a missing one. Look-ups are
  throttled per address (``PORTAL_LOOKUPS_PER_MINUTE``). Follow pages are ``private, no-store``.
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
from datetime import timedelta
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from jiedao.core.errors import ApplicationError, InvalidInput, NotFound
from jiedao.core.http import JiedaoRequest
from jiedao.events.held import HeldPhoto, photos_held, photos_hold, photos_release
from jiedao.events.photos import check_photo
from jiedao.events.selectors import EventFilters
from jiedao.events.workflow import Source
from jiedao.web.errors import render_application_errors
from jiedao.web.middleware import private_answer

from . import selectors, selectors_maps, selectors_moderation, services
from .actors import PORTAL
from .forms import FollowForm, RateForm, ReopenForm, ReportForm
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
        "grids": selectors_maps.public_grid_features(),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def _report_page(
    request: HttpRequest,
    form: ReportForm,
    *,
    status: int = 200,
    problem: str = "",
    held: list[HeldPhoto] | None = None,
) -> HttpResponse:
    return render(
        request,
        "portal/report.html",
        {
            "form": form,
            "categories": selectors.public_categories(),
            "problem": problem,
            "max_photos": services.MAX_PHOTOS,
            "held": held or [],
            **_map_context(),
        },
        status=status,
    )


def _report_arguments(form: ReportForm) -> dict[str, Any]:
    """The intake's arguments from the form's cleaned values; a field the form refused is left
    out (its own message is shown)."""
    data = getattr(form, "cleaned_data", {})
    return {
        "category": data.get("category", ""),
        "description": data.get("description", ""),
        "lat": data.get("lat"),
        "lng": data.get("lng"),
        "address": data.get("address", ""),
        "reporter_name": data.get("reporter_name", ""),
        "reporter_phone": data.get("reporter_phone", ""),
    }


@public_errors
def report(request: HttpRequest) -> HttpResponse:
    """A resident's report. A refused form comes back with every problem beside its field and
    the photos that passed their check held (:mod:`jiedao.events.held`), so that they are not
    chosen, or uploaded on a slow network, again."""
    if request.method != "POST":
        return _report_page(request, ReportForm(initial={"client_uuid": uuid.uuid4()}))
    throttle("portal-report", client_address(request), limit=settings.PORTAL_REPORTS_PER_MINUTE)
    form = ReportForm(request.POST)
    if request.POST.get("website"):
        return render(request, "portal/refused.html", status=400)
    # The form's own random id: only the page that held the photos can send their tokens back.
    owner = f"portal:{request.POST.get('client_uuid', '')[:40]}"
    held = photos_held(tokens=request.POST.getlist("held_photos"), field="photos", owner=owner)
    photos = [photo.as_file() for photo in held] + list(request.FILES.getlist("photos"))

    def refused(problem: str = "", page_form: ReportForm = form) -> HttpResponse:
        kept = held + photos_hold(
            photos=request.FILES.getlist("photos"),
            field="photos",
            owner=owner,
            # No more than a report may carry: the portal is open to anyone.
            limit=services.MAX_PHOTOS - len(held),
        )
        return _report_page(request, page_form, status=422, problem=problem, held=kept)

    if not form.is_valid():
        try:
            services.public_report_check(door=PORTAL, photos=photos, **_report_arguments(form))
        except InvalidInput as error:
            form.add_service_error(error, skip=set(form.errors))
        return refused()
    data = form.cleaned_data
    try:
        submission = services.public_report_submit(
            door=PORTAL,
            channel=PublicReport.Channel.PORTAL,
            **_report_arguments(form),
            photos=photos,
            client_key=f"portal:{data['client_uuid']}",
        )
    except InvalidInput as error:
        if error.code == "idempotency_key_reused":
            # The form was sent before with other content (back, edit, send again); the
            # intake's message would name the internal key.
            fresh = ReportForm(initial={**data, "client_uuid": uuid.uuid4()})
            problem = gettext(
                "This form was already sent, with other content. Check the report below and "
                "send it again to make a new report."
            )
            return _report_page(request, fresh, status=422, problem=problem)
        form.add_service_error(error)
        return refused()
    photos_release(held)
    _remember_code(request, submission.event.number, submission.code)
    return redirect(reverse("portal:follow", kwargs={"number": submission.event.number}) + "?new=1")


@require_POST
def photo_location(request: HttpRequest) -> JsonResponse:
    """Where the chosen photo was taken, from its EXIF GPS data, so that the report form can put
    the pin there when the resident has not placed it yet. The photo is checked like at intake
    (so a refused photo is told at once, naming the field) and nothing is stored: the position
    goes back to the browser that sent the photo, and nowhere else."""
    try:
        throttle(
            "portal-photo",
            client_address(request),
            limit=settings.PORTAL_REPORTS_PER_MINUTE * services.MAX_PHOTOS,
        )
        upload = request.FILES.get("photo")
        if upload is None:
            raise InvalidInput(gettext("Choose a photo."), code="required", field="photos")
        checked = check_photo(upload, field="photos")
    except ApplicationError as error:
        return JsonResponse(error.as_body(), status=error.status)
    location = checked.location
    return JsonResponse(
        {"location": None if location is None else {"lat": location.lat, "lng": location.lng}}
    )


# The follow codes a browser has shown, by event number, in its session. A handful is enough:
# a resident follows their own few reports.
FOLLOWED_SESSION_KEY = "portal_followed"
MAX_FOLLOWED = 20


def _remember_code(request: HttpRequest, number: str, code: str) -> None:
    followed = dict(request.session.get(FOLLOWED_SESSION_KEY, {}))
    followed.pop(number, None)
    followed[number] = normalise_code(code)
    request.session[FOLLOWED_SESSION_KEY] = dict(list(followed.items())[-MAX_FOLLOWED:])


def _remembered_code(request: HttpRequest, number: str) -> str | None:
    code = request.session.get(FOLLOWED_SESSION_KEY, {}).get(number)
    return str(code) if code else None


def _ask_for_code(number: str) -> HttpResponse:
    """The look-up form with the number filled in: the session has no code for it (it ended, or
    this is another browser)."""
    return redirect(reverse("portal:follow_lookup") + "?" + urlencode({"number": number}))


@public_errors
def follow_lookup(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = FollowForm(initial={"number": request.GET.get("number", "")})
        return render(request, "portal/follow_lookup.html", {"form": form})
    form = FollowForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/follow_lookup.html", {"form": form}, status=422)
    throttle("portal-lookup", client_address(request), limit=settings.PORTAL_LOOKUPS_PER_MINUTE)
    number = form.cleaned_data["number"].strip().upper()
    code = normalise_code(form.cleaned_data["code"])
    try:
        selectors.public_report_find(number=number, code=code)
    except ApplicationError as error:
        form.add_error(None, str(error.message))
        return render(request, "portal/follow_lookup.html", {"form": form}, status=404)
    _remember_code(request, number, code)
    return redirect("portal:follow", number=number)


@public_errors
@private_answer
def follow_link(request: HttpRequest, number: str, code: str) -> HttpResponse:
    """An older link with the code in its address: checked, kept in the session, and redirected
    to the address without it (so that the code is not in the address bar, the history or any
    later request)."""
    throttle("portal-lookup", client_address(request), limit=settings.PORTAL_LOOKUPS_PER_MINUTE)
    selectors.public_report_find(number=number, code=code)
    _remember_code(request, number, code)
    return redirect("portal:follow", number=number)


def _follow_page(
    request: HttpRequest,
    followed: Any,
    code: str,
    *,
    rate_form: RateForm,
    reopen_form: ReopenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "portal/follow.html",
        {
            "followed": followed,
            "display_code": display_code(code),
            "is_new": request.GET.get("new") == "1",
            "rate_form": rate_form,
            "reopen_form": reopen_form or ReopenForm(),
        },
        status=status,
    )


@public_errors
@private_answer
def follow(request: HttpRequest, number: str) -> HttpResponse:
    code = _remembered_code(request, number)
    if code is None:
        return _ask_for_code(number)
    throttle("portal-lookup", client_address(request), limit=settings.PORTAL_LOOKUPS_PER_MINUTE)
    followed = selectors.public_report_follow(number=number, code=code)
    return _follow_page(request, followed, code, rate_form=RateForm())


@require_GET
@public_errors
@private_answer
def follow_photo(request: HttpRequest, number: str, photo_id: int) -> HttpResponse:
    """An "after" photo of the resident's own report: only for the browser holding the report's
    follow code (in its session), never under a public address; ``private, no-store`` like the
    follow page it is shown on, so that no shared cache keeps it."""
    code = _remembered_code(request, number)
    if code is None:
        raise NotFound(gettext("This report has no such photo."))
    # Not throttled like the look-ups: the code comes from the session, which only a throttled
    # look-up fills, so nothing can be guessed here.
    record = selectors.public_report_photo(number=number, code=code, photo_id=photo_id)
    # Photos are at most EVENT_PHOTO_MAX_BYTES (a few MB): read whole, the file closes at once.
    with record.file.open("rb") as handle:
        response = HttpResponse(handle.read(), content_type=record.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@public_errors
@private_answer
def rate(request: HttpRequest, number: str) -> HttpResponse:
    code = _remembered_code(request, number)
    if code is None:
        return _ask_for_code(number)
    throttle("portal-lookup", client_address(request), limit=settings.PORTAL_LOOKUPS_PER_MINUTE)
    form = RateForm(request.POST)
    if not form.is_valid():
        followed = selectors.public_report_follow(number=number, code=code)
        return _follow_page(request, followed, code, rate_form=form, status=422)
    try:
        services.public_report_rate(
            number=number,
            code=code,
            satisfaction=form.cleaned_data["satisfaction"],
            comment=form.cleaned_data["comment"],
        )
    except InvalidInput as error:
        for single in error.errors:
            form.add_error(
                single.field if single.field in form.fields else None, str(single.message)
            )
        followed = selectors.public_report_follow(number=number, code=code)
        return _follow_page(request, followed, code, rate_form=form, status=422)
    messages.success(request, gettext("Thank you for your rating."))
    return redirect("portal:follow", number=number)


@require_POST
@public_errors
@private_answer
def reopen(request: HttpRequest, number: str) -> HttpResponse:
    code = _remembered_code(request, number)
    if code is None:
        return _ask_for_code(number)
    throttle("portal-lookup", client_address(request), limit=settings.PORTAL_LOOKUPS_PER_MINUTE)
    form = ReopenForm(request.POST)
    form.is_valid()
    try:
        services.public_report_reopen(
            number=number, code=code, reason=form.cleaned_data.get("reason", "")
        )
    except InvalidInput as error:
        form.add_service_error(error)
        followed = selectors.public_report_follow(number=number, code=code)
        return _follow_page(
            request, followed, code, rate_form=RateForm(), reopen_form=form, status=422
        )
    messages.success(request, gettext("Your report is being handled again."))
    return redirect("portal:follow", number=number)


# The periods the public list offers, by the value of its "period" filter: the last N days of
# reports, or every report ("all"). The first is the default: what is going on now, not years of
# history.
PUBLIC_PERIODS: dict[str, int | None] = {"90": 90, "365": 365, "all": None}
DEFAULT_PERIOD = "90"
# The status filter's values; "open" is the default (what is still being dealt with).
PUBLIC_STATUSES = ("open", "closed", "all")
DEFAULT_STATUS = "open"


@public_errors
def events(request: HttpRequest) -> HttpResponse:
    """The public list and map: by default the open reports of the last 90 days; the filters
    widen it (every status, a longer period) or narrow it (a kind of problem)."""
    status = request.GET.get("status", DEFAULT_STATUS)
    if status not in PUBLIC_STATUSES:
        status = DEFAULT_STATUS
    period = request.GET.get("period", DEFAULT_PERIOD)
    if period not in PUBLIC_PERIODS:
        period = DEFAULT_PERIOD
    days = PUBLIC_PERIODS[period]
    category = request.GET.get("category", "")
    codes = [category] if category and selectors.public_category(category) else []
    filters = EventFilters(
        status=selectors.public_statuses([status] if status != "all" else []),
        service_codes=codes,
        created_from=None if days is None else timezone.now() - timedelta(days=days),
    )
    # Keyset pages (``?after=`` older, ``?before=`` newer): a link keeps showing the same
    # reports however many arrive meanwhile, and a deep page costs what the first does.
    after = request.GET.get("after", "")
    before = "" if after else request.GET.get("before", "")
    listing = selectors.public_event_page(filters, size=PAGE_SIZE, after=after, before=before)
    if before and not listing.items:
        # Every newer report was hidden since the link was made: the newest page instead.
        listing = selectors.public_event_page(filters, size=PAGE_SIZE)
    map_items = selectors.public_event_list(filters, limit=MAP_LIMIT)
    query = urlencode({"status": status, "period": period, "category": codes[0] if codes else ""})
    return render(
        request,
        "portal/events.html",
        {
            "items": listing.items,
            "older": listing.older,
            "newer": listing.newer,
            "status": status,
            "period": period,
            "query": query,
            "category": codes[0] if codes else "",
            "categories": selectors.public_categories(),
            "points": selectors_maps.public_event_features(map_items),
            **_map_context(),
        },
    )


# --- Moderation (dispatchers, administrators) ---------------------------------------------


@login_required
@render_application_errors
def moderation(request: JiedaoRequest) -> HttpResponse:
    hidden_only = request.GET.get("hidden") == "1"
    source = request.GET.get("source", "")
    if source not in selectors_moderation.MODERATION_SOURCES:
        source = ""
    queue = selectors_moderation.moderation_queue(
        user=request.user,
        hidden_only=hidden_only,
        source=source,
        cursor=request.GET.get("cursor", ""),
    )
    query = urlencode({"source": source, **({"hidden": "1"} if hidden_only else {})})
    return render(
        request,
        "portal/moderation.html",
        {
            "rows": queue.rows,
            "next_cursor": queue.next_cursor,
            "query": query,
            "hidden_only": hidden_only,
            "source": source,
            "sources": [
                (value, Source(value).label) for value in selectors_moderation.MODERATION_SOURCES
            ],
        },
    )


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
