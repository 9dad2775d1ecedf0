"""What a case's notifications say, in the reader's language.

Enforcement tells people through the events app's notifications (the bell in the navigation,
its unread count and its page), not through a list of its own: an officer has one place to
look. A notification about a case has no event; it stores its ``kind`` (``clock_yellow``: a
running time limit is near, ``clock_red``: it has passed; ``review_waiting``: a case waits
for the reader's legal review; ``disclosure_late``: a decision was not published in time), its parameters (the case's title as ``subject``, which clock, when it is
due) and a link to the case. The sentence is put together when someone reads it, in the active
language, so an officer reading Chinese and an administrator reading English each get their own.
"""

from datetime import datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.core.localtime import local_time

from .clocks import CLOCK_LABELS

CLOCK_YELLOW = "clock_yellow"
CLOCK_RED = "clock_red"
REVIEW_WAITING = "review_waiting"
CLOCK_LABELS_BY_KIND = {
    CLOCK_YELLOW: _("Time limit near"),
    CLOCK_RED: _("Time limit passed"),
}
KIND_LABELS = {
    **CLOCK_LABELS_BY_KIND,
    REVIEW_WAITING: _("Waiting for your legal review (法制审核)"),
}


def clock_kind(level: str) -> str:
    """The notification kind of a clock warning of ``level`` (yellow or red)."""
    return f"clock_{level}"


def clock_params(*, title: str, clock: str, due_at: datetime | None) -> dict[str, Any]:
    return {"subject": title, "clock": clock, "due_at": due_at.isoformat() if due_at else None}


def _due_text(params: dict[str, Any]) -> str:
    due_at = parse_datetime(str(params.get("due_at") or ""))
    return local_time(due_at).strftime("%Y-%m-%d %H:%M") if due_at else "—"


def clock_text(kind: str, params: dict[str, Any]) -> str:
    """The sentence of a clock warning about the case titled ``params["subject"]``."""
    clock = params.get("clock", "")
    values = {
        "title": params.get("subject", ""),
        "clock": str(CLOCK_LABELS.get(clock, clock)),
        "due": _due_text(params),
    }
    if kind == CLOCK_RED:
        return (
            gettext("Case “%(title)s”: the %(clock)s time limit has passed (due %(due)s).") % values
        )
    return gettext("Case “%(title)s”: the %(clock)s time limit is near (due %(due)s).") % values
