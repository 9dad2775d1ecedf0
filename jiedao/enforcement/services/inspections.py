"""Writes to actions, inspections, checklists, rectification items and ratings."""

import random
import secrets
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, can, get_in_scope, require, scoped
from jiedao.audit.services import audit_record
from jiedao.core.errors import Conflict, ErrorList, Forbidden, InvalidInput, NotFound
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.core.workcalendar import add_working_days
from jiedao.events.models import Event
from jiedao.events.photos import CheckedPhoto

from .. import policy
from ..guard import guard_check
from ..models import (
    Action,
    ChecklistItem,
    Inspection,
    InspectionMatter,
    Rating,
    Rectification,
    Target,
)
from ..workflow import (
    INSPECTION_TRANSITIONS,
    RECTIFICATION_TRANSITIONS,
    ActionKind,
    InspectionStatus,
    ItemResult,
    RectificationStatus,
)
from .common import (
    actor_user,
    check_dates,
    department_in,
    joining_ids,
    locked_inspection,
    step_moment,
)
from .photos import photos_attach, photos_check

DEFAULT_RECTIFY_DAYS = 10
MAX_RECTIFY_DAYS = 120
MAX_DRAW = 200
# A many-to-many field is not part of the row: the joining departments are audited on their own.
INSPECTION_SNAPSHOT_EXCLUDE = ("joining_departments",)


def rectify_days_default() -> int:
    return int(getattr(settings, "ENFORCEMENT_RECTIFY_DAYS", DEFAULT_RECTIFY_DAYS))


class GuardRefused(Conflict):
    """The repeat-inspection guard refuses the plan; ``extra["earlier"]`` lists the inspections
    that count against it."""

    default_code = "repeat_inspection"


@transaction.atomic
def action_create(
    *,
    actor: Any,
    kind: str,
    title: str,
    starts_on: date,
    ends_on: date,
    lead_department_id: int | None = None,
    is_synthetic: bool = False,
) -> Action:
    """Open an action (行动) of ``kind`` led by the actor's department unless another is given.
    A 双随机 draw is opened by :func:`action_draw`, which records its seed and pool."""
    require(actor, "enforcement.plan")
    if kind not in ActionKind.values or kind == ActionKind.RANDOM:
        raise InvalidInput(
            _("%(field)s: choose one of the kinds offered (a random draw is made by drawing).")
            % {"field": _("Kind")},
            code="invalid",
            field="kind",
        )
    title = clean_text(title, field="title", label=_("Title"), max_length=200, required=True)
    check_dates(starts_on, ends_on)
    department = department_in(
        actor,
        lead_department_id or getattr(actor, "department_id", None),
        "lead_department",
        _("Lead department"),
    )
    return model_create(
        model=Action,
        data={
            "subdistrict_id": department.subdistrict_id,
            "kind": kind,
            "title": title,
            "lead_department": department,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "created_by": actor_user(actor),
            "is_synthetic": is_synthetic,
        },
        actor=actor,
        action="enforcement.action_create",
    )


def draw_targets(seed: str, pool: Sequence[int], size: int) -> list[int]:
    """The targets a 双随机 draw picks: the same seed and pool always pick the same ones."""
    return sorted(random.Random(seed).sample(list(pool), size))  # noqa: S311 - reproducible on purpose


