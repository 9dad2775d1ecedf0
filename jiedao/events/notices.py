"""What a notification says, in the reader's language.

A notification stores its ``kind`` (the workflow action that was taken, or ``warning_yellow`` /
``warning_red`` for a deadline warning) and its parameters: the note the actor wrote, or the
deadline a warning is about. The sentence is put together when someone reads it, from the event
(number and category) and the active language, so a resident reading English and a dispatcher
reading Chinese each get their own. Notifications written before this keep their stored text.
"""

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from jiedao.core.localtime import local_time

from .workflow import Action, WarningLevel

if TYPE_CHECKING:
    from .models import Event, Notification

WARNING_KINDS = {
    f"warning_{WarningLevel.YELLOW.value}": _("Deadline near"),
    f"warning_{WarningLevel.RED.value}": _("Overdue"),
}

# Kinds raised by another app, neither a workflow action nor a warning (``register_kinds``).
OTHER_KINDS = {"sensor_recovered": _("Device recovered: please verify")}
# Sentences of kinds not about an event whose app says more than "subject: what happened".
OTHER_TEXTS: dict[str, Callable[[str, dict[str, Any]], str]] = {}


def register_kinds(
    kinds: dict[str, Any], texts: dict[str, Callable[[str, dict[str, Any]], str]] | None = None
) -> None:
    """Let another app name its kinds of notification (from its ``AppConfig.ready()``) and,
    where the label alone would say too little, put their sentences together: ``texts`` maps a
    kind to a function of (kind, stored parameters) run when the notification is read."""
    taken = set(kinds) & set(OTHER_KINDS)
    if taken:
        raise ValueError(f"notification kinds registered twice: {sorted(taken)}")
    OTHER_KINDS.update(kinds)
    OTHER_TEXTS.update(texts or {})


def warning_kind(level: WarningLevel) -> str:
    return f"warning_{level.value}"


def step_params(note: str) -> dict[str, Any]:
    """The parameters of a notification about a workflow step."""
    return {"note": note}


def warning_params(due_at: datetime | None) -> dict[str, Any]:
    """The parameters of a deadline warning: the deadline, as an instant (shown in local time)."""
    return {"due_at": due_at.isoformat() if due_at else None}


def kind_label(kind: str) -> str:
    """What happened, in the active language: the action's label or the warning's."""
    if kind in WARNING_KINDS:
        return str(WARNING_KINDS[kind])
    if kind in OTHER_KINDS:
        return str(OTHER_KINDS[kind])
    if kind in Action.values:
        return str(Action(kind).label)
    return kind


def _detail(params: dict[str, Any]) -> str:
    if params.get("due_on"):
        return str(params["due_on"])
    due_text = params.get("due_at")
    if due_text:
        due_at = parse_datetime(str(due_text))
        if due_at is not None:
            return local_time(due_at).strftime("%Y-%m-%d %H:%M")
    return str(params.get("note") or "")


def message_text(*, event: "Event", kind: str, params: dict[str, Any]) -> str:
    """The sentence for ``kind`` about ``event`` in the active language."""
    text = gettext("%(number)s (%(category)s): %(what)s") % {
        "number": event.number,
        "category": event.category.label,
        "what": kind_label(kind),
    }
    detail = _detail(params)
    return f"{text} — {detail}" if detail else text


def notification_text(notification: "Notification") -> str:
    """The notification's sentence in the active language (its event and the event's category
    loaded by the selector); the stored text for a notification written before codes."""
    if notification.params is None:
        return notification.message
    event = notification.event
    if event is None and notification.kind in OTHER_TEXTS:
        return OTHER_TEXTS[notification.kind](notification.kind, notification.params)
    if event is None:
        # Not about an event: the subject the app stored (a case's title, say) and what happened.
        text = gettext("%(subject)s: %(what)s") % {
            "subject": notification.params.get("subject", ""),
            "what": kind_label(notification.kind),
        }
        detail = _detail(notification.params)
        return f"{text} — {detail}" if detail else text
    return message_text(event=event, kind=notification.kind, params=notification.params)


def notifications_read_label(after: dict[str, Any]) -> str:
    """The target of an ``events.notification.read`` audit entry: how many were marked read."""
    count = int(after["count"])
    return ngettext("%(count)s notification", "%(count)s notifications", count) % {"count": count}


AUDIT_TARGET_LABELS = {"events.notification.read": notifications_read_label}
