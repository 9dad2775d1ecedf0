"""The one family of errors that services raise and interfaces translate.

The API maps them to ``{"error": {"code", "message", "field", "extra"}}`` with the status below;
pages show the message. Messages say what was wrong and how to fix it, in the user's language,
naming the field by its label.

One submission can be wrong in several fields: a service checks each independent field, gathers
the problems in an :class:`ErrorList` and raises them together as one :class:`InvalidInput`
whose :attr:`~ApplicationError.errors` are the single problems (the first is the error's own
message and field, so that a caller reading one problem still gets one; the API lists the
others in ``extra["errors"]``). A page shows each beside its field.

A message built from a template with a ``field`` parameter (``"%(field)s is required."``) can be
said again with another label (:meth:`ApplicationError.relabelled`): a form whose field is
labelled differently from the service's own name for it ("Describe the problem" rather than
"Description") shows its own label.
"""

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")

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
        params: Mapping[str, Any] | None = None,
    ) -> None:
        """``message`` is the finished message, or a template completed with ``params``, which
        keeps it relabelable."""
        self.template = message if params is not None else None
        self.params = dict(params or {})
        if params is not None:
            message = message % self.params
        super().__init__(str(message))
        self.message = message
        self.code = code or self.default_code
        self.field = field
        self.extra = extra or {}
        self.errors: list[ApplicationError] = [self]

    def relabelled(self, label: Any) -> "ApplicationError":
        """The same error with its field named ``label``; itself when its message does not
        name the field through the ``field`` parameter."""
        if self.template is None or "field" not in self.params:
            return self
        error = type(self)(
            self.template,
            code=self.code,
            field=self.field,
            extra=self.extra,
            params={**self.params, "field": label},
        )
        return error

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

    @classmethod
    def combine(cls, errors: list[ApplicationError]) -> "ApplicationError":
        """One error carrying all of ``errors``: the first, with the others in ``errors`` and
        ``extra["errors"]`` (the API's list); the first alone when there is one."""
        problems = [single for error in errors for single in error.errors]
        first = problems[0]
        if len(problems) == 1:
            return first
        combined = cls(
            first.message,
            code=first.code,
            field=first.field,
            extra={
                **first.extra,
                "errors": [
                    {"code": error.code, "field": error.field, "message": str(error.message)}
                    for error in problems
                ],
            },
        )
        combined.errors = problems
        return combined


class ErrorList:
    """The problems of one submission, gathered so that they are all reported at once.

    ``value = errors.check(lambda: clean_text(...), default="")`` runs one check and keeps its
    :class:`InvalidInput` (giving ``default`` back) instead of raising it; ``errors.raise_any()``
    then raises them all together, before anything is written."""

    def __init__(self) -> None:
        self.errors: list[ApplicationError] = []

    def check(self, run: Callable[[], T], default: T) -> T:
        try:
            return run()
        except InvalidInput as error:
            self.errors.append(error)
            return default

    def add(self, error: ApplicationError) -> None:
        self.errors.append(error)

    def has(self, field: str) -> bool:
        return any(single.field == field for error in self.errors for single in error.errors)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_any(self) -> None:
        if self.errors:
            raise InvalidInput.combine(self.errors)


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
