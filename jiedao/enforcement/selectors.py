"""Reads of enforcement, already narrowed to the user's scope; each list runs a constant number
of statements whatever the number of rows."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from jiedao.accounts.permissions import get_in_scope, require, scoped
from jiedao.core.errors import NotFound
from jiedao.core.pii import mask_id_number, mask_name

from . import policy
from .models import (
    Action,
    ChecklistItem,
    Inspection,
    InspectionMatter,
    InspectionPhoto,
    Rectification,
    Target,
)
from .services import draw_targets
from .workflow import (
    INSPECTION_TRANSITIONS,
    InspectionStatus,
    ItemResult,
    RectificationStatus,
    inspection_actions,
)


def target_list(
    *, user: Any, query: str = "", kind: str = "", risk_level: str = ""
) -> QuerySet[Target]:
    require(user, "enforcement.view")
    targets = scoped(user, Target.objects.select_related("grid"))
    if query:
        targets = targets.filter(Q(name__icontains=query) | Q(credit_code=query.upper()))
    if kind:
        targets = targets.filter(kind=kind)
    if risk_level:
        targets = targets.filter(risk_level=risk_level)
    return targets.annotate(
        inspection_count=Count("inspections", filter=~Q(inspections__status="cancelled"))
    ).order_by("name", "pk")


def target_get(*, user: Any, target_id: int) -> Target:
    require(user, "enforcement.view")
    return get_in_scope(user, Target.objects.select_related("grid"), pk=target_id)


def target_identifier(target: Target) -> str:
    """What pages and the API show of a target's identifier: the full 统一社会信用代码 of a
    business (public by law), the masked ID number of a person."""
    return target.credit_code or mask_id_number(target.id_number)


def target_public_name(target: Target) -> str:
    """A person's name is masked on the public page; a business's is not."""
    return mask_name(target.name) if target.kind == Target.Kind.PERSON else target.name


def matter_list(*, user: Any) -> QuerySet[InspectionMatter]:
    require(user, "enforcement.view")
    return (
        scoped(user, InspectionMatter.objects.select_related("department"))
        .filter(is_active=True)
        .order_by("department_id", "position", "pk")
    )


def action_list(*, user: Any) -> QuerySet[Action]:
    require(user, "enforcement.view")
    return scoped(user, Action.objects.select_related("lead_department")).annotate(
        inspection_count=Count("inspections")
    )


def action_get(*, user: Any, action_id: int) -> Action:
    require(user, "enforcement.view")
    return get_in_scope(user, Action.objects.select_related("lead_department"), pk=action_id)


def draw_reproduces(action: Action) -> bool | None:
    """For a 双随机 draw, whether its seed and pool pick exactly the targets it inspects."""
    if not action.draw_seed or action.draw_size is None:
        return None
    drawn = sorted(action.inspections.values_list("target_id", flat=True))
    return draw_targets(action.draw_seed, action.draw_pool, action.draw_size) == drawn


def _inspections(user: Any) -> QuerySet[Inspection]:
    return scoped(
        user,
        Inspection.objects.select_related("target", "action", "lead_department").prefetch_related(
            "joining_departments"
        ),
    )


def inspection_list(
    *, user: Any, status: str = "", action_id: int | None = None, target_id: int | None = None
) -> QuerySet[Inspection]:
    require(user, "enforcement.view")
    inspections = _inspections(user)
    if status:
        inspections = inspections.filter(status=status)
    if action_id:
        inspections = inspections.filter(action_id=action_id)
    if target_id:
        inspections = inspections.filter(target_id=target_id)
    return inspections.annotate(finding_count=Count("rectifications", distinct=True)).order_by(
        "-planned_on", "-pk"
    )


@dataclass
class ItemRow:
    item: ChecklistItem
    can_record: bool


@dataclass
class InspectionDetail:
    inspection: Inspection
    joining_ids: set[int]
    items: list[ItemRow]
    rectifications: list[Rectification]
    actions: list[str]
    pending: int


def inspection_detail(*, user: Any, inspection_id: int) -> InspectionDetail:
    require(user, "enforcement.view")
    inspection = get_in_scope(
        user,
        _inspections(user).prefetch_related(
            Prefetch(
                "items",
                queryset=ChecklistItem.objects.select_related("matter", "department")
                .prefetch_related("photos")
                .order_by("department_id", "matter__position", "pk"),
            ),
            Prefetch(
                "rectifications",
                queryset=Rectification.objects.select_related("event")
                .prefetch_related("photos")
                .order_by("deadline", "pk"),
            ),
        ),
        pk=inspection_id,
    )
    joining_ids = {department.pk for department in inspection.joining_departments.all()}
    in_progress = inspection.status == InspectionStatus.IN_PROGRESS
    items = [
        ItemRow(
            item=item,
            can_record=in_progress
            and policy.can_check(user, inspection, item.department_id, joining_ids),
        )
        for item in inspection.items.all()
    ]
    role = getattr(user, "role", "")

    actions = [
        action
        for action in inspection_actions(inspection.status)
        if role in INSPECTION_TRANSITIONS[(inspection.status, action)].roles
        and policy.takes_part(user, inspection, joining_ids)
    ]
    return InspectionDetail(
        inspection=inspection,
        joining_ids=joining_ids,
        items=items,
        rectifications=list(inspection.rectifications.all()),
        actions=actions,
        pending=sum(1 for row in items if row.item.result == ItemResult.PENDING),
    )


def photo_get(*, user: Any, photo_id: int) -> InspectionPhoto:
    """A photo of an inspection the user sees (others are not found)."""
    require(user, "enforcement.view")
    return get_in_scope(user, InspectionPhoto.objects.all(), pk=photo_id)


def rectification_list(*, user: Any, status: str = "") -> QuerySet[Rectification]:
    require(user, "enforcement.view")
    rectifications = scoped(
        user,
        Rectification.objects.select_related(
            "inspection__target", "inspection__lead_department", "event"
        ),
    )
    if status:
        rectifications = rectifications.filter(status=status)
    return rectifications.order_by("deadline", "pk")


def rectification_get(*, user: Any, rectification_id: int) -> Rectification:
    require(user, "enforcement.view")
    return get_in_scope(
        user,
        Rectification.objects.select_related("inspection__target", "event").prefetch_related(
            "photos"
        ),
        pk=rectification_id,
    )


def is_overdue(rectification: Rectification) -> bool:
    return (
        rectification.status == RectificationStatus.OPEN and rectification.deadline < timezone.now()
    )


def public_inspection(*, code: str) -> Inspection:
    """The inspection a 行政检查码 opens, for anyone who holds the code."""
    inspection = (
        Inspection.objects.select_related("target", "action", "lead_department")
        .prefetch_related(
            "joining_departments",
            Prefetch(
                "items",
                queryset=ChecklistItem.objects.select_related("matter", "department").order_by(
                    "department_id", "matter__position", "pk"
                ),
            ),
            "rectifications",
        )
        .filter(code=code)
        .exclude(status=InspectionStatus.CANCELLED)
        .first()
    )
    if inspection is None:
        raise NotFound()
    return inspection
