"""One parser for the dates and months users type into filters, figures and commands.

Errors are a 422 naming the field by its label (``label``; the field's name when there is none)
and showing the value that was given, so the user sees what to fix.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import InvalidInput


def parse_date(value: Any, *, field: str, label: Any = None) -> date:
    """A date from "YYYY-MM-DD" (or a date); 422 naming the field otherwise."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(
            _("%(field)s must be a date like 2022-06-30, not “%(value)s”.")
            % {"field": field if label is None else label, "value": value},
            field=field,
        ) from None


def parse_optional_date(value: Any, *, field: str, label: Any = None) -> date | None:
    """Like :func:`parse_date`, with nothing (``None`` or blank) meaning no date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value, field=field, label=label)


def parse_month(value: Any, *, field: str, label: Any = None) -> tuple[date, date]:
    """ "2022-05" → (2022-05-01, 2022-05-31); 422 naming the field otherwise."""
    try:
        first = datetime.strptime(value.strip(), "%Y-%m").date()  # noqa: DTZ007 - a date only
    except (ValueError, AttributeError):
        raise InvalidInput(
            _("%(field)s must look like 2022-05, not “%(value)s”.")
            % {"field": field if label is None else label, "value": value},
            field=field,
        ) from None
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)
