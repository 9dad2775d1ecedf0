"""The event's timeline: every step (report, action, photos, warning) is written here."""

from datetime import datetime
from typing import Any

from jiedao.core.inserts import insert_new
from jiedao.geo.models import Department

from ..models import Event, EventStep
from .common import Reporter, actor_label, user_or_none


def step_record(
    *,
    event: Event,
    action: str,
    actor: Reporter,
    at: datetime,
    from_status: str,
    to_status: str,
    note: str = "",
    department: Department | None = None,
    data: dict[str, Any] | None = None,
) -> EventStep:
    """Log one step of ``event`` at its business time ``at``, with who took it (the user, or the
    label of the system or door that acted)."""
    step = EventStep(
        event=event,
        action=action,
        actor=user_or_none(actor),
        actor_label=actor_label(actor),
        from_status=from_status,
        to_status=to_status,
        note=note,
        department=department,
        created_at=at,
        data=data or {},
    )
    insert_new(step)
    return step
