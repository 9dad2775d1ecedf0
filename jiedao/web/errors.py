"""Showing an error to a person: the same message the API would give, on a page that says what
went wrong and what to do next in words — never the HTTP status number, which tells a reader
nothing (the response keeps its status for browsers and machines).

:func:`render_application_errors` shows a view's :class:`ApplicationError`; the handlers below
(``handler404`` and its kin in :mod:`jiedao.config.urls`) answer what Django itself raises —
``Http404``, ``PermissionDenied``, ``SuspiciousOperation``, an unexpected exception — in the
same words. Each answers in the door's own format: the API's JSON body and Open311's error list
stay what their clients read (:mod:`jiedao.core.doors`), people get a page.
"""

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from jiedao.core import doors
from jiedao.core.errors import ApplicationError, Forbidden, NotFound
from jiedao.core.outage import DATABASE_ERRORS, outage_response

# The residents' pages, whose errors keep the residents' layout (and its way back home).
PUBLIC_PREFIX = "/public/"


class ServerError(ApplicationError):
    """What went wrong was the server's: nothing the reader can correct (HTTP 500)."""

    status = 500
    default_code = "server_error"


# What a page says for each kind of error: its title and what the reader can do next.
PAGE_TEXTS: dict[int, tuple[Any, Any]] = {
    400: (
        _("The request could not be read"),
        _("Go back, check what you entered and send it again."),
    ),
    401: (_("Please sign in"), _("Sign in, then open the page again.")),
    403: (
        _("Not allowed"),
        _(
            "Your account does not have this permission. If your work needs it, ask the "
            "administrator of Jiedao to grant it."
        ),
    ),
    404: (
        _("Not found"),
        _(
            "This page or record does not exist, or it is outside your scope. Check the "
            "address, or start again from the home page."
        ),
    ),
    409: (
        _("This cannot be done now"),
        _("The record has changed in the meantime. Go back, reload the page and check its state."),
    ),
    413: (_("Too large"), _("Send less at once: a smaller file or fewer items.")),
    422: (
        _("Please check what you entered"),
        _("Go back, correct what is named above and try again."),
    ),
    429: (_("Too many attempts"), _("Wait a moment, then try again.")),
    500: (
        _("Something went wrong on our side"),
        _(
            "This was not caused by anything you did, and it has been recorded. Go back and try "
            "again in a moment; if it happens again, tell the administrator of Jiedao."
        ),
    ),
}
OTHER_TEXTS = (_("Something is wrong"), _("Go back and try again."))


def page_texts(status: int) -> dict[str, Any]:
    """The title and the advice of the error page for ``status``."""
    title, advice = PAGE_TEXTS.get(status, OTHER_TEXTS)
    return {"title": title, "advice": advice}


def render_application_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ApplicationError as error:
            return render(request, "web/error.html", {"error": error}, status=error.status)

    return wrapper


def _answer(request: HttpRequest, error: ApplicationError, *, plain: bool = False) -> HttpResponse:
    """``error`` in the format of the door ``request`` came through. ``plain``: a page that
    needs neither the database nor the request (the site's layout reads the user and the
    navigation, which a broken request or a failing server may not give)."""
    door = doors.door_of(request)
    if door is doors.Door.API:
        return doors.api_error(error)
    if door is doors.Door.OPEN311:
        return doors.open311_error(request, error.status, error)
    if plain:
        content = render_to_string("web/error_plain.html", {"error": error})
        return HttpResponse(content, status=error.status)
    template = "portal/error.html" if request.path.startswith(PUBLIC_PREFIX) else "web/error.html"
    return render(request, template, {"error": error}, status=error.status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler404``: missing and out of scope look the same (the NotFound message)."""
    return _answer(request, NotFound())


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler403``."""
    return _answer(
        request, Forbidden(_("Your account does not have the permission for this page."))
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler400``: a request Django refused as malformed or suspicious (a host not served,
    too many fields); the page needs nothing from it."""
    refused = ApplicationError(
        _("The request could not be read and was refused."), code="bad_request"
    )
    return _answer(request, refused, plain=True)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a database error raised outside any view (by a middleware reading the
    session, say) gets the outage answer; anything else a page that needs neither the database
    nor the request context, which may be what failed."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return outage_response(request, error)
    return _answer(request, ServerError(_("An unexpected error stopped this request.")), plain=True)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form sent without its valid token — most often a page left open
    past the end of its session. Django's own page shows "403" and the internal reason."""
    content = render_to_string("web/form_expired.html")
    return HttpResponse(content, status=403)