@transaction.atomic
def action_draw(
    *,
    actor: Any,
    title: str,
    starts_on: date,
    ends_on: date,
    size: int,
    trade: str = "",
    risk_level: str = "",
    joining_department_ids: Sequence[int] = (),
    seed: str = "",
    lead_department_id: int | None = None,
    is_synthetic: bool = False,
) -> Action:
    """A 双随机 draw: the pool is every target of the subdistrict (of ``trade`` and
    ``risk_level`` when given) that the repeat-inspection guard lets be inspected on
    ``starts_on``; ``size`` of them are drawn with ``seed`` (a new random one when empty) and
    an inspection is planned for each. The seed and pool are recorded, so the draw reproduces."""
    require(actor, "enforcement.plan")
    title = clean_text(title, field="title", label=_("Title"), max_length=200, required=True)
    check_dates(starts_on, ends_on)
    candidates = scoped(actor, Target.objects.all())
    if trade:
        candidates = candidates.filter(trade=trade)
    if risk_level:
        candidates = candidates.filter(risk_level=risk_level)
    pool = [
        target.pk
        for target in candidates.order_by("pk")
        if guard_check(target=target, kind=ActionKind.RANDOM, planned_on=starts_on).passed
    ]
    if (
        isinstance(size, bool)
        or not isinstance(size, int)
        or not 1 <= size <= min(len(pool), MAX_DRAW)
    ):
        raise InvalidInput(
            _("%(field)s must be between 1 and %(max)s (the targets that may be inspected).")
            % {"field": _("Targets to draw"), "max": min(len(pool), MAX_DRAW)},
            code="invalid",
            field="size",
        )
    seed = clean_text(seed, field="seed", label=_("Draw seed"), max_length=64) or secrets.token_hex(
        8
    )
    department = department_in(
        actor,
        lead_department_id or getattr(actor, "department_id", None),
        "lead_department",
        _("Lead department"),
    )
    action = model_create(
        model=Action,
        data={
            "subdistrict_id": department.subdistrict_id,
            "kind": ActionKind.RANDOM,
            "title": title,
            "lead_department": department,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "draw_seed": seed,
            "draw_pool": pool,
            "draw_size": size,
            "created_by": actor_user(actor),
            "is_synthetic": is_synthetic,
        },
        actor=actor,
        action="enforcement.action_draw",
    )
    for target_id in draw_targets(seed, pool, size):
        inspection_plan(
            actor=actor,
            action_id=action.pk,
            target_id=target_id,
            planned_on=starts_on,
            joining_department_ids=joining_department_ids,
        )
    return action


def _matters_for(subdistrict_id: int, department_ids: Sequence[int]) -> list[InspectionMatter]:
    return list(
        InspectionMatter.objects.filter(
            subdistrict_id=subdistrict_id, department_id__in=department_ids, is_active=True
        ).order_by("department_id", "position", "pk")
    )


@transaction.atomic
def inspection_plan(
    *,
    actor: Any,
    action_id: int,
    target_id: int,
    planned_on: date,
    joining_department_ids: Sequence[int] = (),
    override_reason: str = "",
) -> Inspection:
    """Plan one visit to a target within an action, with its checklist from the catalogue of
    the lead and joining departments. The repeat-inspection guard refuses a plan that breaks a
    cap (409 with the reasons and the earlier inspections) unless a supervisor gives a reason
    to override it; the override is audited with the reason."""
    override_reason = clean_text(
        override_reason, field="override_reason", label=_("Override reason"), max_length=500
    )
    require(actor, "enforcement.override" if override_reason else "enforcement.plan")
    action = get_in_scope(actor, Action.objects.all(), pk=action_id)
    # The target's row lock puts two plans for the same target one after the other, so that
    # both cannot pass the guard on the same earlier inspections.
    target = get_in_scope(actor, Target.objects.select_for_update(), pk=target_id)
    if not action.starts_on <= planned_on <= action.ends_on:
        raise InvalidInput(
            _("%(field)s must lie within the action (%(start)s – %(end)s).")
            % {"field": _("Planned on"), "start": action.starts_on, "end": action.ends_on},
            code="invalid",
            field="planned_on",
        )
    joining = [
        department_in(actor, pk, "joining_departments", _("Joining departments"))
        for pk in dict.fromkeys(joining_department_ids)
        if pk != action.lead_department_id
    ]
    result = guard_check(target=target, kind=action.kind, planned_on=planned_on)
    if not result.passed and not override_reason:
        raise GuardRefused(
            " ".join(result.reasons),
            field="target",
            extra={
                "earlier": [
                    {
                        "id": earlier.pk,
                        "planned_on": earlier.planned_on.isoformat(),
                        "action": earlier.action.title,
                        "lead_department": earlier.lead_department.name,
                        "status": earlier.status,
                    }
                    for earlier in result.earlier
                ],
                "can_override": can(actor, "enforcement.override"),
            },
        )
    inspection = model_create(
        model=Inspection,
        data={
            "action": action,
            "target": target,
            "lead_department_id": action.lead_department_id,
            "planned_on": planned_on,
            "status": InspectionStatus.PLANNED,
            "code": secrets.token_urlsafe(12),
            "override_reason": override_reason if not result.passed else "",
            "overridden_by": actor_user(actor) if override_reason and not result.passed else None,
            "created_by": actor_user(actor),
        },
        actor=actor,
        action="enforcement.inspection_plan",
        exclude=INSPECTION_SNAPSHOT_EXCLUDE,
    )
    if joining:
        inspection.joining_departments.set(joining)
        audit_record(
            actor=actor,
            action="enforcement.inspection_join",
            target=inspection,
            after={"joining_departments": [department.pk for department in joining]},
        )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(
            inspection=inspection,
            matter=matter,
            department_id=matter.department_id,
            result=ItemResult.PENDING,
        )
        for matter in _matters_for(
            action.subdistrict_id, [action.lead_department_id, *[d.pk for d in joining]]
        )
    )
    if override_reason and not result.passed:
        audit_record(
            actor=actor,
            action="enforcement.guard_override",
            target=inspection,
            after={
                "reason": override_reason,
                "guard": result.reasons,
                "earlier": [earlier.pk for earlier in result.earlier],
            },
        )
    return inspection


