"""The one family of errors that services raise and interfaces translate.

The API maps them to ``{"error": {"code", "message", "field", "extra"}}`` with the status below;
pages show the message. Messages say what was wrong and how to fix it, in the user's language.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    status = 400
    default_code = "error"

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        field: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.extra = extra or {}

    def as_body(self) -> dict[str, Any]:
        return {
            "error": {
                "code": self.code,
                "message": str(self.message),
                "field": self.field,
                "extra": self.extra,
            }
        }


class InvalidInput(ApplicationError):
    """The request is well formed but its content is wrong (HTTP 422)."""

    status = 422
    default_code = "invalid"


class NotFound(ApplicationError):
    """Missing, or outside the user's scope: the two look the same so scope cannot be probed."""

    status = 404
    default_code = "not_found"

    def __init__(self, message: Any = None, **kwargs: Any) -> None:
        super().__init__(message or _("Not found, or outside your scope."), **kwargs)


class Forbidden(ApplicationError):
    """The user may see the object but not perform this action on it (HTTP 403)."""

    status = 403
    default_code = "forbidden"


class Conflict(ApplicationError):
    """The action is not allowed in the object's current state (HTTP 409)."""

    status = 409
    default_code = "conflict"


class Unauthenticated(ApplicationError):
    status = 401
    default_code = "unauthenticated"


class RateLimited(ApplicationError):
    """Too many attempts; try again later (HTTP 429)."""

    status = 429
    default_code = "rate_limited"
