"""Plain text as copied from a government web page: one cell per line (seed 003)."""

from .parsed import ParsedPlan
from .table import build_from_tokens


def read_text(text: str) -> ParsedPlan:
    plan = ParsedPlan(source_format="text")
    return build_from_tokens(text.splitlines(), plan=plan)
