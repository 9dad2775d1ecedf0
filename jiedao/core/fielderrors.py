"""Every error of one submission at once.

A service that checks several fields collects each field's error here instead of stopping at the
first, then raises one :class:`~jiedao.core.errors.InvalidInput` that carries them all in
``extra["errors"]`` (field → message): the API answers them in one body and a page shows each
beside its field (:func:`form_add_errors`), so that a person corrects the form once.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms

from .errors import ApplicationError, InvalidInput

T = TypeVar("T")


class FieldErrors:
    """The errors found so far, first one per field, in the order they were found."""

    def __init__(self) -> None:
        self.errors: dict[str, Any] = {}
        self._codes: dict[str, str] = {}

    def add(self, field: str, message: Any, code: str = "invalid") -> None:
        if field not in self.errors:
            self.errors[field] = message
            self._codes[field] = code

    def check(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """``function(*args, **kwargs)``, or None with its InvalidInput recorded."""
        try:
            return function(*args, **kwargs)
        except InvalidInput as error:
            self.add(error.field or "", error.message, error.code)
            return None

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        field, message = next(iter(self.errors.items()))
        raise InvalidInput(
            message,
            code=self._codes[field],
            field=field or None,
            extra={"errors": {name: str(text) for name, text in self.errors.items()}},
        )


def form_add_errors(
    form: forms.Form, error: ApplicationError, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's error (and every other error it carries) beside the fields it names;
    an error on a field the form does not have goes above the form."""
    aliases = aliases or {}
    found = error.extra.get("errors") or {error.field or "": str(error.message)}
    for field, message in found.items():
        name = aliases.get(field, field)
        form.add_error(name if name in form.fields else None, str(message))