@transaction.atomic
def inspection_transition(
    *, actor: Any, inspection_id: int, action: str, text: str = "", now: datetime | None = None
) -> Inspection:
    """Apply one move of the inspection table (start, cancel with a reason, complete with a
    conclusion once every checklist item has a result)."""
    require(actor, "enforcement.view")
    inspection = locked_inspection(actor, inspection_id)
    move = INSPECTION_TRANSITIONS.get((inspection.status, action))
    if move is None:
        raise Conflict(
            _("An inspection that is “%(status)s” cannot do this.")
            % {"status": InspectionStatus(inspection.status).label},
            code="not_allowed",
        )
    moment = step_moment(actor, now)
    if actor is not SYSTEM and (
        actor.role not in move.roles
        or not policy.takes_part(actor, inspection, joining_ids(inspection))
    ):
        raise Forbidden(_("Only the lead department's enforcement officers may do this."))
    data: dict[str, Any] = {"status": move.target}
    if move.inputs:
        label = _("Conclusion") if action == "complete" else _("Reason")
        data_text = clean_text(text, field="text", label=label, max_length=2000, required=True)
        if action == "complete":
            pending = inspection.items.filter(result=ItemResult.PENDING).count()
            if pending:
                raise Conflict(
                    _("%(count)s checklist items have no result yet.") % {"count": pending},
                    code="items_pending",
                )
            data.update(conclusion=data_text, completed_at=moment, completed_by=actor_user(actor))
        else:
            data["conclusion"] = data_text
    model_update(
        instance=inspection,
        data=data,
        actor=actor,
        action=f"enforcement.inspection_{action}",
        exclude=INSPECTION_SNAPSHOT_EXCLUDE,
    )
    return inspection


def _rectification_create(
    *,
    actor: Any,
    inspection: Inspection,
    description: str,
    working_days: int | None,
    item: ChecklistItem | None = None,
    event: Event | None = None,
    found_at: datetime | None = None,
) -> Rectification:
    days = rectify_days_default() if working_days is None else working_days
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_RECTIFY_DAYS:
        raise InvalidInput(
            _("%(field)s must be a whole number from 1 to %(max)s.")
            % {"field": _("Working days to rectify"), "max": MAX_RECTIFY_DAYS},
            code="invalid",
            field="working_days",
        )
    found_at = step_moment(actor, found_at)
    return model_create(
        model=Rectification,
        data={
            "inspection": inspection,
            "item": item,
            "event": event,
            "description": description,
            "working_days": days,
            "found_at": found_at,
            "deadline": add_working_days(found_at, days),
            "status": RectificationStatus.OPEN,
            "created_by": actor_user(actor),
        },
        actor=actor,
        action="enforcement.rectification_create",
    )


@transaction.atomic
def item_record(
    *,
    actor: Any,
    item_id: int,
    result: str,
    notes: str = "",
    working_days: int | None = None,
    photos: Sequence[Any] = (),
    now: datetime | None = None,
) -> ChecklistItem:
    """Record one checklist item's result, with photos taken on site. 不合格 needs notes saying
    what is wrong, and becomes a rectification item due ``working_days`` working days later."""
    require(actor, "enforcement.check")
    item = get_in_scope(
        actor, ChecklistItem.objects.select_related("inspection", "matter"), pk=item_id
    )
    inspection = locked_inspection(actor, item.inspection_id)
    moment = step_moment(actor, now)
    if actor is not SYSTEM and not policy.can_check(
        actor, inspection, item.department_id, joining_ids(inspection)
    ):
        raise Forbidden(_("Only the lead department or this item's department may record it."))
    if inspection.status != InspectionStatus.IN_PROGRESS:
        raise Conflict(
            _("Results are recorded while the inspection is in progress."), code="not_in_progress"
        )
    errors = ErrorList()
    if result not in (ItemResult.PASS, ItemResult.FAIL, ItemResult.NOT_APPLICABLE):
        errors.add(
            InvalidInput(
                _("%(field)s must be 合格, 不合格 or 不涉及.") % {"field": _("Result")},
                code="invalid",
                field="result",
            )
        )
    notes = errors.check(
        lambda: clean_text(
            notes,
            field="notes",
            label=_("Notes"),
            max_length=2000,
            required=result == ItemResult.FAIL,
        ),
        "",
    )
    none: list[CheckedPhoto] = []
    checked = (
        errors.check(lambda: photos_check(photos, existing=item.photos.count()), none)
        if photos
        else none
    )
    errors.raise_any()
    had_finding = item.rectifications.exists()
    model_update(
        instance=item,
        data={
            "result": result,
            "notes": notes,
            "checked_by": actor_user(actor),
            "checked_at": moment,
        },
        actor=actor,
        action="enforcement.item_record",
    )
    if result == ItemResult.FAIL and not had_finding:
        _rectification_create(
            actor=actor,
            inspection=inspection,
            item=item,
            description=f"{item.matter.title}：{notes}",
            working_days=working_days,
            found_at=now,
        )
    photos_attach(actor=actor, inspection=inspection, checked=checked, item=item)
    return item


