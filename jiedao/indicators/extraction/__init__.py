"""Reading figures out of damaged narrative reports (issue 15): repair the text, then find the
figures in it, never guessing a number the damage made unreadable."""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from jiedao.core.errors import InvalidInput

from .figures import extract
from .repair import FIELD, FIELD_LABEL, repair
from .types import Damage, Extraction, Figure, Repaired, Unreadable

__all__ = [
    "Damage",
    "Extraction",
    "Figure",
    "Repaired",
    "Unreadable",
    "extract",
    "extract_file",
    "repair",
]


def extract_file(path: str | Path) -> Extraction:
    """The figures of a report file, read as bytes so that the repair sees the damage as it is.

    Raises :class:`InvalidInput` (field ``file``) when there is no such file, or it is empty or
    not text.
    """
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(
            _("%(field)s %(path)s does not exist."),
            field=FIELD,
            params={"field": FIELD_LABEL, "path": str(path)},
        )
    return extract(path.read_bytes())
