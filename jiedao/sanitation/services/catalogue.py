"""The subdistrict's configuration: the points rules, the recycling prices and the rewards."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jiedao.accounts.permissions import require
from jiedao.core.errors import ErrorList, InvalidInput
from jiedao.core.text import clean_text
from jiedao.core.updates import model_create, model_update

from ..models import PointsRule, RecyclingMaterial, Reward
from ..workflow import PointsTrigger, PricingUnit, RewardKind
from .records import _choice

MAX_POINTS = 100_000
MAX_PRICE = Decimal(10000)


def _whole(value: Any, *, field: str, label: Any, minimum: int, maximum: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        number = minimum - 1
    if not minimum <= number <= maximum:
        raise InvalidInput(
            _("%(field)s must be a whole number from %(min)s to %(max)s."),
            params={"field": label, "min": minimum, "max": maximum},
            field=field,
        )
    return number


def _price(value: Any) -> Decimal:
    try:
        price = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        price = Decimal(-1)
    if (
        not price.is_finite()
        or price <= 0
        or price > MAX_PRICE
        or price != price.quantize(Decimal("0.01"))
    ):
        raise InvalidInput(
            _("%(field)s must be more than 0 and at most %(max)s yuan, with at most two decimals."),
            params={"field": _("Price (yuan)"), "max": MAX_PRICE},
            field="price",
        )
    return price


@transaction.atomic
def points_rule_save(
    *, actor: Any, subdistrict_id: int, trigger: str, points: Any, daily_cap: Any = None
) -> PointsRule:
    """Put a new rule for ``trigger`` in force. The rule it replaces is kept, out of force, so
    that every entry still names the rule it was earned under."""
    require(actor, "sanitation.configure")
    errors = ErrorList()
    trigger = errors.check(
        lambda: _choice(trigger, PointsTrigger, field="trigger", label=_("Earned for")), ""
    )
    points = errors.check(
        lambda: _whole(points, field="points", label=_("Points"), minimum=1, maximum=MAX_POINTS), 0
    )
    cap = None
    if daily_cap not in (None, ""):
        cap = errors.check(
            lambda: _whole(
                daily_cap,
                field="daily_cap",
                label=_("At most per account and day"),
                minimum=1,
                maximum=1000,
            ),
            None,
        )
    errors.raise_any()
    for old in PointsRule.objects.select_for_update().filter(
        subdistrict_id=subdistrict_id, trigger=trigger, is_active=True
    ):
        model_update(
            instance=old,
            data={"is_active": False},
            actor=actor,
            action="sanitation.pointsrule.deactivate",
        )
    return model_create(
        model=PointsRule,
        data={
            "subdistrict_id": subdistrict_id,
            "trigger": trigger,
            "points": points,
            "daily_cap": cap,
        },
        actor=actor,
        action="sanitation.pointsrule.create",
    )


@transaction.atomic
def material_save(
    *,
    actor: Any,
    subdistrict_id: int,
    name: str,
    pricing_unit: str,
    price: Any,
    material_id: int | None = None,
    is_active: bool = True,
) -> RecyclingMaterial:
    """Add a recycling material or change its price; weigh-ins keep the price they were paid."""
    require(actor, "sanitation.configure")
    errors = ErrorList()
    name = errors.check(
        lambda: clean_text(name, field="name", label=_("Material"), max_length=60, required=True),
        "",
    )
    unit = errors.check(
        lambda: _choice(pricing_unit, PricingUnit, field="pricing_unit", label=_("Priced")), ""
    )
    amount = errors.check(lambda: _price(price), Decimal(0))
    clash = RecyclingMaterial.objects.filter(subdistrict_id=subdistrict_id, name=name).exclude(
        pk=material_id or 0
    )
    if name and clash.exists():
        errors.add(
            InvalidInput(
                _("Material “%(name)s” exists already.") % {"name": name},
                field="name",
                code="taken",
            )
        )
    errors.raise_any()
    data = {"name": name, "pricing_unit": unit, "price": amount, "is_active": is_active}
    if material_id is None:
        return model_create(
            model=RecyclingMaterial,
            data={"subdistrict_id": subdistrict_id, **data},
            actor=actor,
            action="sanitation.recyclingmaterial.create",
        )
    material = RecyclingMaterial.objects.select_for_update().get(
        pk=material_id, subdistrict_id=subdistrict_id
    )
    model_update(
        instance=material, data=data, actor=actor, action="sanitation.recyclingmaterial.update"
    )
    return material


@transaction.atomic
def reward_save(
    *,
    actor: Any,
    subdistrict_id: int,
    kind: str,
    name: str,
    points_cost: Any,
    stock: Any = None,
    reward_id: int | None = None,
    is_active: bool = True,
) -> Reward:
    """Offer goods or a service for points, or change the offer; ``stock`` empty is unlimited."""
    require(actor, "sanitation.configure")
    errors = ErrorList()
    kind = errors.check(lambda: _choice(kind, RewardKind, field="kind", label=_("Kind")), "")
    name = errors.check(
        lambda: clean_text(name, field="name", label=_("Reward"), max_length=100, required=True), ""
    )
    cost = errors.check(
        lambda: _whole(
            points_cost, field="points_cost", label=_("Points"), minimum=1, maximum=MAX_POINTS
        ),
        0,
    )
    count = None
    if stock not in (None, ""):
        count = errors.check(
            lambda: _whole(stock, field="stock", label=_("In stock"), minimum=0, maximum=1_000_000),
            None,
        )
    clash = Reward.objects.filter(subdistrict_id=subdistrict_id, name=name).exclude(
        pk=reward_id or 0
    )
    if name and clash.exists():
        errors.add(
            InvalidInput(
                _("Reward “%(name)s” exists already.") % {"name": name}, field="name", code="taken"
            )
        )
    errors.raise_any()
    data = {"kind": kind, "name": name, "points_cost": cost, "stock": count, "is_active": is_active}
    if reward_id is None:
        return model_create(
            model=Reward,
            data={"subdistrict_id": subdistrict_id, **data},
            actor=actor,
            action="sanitation.reward.create",
        )
    reward = Reward.objects.select_for_update().get(pk=reward_id, subdistrict_id=subdistrict_id)
    model_update(instance=reward, data=data, actor=actor, action="sanitation.reward.update")
    return reward
