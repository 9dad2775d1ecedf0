"""Repairing a crawled report: mojibake, pinyin annotations, traditional characters."""

from __future__ import annotations

from .types import Repaired


def repair(raw: str | bytes) -> Repaired:
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    return Repaired(text=text, damage=[])
