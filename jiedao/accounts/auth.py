import copy
import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth

from jiedao.core.errors import Forbidden, RateLimited

from .models import ApiToken, User


class TrustedTokens:
    """The tokens this process verified in the last ``seconds``, with their users.

    A client reporting many events a second would otherwise cost a query on every request.
    Trust is bounded in time, so revoking a token, letting it expire or deactivating its user
    takes effect everywhere within ``seconds`` (settings.API_TOKEN_TRUST_SECONDS; 0 turns the
    cache off). Each request gets its own copy of the user."""

    MAX_ENTRIES = 10_000

    def __init__(self) -> None:
        self._entries: dict[str, tuple[float, datetime, User]] = {}

    def get(self, digest: str, now: datetime) -> User | None:
        entry = self._entries.get(digest)
        if entry is None:
            return None
        trusted_until, expires_at, user = entry
        if time.monotonic() >= trusted_until or now >= expires_at:
            self._entries.pop(digest, None)
            return None
        return copy.copy(user)

    def put(self, digest: str, api_token: ApiToken) -> None:
        seconds = float(settings.API_TOKEN_TRUST_SECONDS)
        if seconds <= 0:
            return
        if len(self._entries) >= self.MAX_ENTRIES:
            self._entries.clear()
        trust = (time.monotonic() + seconds, api_token.expires_at, copy.copy(api_token.user))
        self._entries[digest] = trust

    def clear(self) -> None:
        self._entries.clear()


trusted_tokens = TrustedTokens()


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` for API clients; tokens expire and can be revoked (see
    :class:`TrustedTokens` for how soon that takes effect)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        now = timezone.now()
        digest = ApiToken.hash(token)
        user = trusted_tokens.get(digest, now)
        if user is None:
            api_token = self._verify(digest, now)
            if api_token is None:
                return None
            trusted_tokens.put(digest, api_token)
            user = api_token.user
        request.user = user
        return user

    @staticmethod
    def _verify(digest: str, now: datetime) -> ApiToken | None:
        # token_hash is unique: at most one row, so no ordering.
        found = ApiToken.objects.select_related("user").filter(token_hash=digest)
        api_token = next(iter(found[:1]), None)
        if (
            api_token is None
            or api_token.is_revoked
            or api_token.expires_at <= now
            or not api_token.user.is_active
        ):
            return None
        # Touch at most once a minute: a busy client should not write on every request.
        if api_token.last_used_at is None or (now - api_token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        return api_token


class SessionCookieAuth(SessionAuth):
    """The signed-in session of the pages. Writes need Django's CSRF token; a missing one is a
    403 in the API's error format that says what to send."""

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            # No signed-in session: nothing for a cross-site request to abuse, and the answer
            # is "authenticate" (401), not a CSRF failure.
            return None
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
