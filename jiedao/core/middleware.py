"""Refusing, for every app at once, URLs that no part of Jiedao can handle."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .errors import InvalidInput


class RejectNulCharactersMiddleware:
    """Answer 422 to a URL whose path or query parameters contain a NUL character.

    No code, name or filter value contains one, and PostgreSQL refuses NUL in text even inside a
    comparison, so any query using such a value would end in a server error. Django's forms
    already refuse NUL (``ProhibitNullCharactersValidator``); this covers API paths and query
    parameters too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        field = field_with_nul(request)
        if field is None:
            return self.get_response(request)
        error = InvalidInput(
            _("%(field)s contains a NUL character, which is never valid.") % {"field": field},
            code="nul_character",
            field=field,
        )
        if request.path.startswith(reverse("api:api-root")):
            return JsonResponse(error.as_body(), status=error.status)
        return HttpResponse(
            str(error.message), status=error.status, content_type="text/plain; charset=utf-8"
        )


def field_with_nul(request: HttpRequest) -> str | None:
    """``path``, or the name of the first query parameter containing a NUL character."""
    if "\x00" in request.path:
        return "path"
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            return name.replace("\x00", "")
    return None
