"""Deadline warnings (the periodic job's work): yellow when the deadline is near, red when it
has passed, each announced once per event and deadline."""

from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from jiedao.accounts.permissions import SYSTEM, Actor, require
from jiedao.audit.services import audit_record, snapshot

from ..deadlines import warning_level, warning_level_q
from ..models import Event, EventStep
from ..notices import warning_kind, warning_params
from ..workflow import WARNING_NOTIFY, WARNING_RANK, Status, WarningLevel
from .notifications import notify_step
from .timeline import step_record


def event_warnings_announce(
    *, actor: Actor = SYSTEM, now: datetime | None = None
) -> dict[str, int]:
    """Announce every deadline warning that is due and not yet announced: once per event and
    level (yellow, then red) for the current deadline. Each event is its own transaction, so one
    failure does not hold back the rest. Returns how many of each level were announced."""
    if actor is not SYSTEM:
        require(actor, "events.supervise")
    now = now or timezone.now()
    due = Event.objects.filter(
        (
            warning_level_q(WarningLevel.YELLOW, now)
            & ~models.Q(alert_level__in=[WarningLevel.YELLOW, WarningLevel.RED])
        )
        | (warning_level_q(WarningLevel.RED, now) & ~models.Q(alert_level=WarningLevel.RED))
    ).order_by("id")
    counts = {WarningLevel.YELLOW.value: 0, WarningLevel.RED.value: 0}
    for event_id in due.values_list("pk", flat=True).iterator(chunk_size=500):
        level = _announce_warning(event_id=event_id, actor=actor, now=now)
        if level is not None:
            counts[level] += 1
    return counts


@transaction.atomic
def _announce_warning(*, event_id: int, actor: Actor, now: datetime) -> str | None:
    event = Event.objects.select_for_update().select_related("category").get(pk=event_id)
    level = warning_level(event, now)
    if WARNING_RANK[level] <= WARNING_RANK[WarningLevel(event.alert_level)]:
        return None  # someone acted on it meanwhile
    before = snapshot(event)
    due_at = event.accept_due_at if event.status == Status.REPORTED else event.handle_due_at
    event.alert_level = level
    event.save(update_fields=["alert_level"])
    step_record(
        event=event,
        action=EventStep.WARNING,
        actor=actor,
        at=now,
        from_status=event.status,
        to_status=event.status,
        department=event.responsible_department,
        data={"level": level.value, "due_at": due_at.isoformat() if due_at else None},
    )
    audit_record(
        actor=actor,
        action="events.event.warning",
        target=event,
        before=before,
        after=snapshot(event),
    )
    notify_step(
        event=event,
        kind=warning_kind(level),
        params=warning_params(due_at),
        audiences=WARNING_NOTIFY[level],
        actor=actor,
    )
    return level.value
