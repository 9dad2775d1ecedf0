"""The states of inspections and rectification items, and the moves between them, as data.

``TRANSITIONS[(state, action)] = Transition(next state, roles, required inputs)``: the services
apply a move only when the table has it; the pages offer the moves the table lists.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionKind(models.TextChoices):
    JOINT = "joint", _("Joint inspection round (综合查一次)")
    CAMPAIGN = "campaign", _("Special campaign (专项整治)")
    RANDOM = "random", _("Random draw (双随机)")
    COMPLAINT = "complaint", _("Complaint")
    ASSIGNED = "assigned", _("Assigned from above")
    RECHECK = "recheck", _("Re-check")


# Inspections for these reasons are not planned by the office itself: the guard lets them pass.
GUARD_EXEMPT_KINDS = frozenset({ActionKind.COMPLAINT, ActionKind.ASSIGNED, ActionKind.RECHECK})


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class ItemResult(models.TextChoices):
    PENDING = "pending", _("Not checked yet")
    PASS = "pass", _("Compliant (合格)")
    FAIL = "fail", _("Non-compliant (不合格)")
    NOT_APPLICABLE = "na", _("Not applicable (不涉及)")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Being rectified")
    CLOSED = "closed", _("Rectified")
    ESCALATED = "escalated", _("Escalated to a case")


@dataclass(frozen=True)
class Transition:
    target: str
    roles: frozenset[str]
    inputs: tuple[str, ...] = ()
    # A condition on the user and the object beyond the role, by its name in the app's policy
    # (``policy.GUARDS``): the service and the pages ask the same predicate.
    guard: str = ""


INSPECTION_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (InspectionStatus.PLANNED, "start"): Transition(
        InspectionStatus.IN_PROGRESS, frozenset({"enforcement_officer"})
    ),
    (InspectionStatus.PLANNED, "cancel"): Transition(
        InspectionStatus.CANCELLED, frozenset({"enforcement_officer"}), ("reason",)
    ),
    (InspectionStatus.IN_PROGRESS, "complete"): Transition(
        InspectionStatus.COMPLETED, frozenset({"enforcement_officer"}), ("conclusion",)
    ),
}

RECTIFICATION_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (RectificationStatus.OPEN, "close"): Transition(
        RectificationStatus.CLOSED, frozenset({"enforcement_officer"}), ("notes",)
    ),
    (RectificationStatus.OPEN, "escalate"): Transition(
        RectificationStatus.ESCALATED, frozenset({"enforcement_officer"}), ("notes",)
    ),
}

INSPECTION_ACTION_LABELS = {
    "start": _("Start the inspection"),
    "cancel": _("Cancel"),
    "complete": _("Complete the inspection"),
}


def inspection_actions(status: str) -> list[str]:
    """The moves the table offers from ``status``, in the table's order."""
    return [action for (state, action) in INSPECTION_TRANSITIONS if state == status]
