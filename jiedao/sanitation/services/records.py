"""The records every figure is derived from: drop-offs, inspections of collection points with
their findings and rectification items, and recycling weigh-ins.

A service checks every field of a submission and reports all that is wrong at once, before
anything is written; a record and the points it earns are written in one transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import SYSTEM, get_in_scope, require
from jiedao.core.errors import Conflict, ErrorList, Forbidden, InvalidInput
from jiedao.core.localtime import local_time
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update
from jiedao.core.workcalendar import add_working_days
from jiedao.events.photos import check_photo

from ..models import (
    CollectionPoint,
    DropOff,
    Finding,
    Inspection,
    PointsRule,
    Rectification,
    RecyclingMaterial,
    SmartBin,
    WeighIn,
)
from ..workflow import (
    RECTIFICATION_TRANSITIONS,
    CreditKind,
    FindingKind,
    FindingRoute,
    PointsTrigger,
    PricingUnit,
    RecordSource,
    RectificationStatus,
    WasteClass,
)
from .common import (
    account_by_number,
    max_drop_off_kg,
    max_weigh_in_kg,
    parse_count,
    parse_kilograms,
    record_time,
    yuan,
)
from .points import points_for_drop_off, points_for_weigh_in, recycling_points, rule_in_force

MAX_RECTIFY_DAYS = 30
# The event category a finding becomes when a department must act (the catalogue's codes).
EVENT_CATEGORY_BY_FINDING = {
    FindingKind.MIXED: "E0106",
    FindingKind.OVERFLOWING: "E0101",
    FindingKind.DIRTY: "E0101",
}
DEFAULT_EVENT_CATEGORY = "E0106"


def _choice(value: Any, choices: Any, *, field: str, label: Any) -> str:
    if value not in choices.values:
        raise InvalidInput(
            _("%(field)s must be one of: %(choices)s."),
            params={"field": label, "choices": "、".join(str(c) for c in choices.labels)},
            code="bad_choice",
            field=field,
        )
    return str(value)


def _boolean(value: Any, *, field: str, label: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise InvalidInput(
        _("%(field)s: say whether it was sorted correctly (yes or no)."),
        params={"field": label},
        code="required",
        field=field,
    )


def _point(actor: Any, collection_point_id: Any) -> CollectionPoint:
    point = get_in_scope(
        actor, CollectionPoint.objects.select_related("compound__grid"), pk=collection_point_id
    )
    if not point.is_active or not point.compound.is_active:
        raise Conflict(
            _("The collection point %(point)s is no longer in use.") % {"point": point},
            code="point_retired",
        )
    return point


@transaction.atomic
def drop_off_record(
    *,
    actor: Any,
    collection_point_id: int,
    account_number: str,
    waste_class: str,
    weight_kg: Any,
    is_correct: Any,
    notes: str = "",
    photo: Any = None,
    at: datetime | None = None,
    smart_bin: SmartBin | None = None,
    message_id: str | None = None,
) -> DropOff:
    """Record one drop-off at a collection point and credit its points when it was sorted
    correctly (under the rule in force, within the daily cap)."""
    require(actor, "sanitation.record")
    point = _point(actor, collection_point_id)
    moment = record_time(actor, at)
    errors = ErrorList()
    account = errors.check(
        lambda: account_by_number(account_number, subdistrict_id=point.compound.subdistrict_id),
        None,
    )
    waste_class = errors.check(
        lambda: _choice(waste_class, WasteClass, field="waste_class", label=_("Waste class")), ""
    )
    weight = errors.check(
        lambda: parse_kilograms(
            weight_kg, field="weight_kg", label=_("Weight (kg)"), maximum=max_drop_off_kg()
        ),
        Decimal(0),
    )
    correct = errors.check(
        lambda: _boolean(is_correct, field="is_correct", label=_("Sorted correctly")), False
    )
    notes = errors.check(
        lambda: clean_text(notes, field="notes", label=_("Notes"), max_length=200), ""
    )
    checked = errors.check(lambda: check_photo(photo, field="photo") if photo else None, None)
    errors.raise_any()
    assert account is not None  # noqa: S101 - checked above
    data: dict[str, Any] = {
        "account": account,
        "collection_point": point,
        "compound": point.compound,
        "waste_class": waste_class,
        "weight_kg": weight,
        "is_correct": correct,
        "notes": notes,
        "source": RecordSource.SMART_BIN if smart_bin else RecordSource.INSPECTOR,
        "checked_by": actor if getattr(actor, "pk", None) else None,
        "smart_bin": smart_bin,
        "message_id": message_id,
        "dropped_at": moment,
        "created_at": moment,
    }
    if checked is not None:
        data["photo"] = checked.as_file(checked.sha256[:32])
    drop_off = model_create(
        model=DropOff,
        data=data,
        actor=actor,
        action="sanitation.dropoff.create",
        exclude=("photo",),
    )
    points_for_drop_off(actor=actor, drop_off=drop_off)
    return drop_off


@dataclass(frozen=True)
class FindingInput:
    """One finding as submitted: what, where it goes, and the working days to put it right."""

    kind: str
    description: str
    route: str = FindingRoute.RECTIFICATION
    working_days: Any = None
    category: str = ""


def _rectify_days(value: Any, index: int) -> int:
    if value in (None, ""):
        return int(settings.SANITATION_RECTIFY_WORKING_DAYS)
    try:
        days = int(str(value).strip())
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= MAX_RECTIFY_DAYS:
        raise InvalidInput(
            _("Finding %(number)s: %(field)s must be a whole number from 1 to %(max)s."),
            params={
                "number": index,
                "field": _("Working days to rectify"),
                "max": MAX_RECTIFY_DAYS,
            },
            code="bad_working_days",
            field=f"findings.{index - 1}.working_days",
        )
    return days


def _check_finding(item: FindingInput, index: int) -> tuple[str, str, str, int]:
    prefix = f"findings.{index - 1}."
    errors = ErrorList()
    kind = errors.check(
        lambda: _choice(item.kind, FindingKind, field=prefix + "kind", label=_("Kind of finding")),
        "",
    )
    description = errors.check(
        lambda: clean_text(
            item.description,
            field=prefix + "description",
            label=_("Finding %(number)s: description") % {"number": index},
            max_length=500,
            required=True,
        ),
        "",
    )
    route = errors.check(
        lambda: _choice(item.route, FindingRoute, field=prefix + "route", label=_("Handled by")),
        "",
    )
    days = errors.check(lambda: _rectify_days(item.working_days, index), 0)
    errors.raise_any()
    return kind, description, route, days


@transaction.atomic
def inspection_record(
    *,
    actor: Any,
    collection_point_id: int,
    findings: Sequence[FindingInput] = (),
    notes: str = "",
    photo: Any = None,
    at: datetime | None = None,
) -> Inspection:
    """Record today's inspection of a collection point. Each finding becomes a rectification
    item for the point's responsible party with a deadline in working days, or an event in the
    events app where a department must act. One inspection per point and day."""
    require(actor, "sanitation.record")
    point = _point(actor, collection_point_id)
    moment = record_time(actor, at)
    day = local_time(moment).date()
    errors = ErrorList()
    notes = errors.check(
        lambda: clean_text(notes, field="notes", label=_("Notes"), max_length=2000), ""
    )
    checked = errors.check(lambda: check_photo(photo, field="photo") if photo else None, None)
    parsed = [
        errors.check(lambda item=item, index=index: _check_finding(item, index), None)  # type: ignore[misc]
        for index, item in enumerate(findings, start=1)
    ]
    if Inspection.objects.filter(collection_point=point, inspected_on=day).exists():
        errors.add(
            InvalidInput(
                _("%(point)s was inspected already on %(day)s: one inspection a day.")
                % {"point": point, "day": f"{day:%Y-%m-%d}"},
                code="inspected_today",
                field="collection_point",
            )
        )
    errors.raise_any()
    data: dict[str, Any] = {
        "collection_point": point,
        "compound": point.compound,
        "inspected_on": day,
        "inspected_at": moment,
        "inspector": actor if getattr(actor, "pk", None) else None,
        "notes": notes,
    }
    if checked is not None:
        data["photo"] = checked.as_file(checked.sha256[:32])
    try:
        with transaction.atomic():
            inspection = model_create(
                model=Inspection,
                data=data,
                actor=actor,
                action="sanitation.inspection.create",
                exclude=("photo",),
            )
    except IntegrityError:  # a second inspector saved the same point a moment earlier
        raise InvalidInput(
            _("%(point)s was inspected already on %(day)s: one inspection a day.")
            % {"point": point, "day": f"{day:%Y-%m-%d}"},
            code="inspected_today",
            field="collection_point",
        ) from None
    for item, values in zip(findings, parsed, strict=True):
        assert values is not None  # noqa: S101 - checked above
        kind, description, route, days = values
        _finding_create(
            actor=actor,
            inspection=inspection,
            point=point,
            kind=kind,
            description=description,
            route=route,
            working_days=days,
            category=item.category,
            moment=moment,
        )
    return inspection


def _finding_create(
    *,
    actor: Any,
    inspection: Inspection,
    point: CollectionPoint,
    kind: str,
    description: str,
    route: str,
    working_days: int,
    category: str,
    moment: datetime,
) -> Finding:
    event = None
    if route == FindingRoute.EVENT:
        # Imported here: the events services import much of the product.
        from jiedao.events.services import event_report

        outcome = event_report(
            actor=actor,
            category=category or EVENT_CATEGORY_BY_FINDING.get(kind, DEFAULT_EVENT_CATEGORY),  # type: ignore[call-overload]
            description=f"{point}：{description}",
            lat=point.lat if point.lat is not None else point.compound.lat,
            lng=point.lng if point.lng is not None else point.compound.lng,
            grid="" if (point.lat or point.compound.lat) else point.compound.grid.code,
            address=f"{point.compound.name} {point.name}",
            at=moment if actor is SYSTEM else None,
        )
        event = outcome.event
    finding = model_create(
        model=Finding,
        data={
            "inspection": inspection,
            "kind": kind,
            "description": description,
            "route": route,
            "event": event,
        },
        actor=actor,
        action="sanitation.finding.create",
    )
    if route == FindingRoute.RECTIFICATION:
        model_create(
            model=Rectification,
            data={
                "finding": finding,
                "compound": point.compound,
                "responsible_party": point.responsible_party,
                "working_days": working_days,
                "found_at": moment,
                "deadline": add_working_days(moment, working_days),
                "status": RectificationStatus.OPEN,
            },
            actor=actor,
            action="sanitation.rectification.create",
        )
    return finding


@transaction.atomic
def rectification_transition(
    *, actor: Any, rectification_id: int, action: str, notes: str = "", at: datetime | None = None
) -> Rectification:
    """Report a rectification done, verify it, or send it back, as the workflow table allows."""
    require(actor, "sanitation.record")
    rectification = get_in_scope(
        actor, Rectification.objects.select_for_update(of=("self",)), pk=rectification_id
    )
    moment = record_time(actor, at)
    transition = RECTIFICATION_TRANSITIONS.get((rectification.status, action))
    if transition is None:
        raise Conflict(
            _("“%(action)s” is not possible while the item is “%(status)s”.")
            % {"action": action, "status": rectification.get_status_display()},
            code="not_allowed",
        )
    if actor is not SYSTEM and actor.role not in transition.roles:
        raise Forbidden(_("Your role may not do this."))
    notes = clean_text(
        notes,
        field="notes",
        label=_("Notes"),
        max_length=500,
        required="notes" in transition.inputs,
    )
    data: dict[str, Any] = {"status": transition.target}
    if action == "report_done":
        data.update(done_at=moment, done_notes=notes)
    elif action == "verify":
        data.update(verified_at=moment, verified_by=actor if getattr(actor, "pk", None) else None)
    else:  # sent back: the responsible party starts again, and the return counts against it
        data.update(done_at=None, done_notes=notes, returns=rectification.returns + 1)
    model_update(
        instance=rectification, data=data, actor=actor, action=f"sanitation.rectification.{action}"
    )
    return rectification


def _material(subdistrict_id: int, material_id: Any) -> RecyclingMaterial:
    try:
        pk = int(material_id)
    except (TypeError, ValueError):
        pk = 0
    material = RecyclingMaterial.objects.filter(
        pk=pk, subdistrict_id=subdistrict_id, is_active=True
    ).first()
    if material is None:
        raise InvalidInput(
            _("%(field)s: choose one of the materials bought back."),
            params={"field": _("Material")},
            code="unknown_material",
            field="material",
        )
    return material


@transaction.atomic
def weigh_in_record(
    *,
    actor: Any,
    subdistrict_id: int,
    account_number: str,
    material_id: Any,
    quantity: Any,
    credited_as: str,
    at: datetime | None = None,
    message_id: str | None = None,
) -> WeighIn:
    """Weigh (or count) recyclables for an account at the material's price; the value is
    credited as points under the recycling rule, or paid as money."""
    require(actor, "sanitation.record")
    moment = record_time(actor, at)
    errors = ErrorList()
    account = errors.check(
        lambda: account_by_number(account_number, subdistrict_id=subdistrict_id), None
    )
    material = errors.check(lambda: _material(subdistrict_id, material_id), None)
    credited_as = errors.check(
        lambda: _choice(credited_as, CreditKind, field="credited_as", label=_("Credited as")), ""
    )
    amount = Decimal(0)
    if material is not None:
        label = _("Quantity")
        amount = errors.check(
            lambda: (
                parse_kilograms(quantity, field="quantity", label=label, maximum=max_weigh_in_kg())
                if material.pricing_unit == PricingUnit.KILOGRAM
                else parse_count(
                    quantity,
                    field="quantity",
                    label=label,
                    maximum=int(settings.SANITATION_MAX_WEIGH_IN_ITEMS),
                )
            ),
            Decimal(0),
        )
    rule: PointsRule | None = None
    if credited_as == CreditKind.POINTS:
        rule = rule_in_force(subdistrict_id, PointsTrigger.RECYCLING)
        if rule is None:
            errors.add(
                InvalidInput(
                    _("Credited as: no points rule for recycling is in force; pay money instead."),
                    code="no_rule",
                    field="credited_as",
                )
            )
    errors.raise_any()
    assert account is not None  # noqa: S101 - checked above
    assert material is not None  # noqa: S101
    value = yuan(amount * material.price)
    points = recycling_points(value, rule) if rule is not None else 0
    weigh_in = model_create(
        model=WeighIn,
        data={
            "account": account,
            "compound": account.compound,
            "material": material,
            "pricing_unit": material.pricing_unit,
            "quantity": amount,
            "price": material.price,
            "value": value,
            "credited_as": credited_as,
            "points": points,
            "source": RecordSource.SMART_BIN if message_id else RecordSource.INSPECTOR,
            "recorded_by": actor if getattr(actor, "pk", None) else None,
            "message_id": message_id,
            "weighed_at": moment,
        },
        actor=actor,
        action="sanitation.weighin.create",
    )
    if rule is not None:
        points_for_weigh_in(actor=actor, weigh_in=weigh_in, rule=rule)
    return weigh_in
