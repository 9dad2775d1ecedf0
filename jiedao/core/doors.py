"""Which door a request came through, and an error in that door's own format.

Middleware that answers before any view (refused input, a database outage) must still answer the
way the door's clients read errors: the API's ``{"error": {...}}`` body, Open311's error list in
JSON or XML, a page for people.
"""

import enum
import re

from django.http import HttpRequest, HttpResponse, JsonResponse

from .errors import ApplicationError

_OPEN311 = re.compile(r"^/open311/v2/.*\.(?P<fmt>json|xml)$")


class Door(enum.Enum):
    API = "api"
    OPEN311 = "open311"
    PAGE = "page"


def door_of(request: HttpRequest) -> Door:
    if request.path.startswith("/api/"):
        return Door.API
    if _OPEN311.match(request.path):
        return Door.OPEN311
    return Door.PAGE


def api_error(error: ApplicationError) -> JsonResponse:
    return JsonResponse(
        error.as_body(), status=error.status, json_dumps_params={"ensure_ascii": False}
    )


def open311_error(request: HttpRequest, status: int, error: ApplicationError) -> HttpResponse:
    """Open311's error body (``[{"code", "description"}]``) in the format the path asks for."""
    # Imported here: core is below every app, and only this door's format lives in open311.
    from jiedao.open311.render import error_response

    found = _OPEN311.match(request.path)
    fmt = found.group("fmt") if found else "json"
    return error_response(fmt, status, str(error.message))
