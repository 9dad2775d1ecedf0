"""The sanitation app's choices and the rectification item's moves, as data.

``RECTIFICATION_TRANSITIONS[(state, action)] = Transition(next state, roles, required inputs)``:
the service applies a move only when the table has it, and the pages offer the moves it lists.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.models import Role


class WasteClass(models.TextChoices):
    """The four classes of 浙江省生活垃圾管理条例 (2020), in the regulation's order."""

    RECYCLABLE = "recyclable", _("Recyclable waste (可回收物)")
    FOOD = "food", _("Food waste (易腐垃圾)")
    HAZARDOUS = "hazardous", _("Hazardous waste (有害垃圾)")
    OTHER = "other", _("Other waste (其他垃圾)")


class AccountHolder(models.TextChoices):
    HOUSEHOLD = "household", _("Household")
    UNIT = "unit", _("Unit")


class UnitKind(models.TextChoices):
    SHOP = "shop", _("Shop")
    RESTAURANT = "restaurant", _("Restaurant")
    OFFICE = "office", _("Office")
    SCHOOL = "school", _("School")
    OTHER = "other", _("Other unit")


class RecordSource(models.TextChoices):
    """Who wrote a drop-off or a weigh-in down: a person on the spot, or a smart bin over MQTT."""

    INSPECTOR = "inspector", _("Recorded by an inspector")
    SMART_BIN = "smart_bin", _("Weighed by a smart bin")


class PricingUnit(models.TextChoices):
    KILOGRAM = "kg", _("per kilogram")
    ITEM = "item", _("per item")


class CreditKind(models.TextChoices):
    POINTS = "points", _("Points")
    MONEY = "money", _("Money")


class PointsTrigger(models.TextChoices):
    """What earns points under a rule."""

    CORRECT_DROP_OFF = "correct_drop_off", _("A correctly sorted drop-off")
    RECYCLING = "recycling", _("Recycling credited as points (per yuan of its value)")


class EntryKind(models.TextChoices):
    EARN = "earn", _("Earned")
    REDEEM = "redeem", _("Redeemed")


class RewardKind(models.TextChoices):
    GOODS = "goods", _("Goods")
    SERVICE = "service", _("Service")


class FindingKind(models.TextChoices):
    MIXED = "mixed", _("Waste mixed across classes (混投)")
    OVERFLOWING = "overflowing", _("Bins overflowing (满溢)")
    DAMAGED = "damaged", _("Bins or facilities damaged")
    DIRTY = "dirty", _("Dirty surroundings, smell or leakage")
    UNATTENDED = "unattended", _("Nobody on duty in the drop-off hours")
    SIGNAGE = "signage", _("Signs or bin labels missing")
    OTHER = "other", _("Other")


class FindingRoute(models.TextChoices):
    """Where a finding goes: the point's responsible party puts it right (a rectification item),
    or a department must act (an event through the events services)."""

    RECTIFICATION = "rectification", _("Rectification by the responsible party")
    EVENT = "event", _("Event for a department")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Being rectified")
    DONE = "done", _("Reported done, awaiting verification")
    VERIFIED = "verified", _("Verified")


@dataclass(frozen=True)
class Transition:
    target: str
    roles: frozenset[str]
    inputs: tuple[str, ...] = ()


INSPECTORS = frozenset({Role.GRID_WORKER, Role.GRID_LEAD, Role.DEPARTMENT_HANDLER})

RECTIFICATION_TRANSITIONS: dict[tuple[str, str], Transition] = {
    (RectificationStatus.OPEN, "report_done"): Transition(
        RectificationStatus.DONE, INSPECTORS, ("notes",)
    ),
    (RectificationStatus.DONE, "verify"): Transition(
        RectificationStatus.VERIFIED, INSPECTORS, ("notes",)
    ),
    (RectificationStatus.DONE, "reject"): Transition(
        RectificationStatus.OPEN, INSPECTORS, ("notes",)
    ),
}

RECTIFICATION_ACTION_LABELS = {
    "report_done": _("Report it rectified"),
    "verify": _("Verify the rectification"),
    "reject": _("Not rectified: send back"),
}


def rectification_actions(status: str) -> list[str]:
    """The moves the table offers from ``status``, in the table's order."""
    return [action for (state, action) in RECTIFICATION_TRANSITIONS if state == status]


# What the audit trail calls the sanitation services' entries that are not a plain create,
# change or deactivation of a row (see jiedao.audit.labels).
AUDIT_ACTION_LABELS = {
    "sanitation.points.earn": _("Points earned"),
    "sanitation.points.redeem": _("Points redeemed"),
    **{
        f"sanitation.rectification.{action}": label
        for action, label in RECTIFICATION_ACTION_LABELS.items()
    },
}
