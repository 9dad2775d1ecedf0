"""What a case notification says, in the reader's language.

A :class:`~jiedao.enforcement.models.CaseNotification` stores its ``kind`` (``clock_yellow``:
a running time limit is near, ``clock_red``: it has passed) and its parameters (which clock,
when it is due). The sentence is put together when someone reads it, from the case and the
active language, so an officer reading Chinese and an administrator reading English each get
their own.
"""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jiedao.core.localtime import local_time

from .clocks import CLOCK_LABELS

if TYPE_CHECKING:
    from .models import CaseNotification

CLOCK_YELLOW = "clock_yellow"
CLOCK_RED = "clock_red"
KIND_LABELS = {
    CLOCK_YELLOW: _("Time limit near"),
    CLOCK_RED: _("Time limit passed"),
}


def clock_kind(level: str) -> str:
    """The notification kind of a clock warning of ``level`` (yellow or red)."""
    return f"clock_{level}"


def clock_params(clock: str, due_at: datetime | None) -> dict[str, Any]:
    return {"clock": clock, "due_at": due_at.isoformat() if due_at else None}


def _due_text(params: dict[str, Any]) -> str:
    due_at = parse_datetime(str(params.get("due_at") or ""))
    return local_time(due_at).strftime("%Y-%m-%d %H:%M") if due_at else "—"


def message_text(*, title: str, kind: str, params: dict[str, Any]) -> str:
    """The sentence for ``kind`` about the case titled ``title`` in the active language."""
    clock = params.get("clock", "")
    values = {
        "title": title,
        "clock": str(CLOCK_LABELS.get(clock, clock)),
        "due": _due_text(params),
    }
    if kind == CLOCK_YELLOW:
        return gettext("Case “%(title)s”: the %(clock)s time limit is near (due %(due)s).") % values
    if kind == CLOCK_RED:
        return (
            gettext("Case “%(title)s”: the %(clock)s time limit has passed (due %(due)s).") % values
        )
    return f"{title}: {kind}"


def notification_text(notification: "CaseNotification") -> str:
    """The notification's sentence (its case loaded by the selector)."""
    return message_text(
        title=notification.case.title, kind=notification.kind, params=notification.params
    )
