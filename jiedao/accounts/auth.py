from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken


class BearerTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` for API clients; tokens expire and can be revoked."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        now = timezone.now()
        api_token = (
            ApiToken.objects.select_related("user")
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
