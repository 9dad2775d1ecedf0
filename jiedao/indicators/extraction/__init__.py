"""Reading figures out of damaged narrative reports (issue 15): repair the text, then find the
figures in it, never guessing a number the damage made unreadable."""

from __future__ import annotations

from pathlib import Path

from .figures import extract
from .repair import repair
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
    """The figures of a report file, read as bytes so that the repair sees the damage as it is."""
    return extract(Path(path).read_bytes())