@transaction.atomic
def finding_create(
    *,
    actor: Any,
    inspection_id: int,
    description: str,
    working_days: int | None = None,
    event_number: str = "",
    photos: Sequence[Any] = (),
    now: datetime | None = None,
) -> Rectification:
    """A finding outside the checklist, or one that starts from an event (its number), with
    photos taken on site."""
    require(actor, "enforcement.rectify")
    inspection = locked_inspection(actor, inspection_id)
    if inspection.status not in (InspectionStatus.IN_PROGRESS, InspectionStatus.COMPLETED):
        raise Conflict(
            _("Findings are recorded once the inspection has started."), code="not_started"
        )
    errors = ErrorList()
    description = errors.check(
        lambda: clean_text(
            description, field="description", label=_("Problem"), max_length=2000, required=True
        ),
        "",
    )
    none: list[CheckedPhoto] = []
    checked = errors.check(lambda: photos_check(photos), none) if photos else none
    errors.raise_any()
    event = None
    if event_number:
        try:
            event = get_in_scope(actor, Event.objects.all(), number=event_number.strip())
        except NotFound:
            raise InvalidInput(
                _("%(field)s: no event with this number in your scope.") % {"field": _("Event")},
                code="unknown",
                field="event_number",
            ) from None
    rectification = _rectification_create(
        actor=actor,
        inspection=inspection,
        description=description,
        working_days=working_days,
        event=event,
        found_at=now,
    )
    photos_attach(actor=actor, inspection=inspection, checked=checked, rectification=rectification)
    return rectification


@transaction.atomic
def rectification_recheck(
    *, actor: Any, rectification_id: int, passed: bool, notes: str, now: datetime | None = None
) -> Rectification:
    """复查: a rectified problem closes; one that is not escalates to a case."""
    require(actor, "enforcement.rectify")
    rectification = get_in_scope(
        actor, Rectification.objects.select_for_update(of=("self",)), pk=rectification_id
    )
    action = "close" if passed else "escalate"
    move = RECTIFICATION_TRANSITIONS.get((rectification.status, action))
    if move is None:
        raise Conflict(
            _("This rectification item is “%(status)s” already.")
            % {"status": RectificationStatus(rectification.status).label},
            code="not_allowed",
        )
    notes = clean_text(
        notes, field="notes", label=_("Re-check notes"), max_length=2000, required=True
    )
    moment = step_moment(actor, now)
    model_update(
        instance=rectification,
        data={
            "status": move.target,
            "recheck_notes": notes,
            "rechecked_at": moment,
            "rechecked_by": actor_user(actor),
        },
        actor=actor,
        action=f"enforcement.rectification_{action}",
    )
    return rectification


@transaction.atomic
def inspection_rate(*, code: str, score: int, comment: str = "") -> Rating:
    """The business rates a completed inspection through its 行政检查码, once."""
    inspection = (
        Inspection.objects.select_for_update()
        .filter(code=code, status=InspectionStatus.COMPLETED)
        .first()
    )
    if inspection is None:
        raise NotFound()
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise InvalidInput(
            _("%(field)s must be from 1 to 5.") % {"field": _("Score")},
            code="invalid",
            field="score",
        )
    comment = clean_text(comment, field="comment", label=_("Comment"), max_length=500)
    if Rating.objects.filter(inspection=inspection).exists():
        raise Conflict(_("This inspection has been rated already."), code="rated")
    return model_create(
        model=Rating,
        data={"inspection": inspection, "score": score, "comment": comment},
        actor=None,
        action="enforcement.inspection_rate",
    )
