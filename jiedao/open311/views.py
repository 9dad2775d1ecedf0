"""Open311 GeoReport v2 at ``/open311/v2/``, and the administrators' key page.

Decisions (see also :mod:`jiedao.open311.selectors` and :mod:`jiedao.open311.services`):

* ``service_code`` is the category code (小类), ``group`` its main category (大类); every
  service is ``realtime`` with ``metadata`` true: its definition has the attribute ``urgency``
  (紧急程度, optional) and the informational time limits. ``description`` is required.
* ``service_request_id`` is the event number (WY20261122-0001). POST answers it at once, with
  a token as well (``tokens/{token}`` gives the id back).
* ``status``: closed, rejected and merged events are ``closed``; every other status is ``open``;
  ``status_notes`` carries the public note or the status in plain words.
* GET requests: without ``start_date`` and ``end_date`` the last 90 days; with only
  ``end_date`` the 90 days before it; ``service_request_id`` (comma-separated) overrides every
  other argument; ``limit`` 1–1000 (default 1000), newest first.
* Locations are rounded to 3 decimals, ``address`` is the community and grid, ``media_url`` is
  always empty: photos, contact details and staff names never leave through Open311. Events
  hidden by moderation or of a private category do not exist here.
* ``jurisdiction_id`` is the subdistrict code; optional while one subdistrict is served.
* Errors use the spec's body with statuses 400 (bad or missing argument), 403 (missing, wrong
  or revoked ``api_key``, or a key of another jurisdiction), 404 (unknown service, request,
  token or jurisdiction), 429 (rate limit, with ``Retry-After``).
* Rate limits: every call counts against its client address
  (``OPEN311_REQUESTS_PER_MINUTE_PER_IP``); a POST also against its key's own limit.
"""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from jiedao.core.errors import (
    ApplicationError,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthenticated,
)
from jiedao.core.http import JiedaoRequest
from jiedao.core.localtime import local_end, local_start, local_today, local_zone
from jiedao.events.catalogue import category_by_code
from jiedao.events.models import Category
from jiedao.events.selectors import EventFilters
from jiedao.portal.selectors import public_event_get, public_event_list, public_statuses
from jiedao.portal.throttle import client_address, throttle
from jiedao.web.errors import render_application_errors

from . import selectors, services
from .render import error_response, respond

DEFAULT_DAYS = 90
MAX_LIMIT = 1000
STATUS_FOR_ERROR = {400: 400, 401: 403, 403: 403, 404: 404, 409: 409, 422: 400, 429: 429}


