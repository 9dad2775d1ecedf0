"""One check for the free text a service accepts: stripped, required or not, not too long.

Every message names the field by its label (``label``, the name the user sees; the field's
name when there is none) and ``field`` is the key the API reports, so a form can mark it.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import InvalidInput


def clean_text(
    value: Any,
    *,
    field: str,
    max_length: int,
    label: Any = None,
    required: bool = False,
) -> str:
    """``value`` stripped of surrounding white space (``None`` is empty); 422 naming the field
    when it is not text, is empty while ``required``, or is longer than ``max_length``."""
    name = label if label is not None else field
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(
            _("%(field)s must be text."), params={"field": name}, code="not_text", field=field
        )
    value = value.strip()
    if required and not value:
        raise InvalidInput(
            _("%(field)s is required."), params={"field": name}, code="required", field=field
        )
    if len(value) > max_length:
        raise InvalidInput(
            _("%(field)s is too long: at most %(max)s characters."),
            params={"field": name, "max": max_length},
            code="too_long",
            field=field,
        )
    return value
