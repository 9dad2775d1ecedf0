"""The one NinjaAPI. Each app contributes a Router from its ``api.py``."""

from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from jiedao.accounts.auth import BearerTokenAuth, SessionCookieAuth
from jiedao.core.errors import ApplicationError
from jiedao.core.outage import outage_response
from jiedao.core.textinput import FIELD_LABELS

api = NinjaAPI(
    title="Jiedao API",
    version="1",
    description=(
        "JSON API of Jiedao, the subdistrict governance platform. Authenticate with a session "
        "cookie (plus the CSRF token for writes) or with `Authorization: Bearer <token>` from "
        "`POST /api/accounts/tokens`. Errors have the body "
        '`{"error": {"code", "message", "field", "extra"}}`; objects outside your scope answer '
        "404, exactly like missing ones."
    ),
    # Bearer first: a token client sends no CSRF cookie, and the session check would refuse it.
    auth=[BearerTokenAuth(), SessionCookieAuth()],
    urls_namespace="api",
)


def error_response(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    field: str | None = None,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    body = {"error": {"code": code, "message": message, "field": field, "extra": extra or {}}}
    return api.create_response(request, body, status=status)


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, exc.as_body(), status=exc.status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = []
    for error in exc.errors:
        location = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "payload")
        ]
        problems.append({"field": ".".join(location), "message": error.get("msg", "")})
    first = problems[0] if problems else {"field": None, "message": ""}
    # Named by the label people see where the field has one; ``field`` keeps the key.
    label = FIELD_LABELS.get(first["field"] or "", first["field"])
    message = _("%(field)s: %(problem)s") % {"field": label, "problem": first["message"]}
    return error_response(request, 422, "invalid", message, first["field"], {"errors": problems})


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error_response(
        request,
        401,
        "unauthenticated",
        _("Sign in, or send a valid token as “Authorization: Bearer <token>”."),
    )
    # RFC 9110: a 401 names the scheme that would be accepted.
    response["WWW-Authenticate"] = 'Bearer realm="jiedao"'
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, ValueError):
        # django-ninja could not decode the body (invalid JSON or not UTF-8).
        return error_response(
            request, 400, "bad_json", _("The request body is not valid JSON."), "body"
        )
    return error_response(request, exc.status_code, "http_error", str(exc))


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
    return outage_response(request, exc)


def mount_routers() -> None:
    from jiedao.accounts.api import router as accounts_router
    from jiedao.assessment.api import router as assessment_router
    from jiedao.cockpit.api import router as cockpit_router
    from jiedao.community.api import router as community_router
    from jiedao.core.api import router as calendar_router
    from jiedao.enforcement.api import router as enforcement_router
    from jiedao.events.api import router as events_router
    from jiedao.events.api_figures import router as event_figures_router
    from jiedao.geo.api import router as geo_router
    from jiedao.indicators.api import router as indicators_router
    from jiedao.sanitation.api import router as sanitation_router
    from jiedao.sanitation.api_board import router as sanitation_board_router
    from jiedao.sensors.api import router as sensors_router
    from jiedao.supervision.api import router as supervision_router

    api.add_router("/accounts/", accounts_router)
    api.add_router("/assessment/", assessment_router)
    api.add_router("/calendar/", calendar_router)
    api.add_router("/cockpit/", cockpit_router)
    api.add_router("/community/", community_router)
    api.add_router("/enforcement/", enforcement_router)
    # Before /events/: its "/{number}" would take "figures".
    api.add_router("/events/figures/", event_figures_router)
    api.add_router("/events/", events_router)
    api.add_router("/geo/", geo_router)
    api.add_router("/indicators/", indicators_router)
    # Before /sanitation/: the list's paths are its own.
    api.add_router("/sanitation/board/", sanitation_board_router)
    api.add_router("/sanitation/", sanitation_router)
    api.add_router("/sensors/", sensors_router)
    api.add_router("/supervision/", supervision_router)


mount_routers()