def open311_endpoint(*methods: str) -> Callable[..., Any]:
    """Allow ``methods``, throttle by client address, answer errors in the spec's format."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                response = error_response(
                    fmt,
                    405,
                    gettext("Method %(method)s is not allowed here; use %(allowed)s.")
                    % {"method": request.method, "allowed": ", ".join(methods)},
                )
                response["Allow"] = ", ".join(methods)
                return response
            try:
                throttle(
                    "open311-ip",
                    client_address(request),
                    limit=settings.OPEN311_REQUESTS_PER_MINUTE_PER_IP,
                )
                return view(request, *args, fmt=fmt, **kwargs)
            except ApplicationError as error:
                status = STATUS_FOR_ERROR.get(error.status, 400)
                retry_after = error.extra.get("retry_after") if status == 429 else None
                return error_response(fmt, status, str(error.message), retry_after=retry_after)

        return wrapper

    return decorate


@open311_endpoint("GET")
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    url = base.rsplit("/", 1)[0]
    updated = iso_now_day()
    return respond(
        fmt,
        "discovery",
        {
            "changeset": updated,
            "contact": gettext(
                "The subdistrict's command centre (基层治理综合信息指挥室) answers questions "
                "about this interface."
            ),
            "key_service": gettext(
                "API keys for posting requests are issued by the subdistrict's administrators."
            ),
            "endpoints": [
                {
                    "specification": selectors.SPECIFICATION,
                    "url": url,
                    "changeset": updated,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def iso_now_day() -> str:
    """The start of today, local time: the changeset of a catalogue that changes rarely."""
    return selectors.iso(local_start(local_today())) or ""


@open311_endpoint("GET")
def service_list(request: HttpRequest, *, fmt: str) -> HttpResponse:
    selectors.jurisdiction(request.GET.get("jurisdiction_id"))
    return respond(fmt, "services", selectors.service_list())


@open311_endpoint("GET")
def service_definition(request: HttpRequest, *, service_code: str, fmt: str) -> HttpResponse:
    selectors.jurisdiction(request.GET.get("jurisdiction_id"))
    return respond(fmt, "service_definition", selectors.service_definition(service_code))


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _moment(request: HttpRequest, name: str, *, end: bool) -> datetime | None:
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return None
    try:
        moment = parse_datetime(raw.replace(" ", "+"))
        day: date | None = None if moment is not None else parse_date(raw)
    except ValueError:  # well formed, but not a real date (month 13)
        moment, day = None, None
    if moment is None and day is not None:
        moment = local_end(day) if end else local_start(day)
    if moment is None:
        raise InvalidInput(
            _(
                "%(field)s “%(value)s” is not an ISO 8601 date and time (e.g. 2026-11-01T00:00:00+08:00)."
            )
            % {"field": name, "value": raw},
            field=name,
        )
    return moment if moment.utcoffset() is not None else moment.replace(tzinfo=local_zone())


def _request_filters(request: HttpRequest) -> tuple[EventFilters, int]:
    subdistrict = selectors.jurisdiction(request.GET.get("jurisdiction_id"))
    raw_limit = (request.GET.get("limit") or str(MAX_LIMIT)).strip()
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MAX_LIMIT:
        raise InvalidInput(
            _("limit must be a whole number from 1 to %(max)s.") % {"max": MAX_LIMIT},
            field="limit",
        )
    numbers = _split(request.GET.get("service_request_id"))
    if numbers:
        return EventFilters(numbers=numbers, subdistrict=subdistrict.code), int(raw_limit)
    statuses = _split(request.GET.get("status"))
    unknown = [status for status in statuses if status not in ("open", "closed")]
    if unknown:
        raise InvalidInput(
            _("status “%(value)s” is not open or closed.") % {"value": unknown[0]},
            field="status",
        )
    codes = _split(request.GET.get("service_code"))
    missing = [code for code in codes if category_by_code(code) is None]
    if missing:
        # Not in this process's catalogue: a category just created elsewhere, or none.
        known = set(Category.objects.filter(code__in=missing).values_list("code", flat=True))
        missing = [code for code in missing if code not in known]
    if missing:
        raise InvalidInput(
            _("service_code “%(code)s” was not found.") % {"code": missing[0]},
            field="service_code",
        )
    start = _moment(request, "start_date", end=False)
    end = _moment(request, "end_date", end=True)
    if start is None and end is None:
        start = timezone.now() - timedelta(days=DEFAULT_DAYS)
    elif start is None and end is not None:
        start = end - timedelta(days=DEFAULT_DAYS)
    if start is not None and end is not None and start > end:
        raise InvalidInput(_("start_date is after end_date."), field="start_date")
    filters = EventFilters(
        status=public_statuses(statuses),
        service_codes=codes,
        created_from=start,
        created_until=end,
        subdistrict=subdistrict.code,
    )
    return filters, int(raw_limit)


def _api_key(request: HttpRequest) -> Any:
    key = request.POST.get("api_key") or request.GET.get("api_key") or ""
    if not key:
        raise Unauthenticated(_("api_key was not provided."))
    api_key = selectors.api_key_authenticate(key)
    if api_key is None:
        raise Forbidden(_("Invalid api_key received: it is unknown or has been revoked."))
    return api_key


@open311_endpoint("GET", "POST")
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _post_request(request, fmt)
    filters, limit = _request_filters(request)
    rows = selectors.request_rows(public_event_list(filters, limit=limit))
    return respond(fmt, "service_requests", rows)


def _post_request(request: HttpRequest, fmt: str) -> HttpResponse:
    api_key = _api_key(request)
    throttle("open311-key", str(api_key.pk), limit=api_key.rate_limit_per_minute)
    posted = services.open311_request_create(
        api_key=api_key,
        params=request.POST,
        media=request.FILES.getlist("media"),
        idempotency_key=(request.headers.get("Idempotency-Key") or "").strip(),
    )
    event = posted.request.event
    body = [
        {
            "service_request_id": event.number,
            "token": posted.request.token,
            "service_notice": selectors.service_notice(event.category),
            "account_id": posted.request.account_id or None,
        }
    ]
    return respond(fmt, "service_requests", body, status=201 if posted.created else 200)


@open311_endpoint("GET")
def request_detail(request: HttpRequest, *, service_request_id: str, fmt: str) -> HttpResponse:
    selectors.jurisdiction(request.GET.get("jurisdiction_id"))
    try:
        item = public_event_get(service_request_id)
    except NotFound:
        raise NotFound(
            _("service_request_id “%(id)s” was not found.") % {"id": service_request_id}
        ) from None
    return respond(fmt, "service_requests", [selectors.request_row(item)])


@open311_endpoint("GET")
def token_detail(request: HttpRequest, *, token: str, fmt: str) -> HttpResponse:
    selectors.jurisdiction(request.GET.get("jurisdiction_id"))
    return respond(fmt, "service_requests", [selectors.token_row(token)])


# --- Administrators: API keys ---------------------------------------------------------------


@login_required
@render_application_errors
def key_list(request: JiedaoRequest) -> HttpResponse:
    keys = selectors.api_key_list(user=request.user)
    issued = None
    errors: dict[str, str] = {}
    form = {"name": "", "rate_limit_per_minute": "30"}
    if request.method == "POST":
        form = {
            "name": request.POST.get("name", ""),
            "rate_limit_per_minute": request.POST.get("rate_limit_per_minute", "30"),
        }
        raw_limit = form["rate_limit_per_minute"].strip()
        try:
            issued = services.api_key_issue(
                actor=request.user,
                name=form["name"],
                rate_limit_per_minute=int(raw_limit) if raw_limit.isdigit() else -1,
            )
        except InvalidInput as error:
            errors[error.field or "name"] = str(error.message)
        keys = selectors.api_key_list(user=request.user)
    return render(
        request,
        "open311/keys.html",
        {"keys": keys, "issued": issued, "errors": errors, "form": form},
        status=422 if errors else 200,
    )


@login_required
@require_POST
@render_application_errors
def key_revoke(request: JiedaoRequest, key_id: int) -> HttpResponse:
    api_key = services.api_key_revoke(actor=request.user, key_id=key_id)
    messages.success(request, gettext("The key “%(name)s” is revoked.") % {"name": api_key.name})
    return redirect("open311:keys")
