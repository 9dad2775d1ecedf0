from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from jiedao.core.errors import Forbidden, RateLimited

from .models import ApiToken


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` for API clients; tokens expire and can be revoked."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        now = timezone.now()
        api_token = (
            # The user's grid comes along: a grid worker's scope needs its community.
            ApiToken.objects.select_related("user__grid")
            .defer("user__grid__boundary")
            .filter(token_hash=ApiToken.hash(token), is_revoked=False, expires_at__gt=now)
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        # Touch at most once a minute: a busy client should not write on every request.
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token.user


class SessionCookieAuth(SessionAuth):
    """The signed-in session of the pages. Writes need Django's CSRF token; a missing one is a
    403 in the API's error format that says what to send."""

    def _get_key(self, request: HttpRequest) -> str | None:
        try:
            return super()._get_key(request)
        except HttpError:
            raise Forbidden(
                _(
                    "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken "
                    "header, or authenticate with a bearer token."
                ),
                code="csrf_failed",
            ) from None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """What django-axes answers once a username and address are locked out: the API's error
    body for API clients, the lockout page for people."""
    if request.path.startswith(reverse("api:api-root")):
        from .services import LOCKED_OUT_MESSAGE

        error = RateLimited(LOCKED_OUT_MESSAGE, code="locked_out")
        return JsonResponse(error.as_body(), status=error.status)
    from .views import lockout_response as lockout_page

    return lockout_page(request, credentials)
