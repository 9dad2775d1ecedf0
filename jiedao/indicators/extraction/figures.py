"""Finding figures in repaired text."""

from __future__ import annotations

from .repair import repair
from .types import Extraction


def extract(raw: str | bytes) -> Extraction:
    repaired = repair(raw)
    return Extraction(text=repaired.text, figures=[], unreadable=[])
